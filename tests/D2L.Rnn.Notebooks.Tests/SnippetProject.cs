using System.Text;
using System.Text.RegularExpressions;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>
/// Every runnable doc snippet in one console project that references lib/D2L.Rnn, so that they all compile in a single
/// build. A snippet is written as a program's top-level statements: its leading <c>using</c> directives stay at the top
/// of a file of its own, the rest becomes the body of <c>static async Task Run(string[] args)</c> (so <c>args</c> and
/// <c>await</c> work; a snippet declares no types of its own). <c>#line</c> directives map the code back to the markdown,
/// so a compile error or an exception's stack trace names the doc file and its line. <c>dotnet Snippets.dll N</c> runs
/// snippet N.
/// </summary>
public sealed partial class SnippetProject(string folder, IReadOnlyList<DocSnippet> snippets)
{
    private const string Name = "Snippets";

    public string Folder { get; } = folder;
    public IReadOnlyList<DocSnippet> Snippets { get; } = snippets;
    private string Dll => Path.Combine(Folder, "bin", "Release", "net10.0", Name + ".dll");

    /// <summary>The project's files by name: the project file, Program.cs and one file per snippet.</summary>
    public static IReadOnlyDictionary<string, string> Sources(IReadOnlyList<DocSnippet> snippets, string repoRoot)
    {
        var files = new Dictionary<string, string> { [Name + ".csproj"] = ProjectFile(repoRoot) };
        var table = new StringBuilder();
        for (var i = 0; i < snippets.Count; i++)
        {
            files[$"Snippet{i}.cs"] = SnippetFile(snippets[i], i, Path.GetFullPath(Path.Combine(repoRoot, snippets[i].File)));
            table.AppendLine($"    [\"{i}\"] = Snippets.Snippet{i}.Run,");
        }
        files["Program.cs"] = $$"""
            var snippets = new Dictionary<string, Func<string[], Task>>
            {
            {{table}}};
            if (args.Length == 0 || !snippets.TryGetValue(args[0], out var run))
            {
                Console.Error.WriteLine($"usage: {{Name}} <0..{snippets.Count - 1}> [args]");
                return 2;
            }
            try
            {
                await run(args[1..]);
                return 0;
            }
            catch (Exception e)
            {
                Console.Error.WriteLine(e);
                return 1;
            }
            """;
        return files;
    }

    /// <summary>Writes the sources into <see cref="Folder"/> and builds once; returns the exit code and the compiler's errors.</summary>
    public (int Exit, IReadOnlyList<string> Errors, string Output) Build(string repoRoot)
    {
        foreach (var (name, text) in Sources(Snippets, repoRoot)) File.WriteAllText(Path.Combine(Folder, name), text);
        // No build server or compiler server is left running after the test.
        var (exit, output) = Processes.Run(Folder, TimeSpan.FromMinutes(10), "dotnet",
            ["build", "-c", "Release", "-m:1", "-nodeReuse:false", "-p:UseSharedCompilation=false", "-v:q", "-nologo"]);
        var errors = output.Split('\n').Select(l => l.Trim()).Where(l => l.Contains(": error ")).Distinct().ToList();
        return (exit, errors, output);
    }

    /// <summary>Runs snippet <paramref name="index"/> in its own process, in <paramref name="workingDirectory"/>.</summary>
    public (int Exit, string Output) Run(int index, string workingDirectory, TimeSpan timeout, params (string, string)[] environment) =>
        Processes.Run(workingDirectory, timeout, "dotnet", [Dll, index.ToString()], environment);

    private static string ProjectFile(string repoRoot) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <ImplicitUsings>enable</ImplicitUsings>
            <Nullable>enable</Nullable>
            <!-- A snippet's body runs in an async method that may not await. -->
            <NoWarn>$(NoWarn);CS1998</NoWarn>
            <CreateHardLinksForCopyLocalIfPossible>true</CreateHardLinksForCopyLocalIfPossible>
          </PropertyGroup>
          <ItemGroup>
            <ProjectReference Include="{Path.Combine(repoRoot, "lib", "D2L.Rnn", "D2L.Rnn.csproj")}" />
          </ItemGroup>
          <Import Project="{Path.Combine(repoRoot, "build", "LibTorchSharpGlibcxxFix.targets")}" />
        </Project>
        """;

    private static string SnippetFile(DocSnippet snippet, int index, string markdownPath)
    {
        var lines = snippet.Code.Split('\n');
        var bodyStart = 0;
        while (bodyStart < lines.Length && IsDirectiveOrBlank(lines[bodyStart])) bodyStart++;
        var path = markdownPath.Replace("\\", "\\\\").Replace("\"", "\\\"");
        var text = new StringBuilder();
        text.AppendLine($"#line {snippet.Line} \"{path}\"");
        foreach (var line in lines[..bodyStart]) text.AppendLine(line);
        text.AppendLine("#line default");
        text.AppendLine("namespace Snippets;");
        text.AppendLine($"internal static class Snippet{index}");
        text.AppendLine("{");
        text.AppendLine("    public static async Task Run(string[] args)");
        text.AppendLine("    {");
        text.AppendLine($"#line {snippet.Line + bodyStart} \"{path}\"");
        foreach (var line in lines[bodyStart..]) text.AppendLine(line);
        text.AppendLine("#line default");
        text.AppendLine("    }");
        text.AppendLine("}");
        return text.ToString();
    }

    private static bool IsDirectiveOrBlank(string line) =>
        string.IsNullOrWhiteSpace(line) || line.TrimStart().StartsWith("//", StringComparison.Ordinal) || UsingDirective().IsMatch(line);

    // using X.Y; / using static X.Y; / using Alias = X.Y; (not the statement using var x = ...;)
    [GeneratedRegex(@"^\s*using\s+(static\s+)?([A-Za-z_]\w*\s*=\s*)?[A-Za-z_][\w.]*(<[\w., ]+>)?\s*;\s*(//.*)?$")]
    private static partial Regex UsingDirective();
}

using System.Text;
using System.Text.RegularExpressions;

namespace NotebookRunner;

/// <summary>
/// Writes a notebook as a .NET 10 file-based app (<c>dotnet run notebooks/X.cs</c>): the same cells in the same order,
/// so the app cannot drift from the notebook.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>The setup lines become the app's header: <c>#r "…/bin/…/X.dll"</c> becomes <c>#:project</c> of the project
/// that builds it, and the library build (<c>#load "build-library.csx"</c>) and <c>#r "nuget: TorchSharp-cpu"</c> are
/// left out (the project reference builds the library and brings TorchSharp). Any other directive is refused.</item>
/// <item>A cell that declares a type (the lecture's RNN block) goes to the end of the app: a program's top-level
/// statements come before its types.</item>
/// <item><c>using</c> directives move to the top (a program needs them before its first statement).</item>
/// <item>Markdown becomes comments, and its headings are printed, so the terminal shows where the lesson is.</item>
/// <item>A cell's trailing expression (the value a notebook displays) is printed with <c>Console.WriteLine</c>.</item>
/// </list>
/// What a cell shows through the notebook helpers (charts, the live perplexity chart, the stop button) works in the
/// app because the helpers themselves notice that no notebook is running them (<c>D2L.Rnn.Notebooks.NotebookKernel</c>).
/// </remarks>
public static partial class FileBasedApp
{
    /// <summary>The app of the notebook at <paramref name="notebookPath"/>.</summary>
    public static string Generate(string notebookPath)
    {
        var full = Path.GetFullPath(notebookPath);
        return Generate(NotebookFile.Read(full), Path.GetDirectoryName(full)!, RepositoryPath(full));
    }

    /// <summary>
    /// The app of <paramref name="cells"/>, for a notebook in <paramref name="folder"/> (where its relative <c>#r</c>
    /// paths start, and where the app will be written) known in the repository as <paramref name="name"/>.
    /// </summary>
    public static string Generate(IReadOnlyList<NotebookCell> cells, string folder, string name)
    {
        var projects = new List<string>();
        var usings = new List<string>();
        var body = new StringBuilder();
        var types = new StringBuilder();
        foreach (var (cell, index) in cells.Select((c, i) => (c, i + 1)))
        {
            var lines = cell.IsCode ? Code(cell, index, folder, projects, usings) : Markdown(cell.Source);
            if (lines.Count == 0) continue;
            var target = cell.IsCode && DeclaresType(lines) ? types : body;
            if (target.Length > 0) target.Append('\n');
            foreach (var line in lines) target.Append(line).Append('\n');
        }
        if (types.Length > 0) body.Append('\n').Append(types);
        var app = $"""
            {string.Join("\n", projects.Select(p => $"#:project {p}"))}

            // Generated from {name} by tools/NotebookRunner: change the notebook, not this file, then regenerate it with
            //   dotnet run --project tools/NotebookRunner -c Release -- {name} --app {Path.ChangeExtension(name, ".cs")}
            // Runs with the .NET 10 SDK alone: dotnet run {Path.ChangeExtension(name, ".cs")}. The notebook's cells, in order: it prints
            // what they print and the value a cell ends with (which the notebook displays), and writes the charts the
            // notebook shows to artifacts/ (or $D2L_OUTPUT_DIR) as standalone HTML files. The notebook's text is in the
            // comments; its headings are printed.

            {string.Join("\n", usings)}


            """;
        return app + body;
    }

    /// <summary>Whether a cell's code starts (after its comments) with a type declaration.</summary>
    private static bool DeclaresType(IReadOnlyList<string> code) =>
        code.FirstOrDefault(l => l.Length > 0 && !l.TrimStart().StartsWith("//", StringComparison.Ordinal)) is { } first
        && TypeDeclaration().IsMatch(first);

    /// <summary>Whether a code cell holds nothing but setup that the app leaves out (such as the library build).</summary>
    public static bool IsSetupOnly(NotebookCell cell) =>
        cell.IsCode && cell.Source.Split('\n').All(l => string.IsNullOrWhiteSpace(l) || l.TrimStart().StartsWith('#'));

    private static List<string> Markdown(string source)
    {
        var lines = source.Split('\n').Select(l => l.TrimEnd()).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        var result = new List<string>();
        foreach (var line in lines)
        {
            if (Heading().Match(line) is { Success: true } h)
                result.Add($"Console.WriteLine({Literal(h.Groups[1].Length == 1 ? h.Groups[2].Value : "== " + h.Groups[2].Value)});");
            else if (line.Length > 0) result.Add("// " + line);
            // A blank line separates paragraphs, not a heading from its text.
            else if (result.Count > 0 && result[^1].StartsWith("//", StringComparison.Ordinal)) result.Add("//");
        }
        return result;
    }

    private static List<string> Code(NotebookCell cell, int index, string folder, List<string> projects, List<string> usings)
    {
        if (cell.KernelName != "csharp") throw new NotSupportedException($"Cell {index} is {cell.KernelName}: an app runs C# cells only.");
        var code = new List<string>();
        foreach (var line in cell.Source.Split('\n').Select(l => l.TrimEnd()))
        {
            if (line.StartsWith('#'))
            {
                if (Project(line, index, folder) is { } project && !projects.Contains(project)) projects.Add(project);
            }
            else if (UsingDirective().IsMatch(line))
            {
                if (!usings.Contains(line)) usings.Add(line);
            }
            else code.Add(line);
        }
        while (code.Count > 0 && code[0].Length == 0) code.RemoveAt(0);
        while (code.Count > 0 && code[^1].Length == 0) code.RemoveAt(code.Count - 1);
        PrintTrailingExpression(code);
        return code;
    }

    /// <summary>The <c>#:project</c> path for a setup line, null for a line the app leaves out; refuses any other directive.</summary>
    private static string? Project(string line, int index, string folder)
    {
        if (line == "#load \"build-library.csx\"" || NuGetTorchSharp().IsMatch(line)) return null;
        var reference = Reference().Match(line);
        var bin = reference.Success ? reference.Groups[1].Value.IndexOf("/bin/", StringComparison.Ordinal) : -1;
        if (bin < 0)
            throw new NotSupportedException(
                $"Cell {index}: '{line}' has no counterpart in a file-based app. An app knows the lessons' setup (#load \"build-library.csx\", " +
                "#r \"nuget: TorchSharp, …\", #r of a DLL under a project's bin/ folder); put anything else in the library.");
        var projectFolder = reference.Groups[1].Value[..bin];
        var projectFiles = Directory.Exists(Path.Combine(folder, projectFolder))
            ? Directory.GetFiles(Path.Combine(folder, projectFolder), "*.csproj") : [];
        if (projectFiles.Length != 1)
            throw new NotSupportedException($"Cell {index}: '{line}': expected one project (.csproj) in '{projectFolder}', found {projectFiles.Length}.");
        return $"{projectFolder}/{Path.GetFileName(projectFiles[0])}";
    }

    /// <summary>
    /// Wraps a cell's last statement in <c>Console.WriteLine(…);</c> when it is an expression without a semicolon (what a
    /// notebook displays). The expression may span lines: it starts after the last line that ends a statement or a block.
    /// </summary>
    private static void PrintTrailingExpression(List<string> code)
    {
        if (code.Count == 0 || EndsStatement(code[^1])) return;
        var start = code.Count - 1;
        while (start > 0 && !EndsStatement(code[start - 1])) start--;
        var indent = code[start][..(code[start].Length - code[start].TrimStart().Length)];
        code[start] = $"{indent}Console.WriteLine({code[start].TrimStart()}";
        code[^1] += ");";
    }

    private static bool EndsStatement(string line)
    {
        var text = line.Trim();
        return text.Length == 0 || text.StartsWith("//", StringComparison.Ordinal) || text[^1] is ';' or '}' or '{';
    }

    private static string Literal(string text) =>
        "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private static string RepositoryPath(string notebook)
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(notebook)!); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Notebooks.sln")))
                return Path.GetRelativePath(dir.FullName, notebook).Replace(Path.DirectorySeparatorChar, '/');
        return Path.GetFileName(notebook);
    }

    [GeneratedRegex(@"^((public|internal|sealed|abstract|static|partial)\s+)*(class|record|struct|interface|enum)\s")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"^(#{1,6})\s+(.*)$")]
    private static partial Regex Heading();

    // A using directive at the start of a line (not a using statement or declaration).
    [GeneratedRegex(@"^using\s+(static\s+)?[A-Za-z_][\w.]*(\s*=\s*[\w.<>, ]+)?\s*;$")]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"^#r\s+""nuget:\s*TorchSharp(-cpu)?\s*(,\s*[\w.-]+)?\s*""$")]
    private static partial Regex NuGetTorchSharp();

    [GeneratedRegex(@"^#r\s+""([^""]+\.dll)""$")]
    private static partial Regex Reference();
}

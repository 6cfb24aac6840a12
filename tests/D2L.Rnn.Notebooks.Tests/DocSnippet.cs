using System.Text.RegularExpressions;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>
/// One ```` ```csharp ```` block of a markdown file: where it is, its code, and whether it is marked
/// ```` ```csharp fragment ```` (not meant to run alone).
/// </summary>
/// <param name="File">The markdown file, relative to the repository root (forward slashes).</param>
/// <param name="Line">The 1-based line of the block's first code line.</param>
/// <param name="Code">The code, with the fence's indentation removed.</param>
/// <param name="IsFragment">Marked <c>fragment</c> in the fence's info string.</param>
public sealed partial record DocSnippet(string File, int Line, string Code, bool IsFragment)
{
    private static readonly string[] CSharp = ["csharp", "cs", "c#"];

    /// <summary>Where the block is, for messages: "docs/homework.md:28".</summary>
    public string Where => $"{File}:{Line}";

    /// <summary>README.md and every docs/*.md of the repository at <paramref name="root"/>, in file order.</summary>
    public static IReadOnlyList<DocSnippet> FindAll(string root)
    {
        var files = new[] { Path.Combine(root, "README.md") }
            .Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal));
        return files.SelectMany(f => Parse(Path.GetRelativePath(root, f).Replace('\\', '/'), System.IO.File.ReadAllText(f))).ToList();
    }

    /// <summary>The C# blocks of one markdown text (fences of three or more backticks, possibly indented in a list).</summary>
    public static IEnumerable<DocSnippet> Parse(string file, string markdown)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var open = Fence().Match(lines[i]);
            if (!open.Success) continue;
            var indent = open.Groups["indent"].Length;
            var ticks = open.Groups["ticks"].Length;
            var info = open.Groups["info"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var end = i + 1;
            while (end < lines.Length && !IsClosing(lines[end], ticks)) end++;
            if (info.Length > 0 && CSharp.Contains(info[0].ToLowerInvariant()))
            {
                var code = lines[(i + 1)..end].Select(l => l.Length >= indent && l[..indent].Trim().Length == 0 ? l[indent..] : l.TrimStart());
                yield return new DocSnippet(file, i + 2, string.Join("\n", code), info.Contains("fragment"));
            }
            i = end;
        }
    }

    private static bool IsClosing(string line, int ticks)
    {
        var t = line.Trim();
        return t.Length >= ticks && t.All(c => c == '`');
    }

    [GeneratedRegex(@"^(?<indent> {0,12})(?<ticks>`{3,})(?<info>[^`]*)$")]
    private static partial Regex Fence();
}

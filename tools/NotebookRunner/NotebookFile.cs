using D2L.Rnn;
using System.Security.Cryptography;
using System.Text;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;

namespace NotebookRunner;

/// <summary>
/// Reads Polyglot notebooks (.dib, .ipynb) and writes executed .ipynb files, through the engine's own document
/// library (Microsoft.DotNet.Interactive.Documents), so the files are exactly what VS Code and Jupyter read.
/// </summary>
public static class NotebookFile
{
    /// <summary>The cells of a .dib or .ipynb file (the .dib #!meta block is not a cell).</summary>
    public static List<NotebookCell> Read(string path) =>
        Load(path).Elements.Select(e => new NotebookCell(e.KernelName == "markdown" ? "markdown" : "code", e.KernelName ?? "csharp",
            e.Contents.ReplaceLineEndings("\n"))).ToList();

    /// <summary>The document of a .dib or .ipynb file.</summary>
    public static InteractiveDocument Load(string path)
    {
        var text = File.ReadAllText(path);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".dib" => CodeSubmission.Parse(text, Kernels()),
            ".ipynb" => Notebook.Parse(text, Kernels()),
            _ => throw new ArgumentException($"'{path}' is neither a .dib nor an .ipynb notebook.", nameof(path)),
        };
    }

    /// <summary>SHA-256 of the code cells' sources: identifies exactly which code produced an executed notebook.</summary>
    public static string CodeHash(IEnumerable<NotebookCell> cells)
    {
        var text = string.Join("\n\u0000\n", cells.Where(c => c.IsCode).Select(c => c.KernelName + "\n" + c.Source));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>
    /// Writes an .ipynb with the outputs of a run, readable by VS Code Polyglot Notebooks, Jupyter (.NET kernel)
    /// and GitHub. The notebook metadata (<c>d2l_run</c>) records the hash of the code that produced the outputs, the
    /// engine's version, and <c>seconds</c>: how long the code cells ran, together (the time a reader waits after
    /// running them all, less the engine's start).
    /// </summary>
    public static void WriteIpynb(string path, IReadOnlyList<NotebookCell> cells, IReadOnlyList<CellResult>? results)
    {
        var document = new InteractiveDocument();
        var codeIndex = 0;
        // nbformat 4.5 wants an id per cell; the position keeps a regenerated notebook's diff small.
        foreach (var (cell, index) in cells.Select((c, i) => (c, i)))
        {
            var id = $"cell-{index + 1}";
            if (!cell.IsCode)
            {
                document.Add(new InteractiveDocumentElement(cell.Source, "markdown") { Id = id });
                continue;
            }
            // Results are in the order of the code cells (a run stops at its first failure).
            var result = results is not null && codeIndex < results.Count ? results[codeIndex] : null;
            codeIndex++;
            document.Add(new InteractiveDocumentElement(cell.Source, cell.KernelName, result?.Outputs.Select(ToElement) ?? [])
            {
                Id = id,
                ExecutionOrder = result?.ExecutionCount ?? 0,
            });
        }
        if (results is not null)
            document.Metadata["d2l_run"] = new Dictionary<string, object>
            {
                ["codeSha256"] = CodeHash(cells),
                ["engine"] = InteractiveEngine.Version(Path.GetDirectoryName(Path.GetFullPath(path))!),
                ["seconds"] = RunSeconds(results),
            };
        AtomicFile.WriteAllText(path, Notebook.ToJupyterJson(document, "csharp").ReplaceLineEndings("\n") + "\n");
    }

    /// <summary>How long the cells of a run took together, in whole seconds (rounded up).</summary>
    public static int RunSeconds(IEnumerable<CellResult> results) =>
        (int)Math.Ceiling(results.Sum(r => r.Duration.TotalSeconds));

    private static InteractiveDocumentOutputElement ToElement(CellOutput output) => output.Kind switch
    {
        "stdout" or "stderr" => new TextElement(output.Text, output.Kind),
        "error" => new ErrorElement(output.Text, "Error", []),
        _ => new DisplayElement(output.Data.ToDictionary(kv => kv.Key, kv => (object)kv.Value)),
    };

    private static KernelInfoCollection Kernels()
    {
        var kernels = new KernelInfoCollection
        {
            new KernelInfo("csharp", "C#", ["c#", "C#"]),
            new KernelInfo("fsharp", "F#", ["f#", "F#"]),
            new KernelInfo("pwsh", "PowerShell", ["powershell"]),
            new KernelInfo("javascript", "JavaScript", ["js"]),
            new KernelInfo("html", "HTML", []),
            new KernelInfo("mermaid", "Mermaid", []),
        };
        kernels.DefaultKernelName = "csharp";
        return kernels;
    }
}

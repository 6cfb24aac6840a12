using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotebookRunner;

/// <summary>Reads Polyglot notebooks (.dib, .ipynb) and writes executed .ipynb files.</summary>
public static class NotebookFile
{
    private static readonly HashSet<string> CellKernels =
        ["csharp", "fsharp", "pwsh", "javascript", "html", "markdown", "mermaid", "sql", "kql", "http", "value", "meta"];

    /// <summary>The cells of a .dib or .ipynb file (the .dib #!meta block is not a cell).</summary>
    public static List<NotebookCell> Read(string path) =>
        Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".dib" => ParseDib(File.ReadAllText(path)),
            ".ipynb" => ParseIpynb(File.ReadAllText(path)),
            _ => throw new ArgumentException($"'{path}' is neither a .dib nor an .ipynb notebook.", nameof(path)),
        };

    public static List<NotebookCell> ParseDib(string text)
    {
        var cells = new List<NotebookCell>();
        string? kernel = null;
        var lines = new List<string>();
        void Flush()
        {
            if (kernel is not null && kernel != "meta")
                cells.Add(new NotebookCell(kernel == "markdown" ? "markdown" : "code", kernel, Trim(lines)));
            lines.Clear();
        }
        foreach (var raw in text.Replace("\r\n", "\n").Split('\n'))
        {
            if (raw.StartsWith("#!") && CellKernels.Contains(raw[2..].Trim()))
            {
                Flush();
                kernel = raw[2..].Trim();
            }
            else lines.Add(raw);
        }
        Flush();
        return cells;
    }

    public static List<NotebookCell> ParseIpynb(string json)
    {
        var doc = JsonNode.Parse(json)!.AsObject();
        var defaultKernel = doc["metadata"]?["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"]?.GetValue<string>() ?? "csharp";
        return doc["cells"]!.AsArray().Select(c =>
        {
            var type = c!["cell_type"]!.GetValue<string>();
            var source = c["source"] is JsonArray a ? string.Concat(a.Select(s => s!.GetValue<string>())) : c["source"]!.GetValue<string>();
            var kernel = type == "markdown" ? "markdown"
                : c["metadata"]?["polyglot_notebook"]?["kernelName"]?.GetValue<string>() ?? defaultKernel;
            return new NotebookCell(type == "markdown" ? "markdown" : "code", kernel, source.Replace("\r\n", "\n"));
        }).ToList();
    }

    /// <summary>SHA-256 of the code cells' sources: identifies exactly which code produced an executed notebook.</summary>
    public static string CodeHash(IEnumerable<NotebookCell> cells)
    {
        var text = string.Join("\n\u0000\n", cells.Where(c => c.IsCode).Select(c => c.KernelName + "\n" + c.Source));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>
    /// Writes an .ipynb with the outputs of a run, readable by VS Code Polyglot Notebooks, Jupyter (.NET kernel)
    /// and GitHub. The notebook metadata records the hash of the code that produced the outputs.
    /// </summary>
    public static void WriteIpynb(string path, IReadOnlyList<NotebookCell> cells, IReadOnlyList<CellResult>? results)
    {
        var cellArray = new JsonArray();
        var codeIndex = 0;
        foreach (var cell in cells)
        {
            var node = new JsonObject
            {
                ["cell_type"] = cell.IsCode ? "code" : "markdown",
                ["metadata"] = cell.IsCode
                    ? new JsonObject { ["dotnet_interactive"] = new JsonObject { ["language"] = cell.KernelName },
                                       ["polyglot_notebook"] = new JsonObject { ["kernelName"] = cell.KernelName } }
                    : new JsonObject(),
                ["source"] = SourceLines(cell.Source),
            };
            if (cell.IsCode)
            {
                // Results are in the order of the code cells (a run stops at its first failure).
                var result = results is not null && codeIndex < results.Count ? results[codeIndex] : null;
                codeIndex++;
                node["execution_count"] = result?.ExecutionCount is > 0 ? result.ExecutionCount : null;
                node["outputs"] = new JsonArray(result?.Outputs.Select(ToJupyter).ToArray() ?? []);
            }
            cellArray.Add(node);
        }
        var notebook = new JsonObject
        {
            ["cells"] = cellArray,
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
                ["language_info"] = new JsonObject { ["file_extension"] = ".cs", ["mimetype"] = "text/x-csharp", ["name"] = "C#", ["pygments_lexer"] = "csharp", ["version"] = "13.0" },
                ["polyglot_notebook"] = new JsonObject
                {
                    ["kernelInfo"] = new JsonObject
                    {
                        ["defaultKernelName"] = "csharp",
                        ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" }),
                    },
                },
                ["d2l_run"] = results is null ? null : new JsonObject { ["codeSha256"] = CodeHash(cells), ["engine"] = "dotnet-interactive 1.0.712001" },
            },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + ".tmp";
        File.WriteAllText(tmp, notebook.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
        File.Move(tmp, full, overwrite: true);
    }

    /// <summary>Writes the cells as a .dib file (the diff-friendly source).</summary>
    public static void WriteDib(string path, IReadOnlyList<NotebookCell> cells)
    {
        var sb = new StringBuilder();
        sb.Append("#!meta\n\n{\"kernelInfo\":{\"defaultKernelName\":\"csharp\",\"items\":[{\"aliases\":[],\"name\":\"csharp\"}]}}\n");
        foreach (var cell in cells) sb.Append($"\n#!{cell.KernelName}\n\n{cell.Source}\n");
        File.WriteAllText(path, sb.ToString());
    }

    private static JsonObject ToJupyter(CellOutput o) => o.Kind switch
    {
        "stdout" or "stderr" => new JsonObject { ["name"] = o.Kind, ["output_type"] = "stream", ["text"] = SourceLines(o.Text) },
        "error" => new JsonObject { ["ename"] = "Error", ["evalue"] = o.Text, ["output_type"] = "error", ["traceback"] = new JsonArray() },
        _ => new JsonObject
        {
            ["data"] = new JsonObject(o.Data.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)SourceLines(kv.Value)))),
            ["metadata"] = new JsonObject(),
            ["output_type"] = "display_data",
        },
    };

    private static JsonArray SourceLines(string text)
    {
        var parts = text.Split('\n');
        var array = new JsonArray();
        for (var i = 0; i < parts.Length; i++)
        {
            var line = i < parts.Length - 1 ? parts[i] + "\n" : parts[i];
            if (line.Length > 0) array.Add(line);
        }
        return array;
    }

    private static string Trim(List<string> lines)
    {
        var start = 0;
        var end = lines.Count;
        while (start < end && string.IsNullOrWhiteSpace(lines[start])) start++;
        while (end > start && string.IsNullOrWhiteSpace(lines[end - 1])) end--;
        return string.Join("\n", lines.Skip(start).Take(end - start));
    }
}

using System.Text.Json.Nodes;

namespace NotebookRunner;

/// <summary>What running one cell produced: folded outputs, raw engine events, success.</summary>
public sealed class CellResult
{
    public required NotebookCell Cell { get; init; }
    public List<CellOutput> Outputs { get; } = [];
    public List<JsonObject> Events { get; } = [];
    public bool Succeeded { get; set; }
    public string? Error { get; set; }
    public int ExecutionCount { get; set; }
    public TimeSpan Duration { get; set; }

    /// <summary>All stdout text of the cell.</summary>
    public string StandardOutput => string.Concat(Outputs.Where(o => o.Kind == "stdout").Select(o => o.Text));

    /// <summary>All text of the cell: stdout plus the plain-text and HTML forms of its displays.</summary>
    public string AllText => string.Join("\n", Outputs.Select(o => o.Text + o.Plain + o.Html));
}

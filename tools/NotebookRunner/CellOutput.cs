namespace NotebookRunner;

/// <summary>
/// One output of a cell, as a notebook front end shows it: a display (MIME type → text) that later updates with
/// the same id replace, a stream of text (stdout/stderr), or an error.
/// </summary>
public sealed class CellOutput
{
    public required string Kind { get; init; } // "display", "stdout", "stderr", "error"
    public string? DisplayId { get; init; }
    public Dictionary<string, string> Data { get; set; } = new();
    public string Text { get; set; } = "";

    /// <summary>How many updates replaced this display after it was first shown.</summary>
    public int Updates { get; set; }

    public string Html => Data.GetValueOrDefault("text/html", "");
    public string Plain => Data.GetValueOrDefault("text/plain", "");
}

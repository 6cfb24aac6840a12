namespace NotebookRunner;

/// <summary>What loading a page in <see cref="OfflineChromium"/> gave.</summary>
public sealed class PageShot
{
    public byte[] Png { get; set; } = [];
    /// <summary>Whether a plotly chart drew its plot area.</summary>
    public bool Drawn { get; set; }
    /// <summary>How many static chart images (<see cref="StaticChartImage"/>) were still visible once the chart had drawn.</summary>
    public int StaticImagesShown { get; set; }
    /// <summary>Script errors and console errors of the page.</summary>
    public List<string> Errors { get; } = [];
    /// <summary>Requests answered from local copies, and requests refused.</summary>
    public List<string> Served { get; } = [];
    public List<string> Refused { get; } = [];

    public override string ToString() =>
        $"drawn: {Drawn}; static images shown: {StaticImagesShown}; errors: [{string.Join(" | ", Errors)}]; served: [{string.Join(", ", Served)}]; refused: [{string.Join(", ", Refused)}]";
}

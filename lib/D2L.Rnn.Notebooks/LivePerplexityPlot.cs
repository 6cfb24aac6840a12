using D2L.Rnn;

namespace D2L.Rnn.Notebooks;

/// <summary>
/// A perplexity chart that redraws in place while training runs: pass <see cref="Add(EpochReport)"/> (or
/// <see cref="Add(string, EpochReport)"/> for several models) as the training progress callback.
/// </summary>
public sealed class LivePerplexityPlot
{
    private readonly Dictionary<string, List<EpochReport>> _curves = new();
    private readonly LiveOutput _output;
    private readonly int _redrawEvery;

    private LivePerplexityPlot(int redrawEvery)
    {
        _redrawEvery = redrawEvery;
        _output = LiveOutput.ShowHtml("<div><em>Training starts…</em></div>");
    }

    /// <summary>Shows an empty chart in the running cell.</summary>
    /// <param name="redrawEvery">Redraw every this many epochs (1: each epoch); the last epoch is always drawn.</param>
    public static LivePerplexityPlot Show(int redrawEvery = 1)
    {
        if (redrawEvery <= 0) throw new ArgumentOutOfRangeException(nameof(redrawEvery), redrawEvery, "redrawEvery must be positive.");
        return new LivePerplexityPlot(redrawEvery);
    }

    /// <summary>The display id that every redraw carries.</summary>
    public string DisplayId => _output.DisplayId;

    /// <summary>How many times the chart was redrawn.</summary>
    public int Redraws => _output.Updates;

    /// <summary>The curves so far, by name.</summary>
    public IReadOnlyDictionary<string, List<EpochReport>> Curves => _curves;

    /// <summary>Adds one epoch of a single training run (named "train").</summary>
    public void Add(EpochReport report) => Add("train", report);

    /// <summary>Adds one epoch of the named run and redraws.</summary>
    public void Add(string name, EpochReport report)
    {
        if (!_curves.TryGetValue(name, out var list)) _curves[name] = list = [];
        list.Add(report);
        if (report.Epoch % _redrawEvery == 0 || report.Epoch == report.NumEpochs) Redraw();
    }

    /// <summary>The chart as it is now.</summary>
    public Plotly.NET.GenericChart Chart =>
        PerplexityChart.Create(_curves.ToDictionary(c => c.Key, c => (IEnumerable<EpochReport>)c.Value));

    private void Redraw() => _output.UpdateHtml(PerplexityChart.ToNotebookHtml(Chart));
}

using System.Diagnostics;
using D2L.Rnn;

namespace D2L.Rnn.Notebooks;

/// <summary>
/// A perplexity chart that redraws in place while training runs: pass <see cref="Add(EpochReport)"/> (or
/// <see cref="Add(string, EpochReport)"/> for several models) as the training progress callback.
/// </summary>
/// <remarks>
/// In a notebook cell it redraws on the first epoch, on the last epoch of every run, and in between at most once per
/// <see cref="RedrawThrottle.Interval"/> (one second by default), each time from a template made once
/// (<see cref="ChartHtmlTemplate"/>), so the chart moves during training at a small fraction of its time.
/// Outside a notebook (a file-based app) it shows the epoch and perplexity on a terminal's status line
/// (<see cref="TerminalStatus"/>) and writes the chart to a standalone HTML file at the end of every run
/// (<see cref="AppOutput"/>), printing the file's path the first time.
/// </remarks>
public sealed class LivePerplexityPlot
{
    private readonly Dictionary<string, List<EpochReport>> _curves = new();
    private readonly LiveOutput? _output;
    private readonly RedrawThrottle _throttle;
    private readonly Stopwatch _redrawing = new();
    private string? _file;
    private int _fileWrites;

    private LivePerplexityPlot(TimeSpan interval)
    {
        _throttle = new RedrawThrottle(interval);
        if (NotebookKernel.IsRunningCell) _output = LiveOutput.ShowHtml("<div><em>Training starts…</em></div>");
    }

    /// <summary>Shows an empty chart in the running cell (outside a notebook: nothing yet).</summary>
    /// <param name="redrawInterval">The shortest time between two redraws during a run (default: one second).</param>
    public static LivePerplexityPlot Show(TimeSpan? redrawInterval = null) => new(redrawInterval ?? TimeSpan.FromSeconds(1));

    /// <summary>The display id that every redraw carries (null outside a notebook).</summary>
    public string? DisplayId => _output?.DisplayId;

    /// <summary>How many times the chart was redrawn (outside a notebook: how many times its file was written).</summary>
    public int Redraws => _output?.Updates ?? _fileWrites;

    /// <summary>The time spent redrawing so far (making the HTML and publishing it).</summary>
    public TimeSpan RedrawTime => _redrawing.Elapsed;

    /// <summary>The curves so far, by name.</summary>
    public IReadOnlyDictionary<string, List<EpochReport>> Curves => _curves;

    /// <summary>Adds one epoch of a single training run (named "train").</summary>
    public void Add(EpochReport report) => Add("train", report);

    /// <summary>
    /// Adds one epoch of the named run and redraws when it is time to. An epoch the run already has (a run continued from
    /// its run checkpoint sends the epochs before again) replaces it.
    /// </summary>
    public void Add(string name, EpochReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (!_curves.TryGetValue(name, out var list)) _curves[name] = list = [];
        var at = list.FindIndex(r => r.Epoch == report.Epoch);
        if (at >= 0) list[at] = report;
        else list.Add(report);
        var last = report.Epoch == report.NumEpochs;
        if (_output is null) AddOutsideNotebook(name, report, last);
        else if (_throttle.ShouldRedraw(lastEpoch: last)) Redraw();
    }

    /// <summary>The chart as it is now.</summary>
    public Plotly.NET.GenericChart Chart => PerplexityChart.Create(CurvesSoFar());

    private Dictionary<string, IEnumerable<EpochReport>> CurvesSoFar() =>
        _curves.ToDictionary(c => c.Key, c => (IEnumerable<EpochReport>)c.Value);

    private void Redraw()
    {
        _redrawing.Start();
        _output!.UpdateHtml(ChartHtmlTemplate.Perplexity(CurvesSoFar()));
        _redrawing.Stop();
    }

    private void AddOutsideNotebook(string name, EpochReport report, bool last)
    {
        TerminalStatus.Show(last ? null : $"{(_curves.Count > 1 || name != "train" ? name + ": " : "")}epoch {report.Epoch}/{report.NumEpochs}, perplexity {report.Perplexity:F2}");
        if (!last) return;
        _redrawing.Start();
        var chart = Chart;
        var first = _file is null;
        _file ??= AppOutput.NewChartPath(AppOutput.Title(chart));
        AppOutput.WriteChart(chart, _file, announce: first);
        _fileWrites++;
        _redrawing.Stop();
    }
}

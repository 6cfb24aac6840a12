using D2L.Rnn;
using Microsoft.FSharp.Core;
using Plotly.NET;
using Chart = Plotly.NET.CSharp.Chart;
using GenericChartExtensions = Plotly.NET.CSharp.GenericChartExtensions;

namespace D2L.Rnn.Notebooks;

/// <summary>
/// Perplexity against epoch as a Plotly.NET line chart: per model a training line (solid) and, when its epochs were
/// validated (<see cref="EpochReport.ValidationPerplexity"/>), a validation line (dashed) of the same colour.
/// </summary>
public static class PerplexityChart
{
    /// <summary>The title of a chart with training lines only.</summary>
    public const string TrainingTitle = "Training perplexity per epoch";

    /// <summary>The title of a chart with validation lines.</summary>
    public const string ValidationTitle = "Perplexity per epoch: training (solid) and validation (dashed)";

    /// <summary>The x-axis title.</summary>
    public const string EpochAxis = "epoch (passes over the training text)";

    /// <summary>The y-axis title: perplexity is the number of equally likely choices the model is left with per character.</summary>
    public const string PerplexityAxis = "perplexity (choices per character)";

    /// <summary>
    /// A line of at most this many epochs marks each one: a run of one epoch (a setting dropped after its first epoch)
    /// is a dot, not an invisible line of one point.
    /// </summary>
    public const int MarkedEpochs = 20;

    /// <summary>A chart of one training curve.</summary>
    public static GenericChart Create(IEnumerable<EpochReport> epochs, string name = "train") =>
        Create(new Dictionary<string, IEnumerable<EpochReport>> { [name] = epochs });

    /// <summary>A chart with the lines of every named training curve (to compare models).</summary>
    public static GenericChart Create(IReadOnlyDictionary<string, IEnumerable<EpochReport>> curves)
    {
        ArgumentNullException.ThrowIfNull(curves);
        var lines = PerplexityLine.Of(curves).Select(l => GenericChartExtensions.WithTraceInfo(
            Chart.Line<int, double, string>(x: l.Epochs, y: l.Perplexities, ShowMarkers: l.Epochs.Count <= MarkedEpochs,
                Name: l.Name, ShowLegend: l.ShowLegend, LineColor: Color.fromHex(l.Color),
                LineDash: l.Dashed ? StyleParam.DrawingStyle.Dash : new Plotly.NET.CSharp.Optional<StyleParam.DrawingStyle>(default!, false)),
            LegendGroup: l.LegendGroup)).ToList();
        var chart = lines.Count == 1 ? lines[0] : Chart.Combine(lines);
        var title = PerplexityLine.AnyValidation(curves) ? ValidationTitle : TrainingTitle;
        return ChartStyle.Titled(chart, title, EpochAxis, PerplexityAxis, width: 760, height: 420);
    }

    /// <summary>
    /// The chart as an HTML fragment for a notebook output: a div and the script that draws it. The script loads
    /// plotly.js through require.js from plotly's CDN (and require.js itself from cdnjs when the page has none, as
    /// in VS Code and JupyterLab), exactly as Plotly.NET.Interactive's formatter does.
    /// </summary>
    public static string ToNotebookHtml(GenericChart chart) =>
        GenericChart.toChartHTML(WithPlotlyJs(chart, PlotlyJSReference.NewRequire(PlotlyJs.RequirePath)));

    /// <summary>
    /// A complete HTML page with plotly.js embedded, viewable offline (no network, no notebook).
    /// </summary>
    public static string ToStandaloneHtml(GenericChart chart)
    {
        return GenericChart.toEmbeddedHTML(WithPlotlyJs(chart, PlotlyJSReference.Full));
    }

    private static GenericChart WithPlotlyJs(GenericChart chart, PlotlyJSReference reference) =>
        GenericChart.addDisplayOptions(
            DisplayOptions.init(null, null, null, null, null, null, FSharpOption<PlotlyJSReference>.Some(reference)), chart);

    /// <summary>Writes <see cref="ToStandaloneHtml"/> to <paramref name="path"/> (atomically), creating its folder.</summary>
    public static string SaveStandaloneHtml(GenericChart chart, string path) => AtomicFile.WriteAllText(path, ToStandaloneHtml(chart));
}

using D2L.Rnn;
using Microsoft.FSharp.Core;
using Plotly.NET;
using Chart = Plotly.NET.CSharp.Chart;
using GenericChartExtensions = Plotly.NET.CSharp.GenericChartExtensions;

namespace D2L.Rnn.Notebooks;

/// <summary>Perplexity against epoch as a Plotly.NET line chart: one line per model.</summary>
public static class PerplexityChart
{
    /// <summary>A chart of one training curve.</summary>
    public static GenericChart Create(IEnumerable<EpochReport> epochs, string name = "train") =>
        Create(new Dictionary<string, IEnumerable<EpochReport>> { [name] = epochs });

    /// <summary>A chart with one line per named training curve (to compare models).</summary>
    public static GenericChart Create(IReadOnlyDictionary<string, IEnumerable<EpochReport>> curves)
    {
        ArgumentNullException.ThrowIfNull(curves);
        var lines = curves.Select(c =>
        {
            var points = c.Value.ToList();
            return Chart.Line<int, double, string>(
                x: points.Select(e => e.Epoch), y: points.Select(e => e.Perplexity), Name: c.Key, ShowLegend: curves.Count > 1);
        }).ToList();
        var chart = lines.Count == 1 ? lines[0] : Chart.Combine(lines);
        chart = GenericChartExtensions.WithXAxisStyle<int, int, string>(chart, TitleText: "epoch");
        chart = GenericChartExtensions.WithYAxisStyle<double, double, string>(chart, TitleText: "perplexity");
        return GenericChartExtensions.WithSize(chart, Width: 720, Height: 400);
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

using Plotly.NET;
using Chart = Plotly.NET.CSharp.Chart;
using GenericChartExtensions = Plotly.NET.CSharp.GenericChartExtensions;

namespace D2L.Rnn.Notebooks;

/// <summary>A settings sweep as a bar chart: one bar per run, grouped and coloured by the setting that changed.</summary>
public static class SweepChart
{
    /// <summary>Test perplexity of every run, labelled "setting = value".</summary>
    public static GenericChart Create(IEnumerable<(string Setting, string Value, double TestPerplexity)> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var bars = runs.Where(r => double.IsFinite(r.TestPerplexity)).GroupBy(r => r.Setting).Select(g =>
            Chart.Column<double, string, string>(
                values: g.Select(r => r.TestPerplexity),
                Keys: new Plotly.NET.CSharp.Optional<IEnumerable<string>>(g.Select(r => $"{g.Key} = {r.Value}").ToArray(), true),
                Name: g.Key)).ToList();
        if (bars.Count == 0) throw new ArgumentException("No run with a finite perplexity to show.", nameof(runs));
        var chart = GenericChartExtensions.WithYAxisStyle<double, double, string>(Chart.Combine(bars), TitleText: "test perplexity");
        return GenericChartExtensions.WithSize(chart, Width: 900, Height: 420);
    }

    /// <summary>Shows <see cref="Create"/> as an output of the running cell (plotly.js through require.js).</summary>
    public static void Show(IEnumerable<(string Setting, string Value, double TestPerplexity)> runs) =>
        LiveOutput.ShowHtml(PerplexityChart.ToNotebookHtml(Create(runs)));
}

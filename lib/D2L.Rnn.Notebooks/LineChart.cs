using Plotly.NET;
using Chart = Plotly.NET.CSharp.Chart;

namespace D2L.Rnn.Notebooks;

/// <summary>
/// Several named lines on one chart, with a title and axis titles: what the lessons plot with matplotlib's
/// <c>plt.plot(x, y, label=…)</c>. Each line takes the next of plotly's colours (<see cref="ChartStyle.Series"/>); the
/// legend sits above the plot when there is more than one line.
/// </summary>
public static class LineChart
{
    /// <summary>The chart of <paramref name="lines"/>, in the order given.</summary>
    public static GenericChart Create(string title, string xTitle, string yTitle, params LineSeries[] lines)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentException.ThrowIfNullOrWhiteSpace(xTitle);
        ArgumentException.ThrowIfNullOrWhiteSpace(yTitle);
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Length == 0) throw new ArgumentException("No line to draw.", nameof(lines));
        var traces = lines.Select((line, i) => Chart.Line<double, double, string>(x: line.X, y: line.Y, Name: line.Name,
            ShowLegend: lines.Length > 1, LineColor: ChartStyle.Series(i), LineWidth: 1.5)).ToList();
        var chart = ChartStyle.Titled(traces.Count == 1 ? traces[0] : Chart.Combine(traces), title, xTitle, yTitle, width: 760, height: 420);
        return lines.Length > 1 ? ChartStyle.WithLegendAbove(chart) : chart;
    }

    /// <summary>Shows <see cref="Create"/> as an output of the running cell (outside a notebook: a standalone HTML file).</summary>
    public static void Show(string title, string xTitle, string yTitle, params LineSeries[] lines) =>
        ChartStyle.Show(Create(title, xTitle, yTitle, lines));
}

using Plotly.NET;
using GenericChartExtensions = Plotly.NET.CSharp.GenericChartExtensions;

namespace D2L.Rnn.Notebooks;

/// <summary>What every chart of the notebooks shares: a title, axis titles, a size, and plotly's colours by index.</summary>
public static class ChartStyle
{
    /// <summary>plotly.js's default colours, in the order it gives them to traces.</summary>
    public static IReadOnlyList<string> Palette { get; } =
        ["#636efa", "#EF553B", "#00cc96", "#ab63fa", "#FFA15A", "#19d3f3", "#FF6692", "#B6E880", "#FF97FF", "#FECB52"];

    /// <summary>The colour of the <paramref name="index"/>-th series (the palette repeats).</summary>
    public static Color Series(int index) => Color.fromHex(Palette[index % Palette.Count]);

    /// <summary>A palette colour as Plotly.NET writes it into a chart's JSON: <c>rgba(99, 110, 250, 1.0)</c>.</summary>
    public static string Rgba(string hex)
    {
        var rgb = Convert.FromHexString(hex.TrimStart('#'));
        return $"rgba({rgb[0]}, {rgb[1]}, {rgb[2]}, 1.0)";
    }

    /// <summary>
    /// Sets the chart's title, its axis titles (which should name the unit), its size in pixels, and optionally more
    /// properties of either axis, as plotly.js names them (such as <c>type = "log"</c> or a <c>range</c>). The title
    /// sits at the top left, where plotly otherwise leaves an empty band.
    /// </summary>
    public static GenericChart Titled(GenericChart chart, string title, string xTitle, string yTitle, int width, int height,
        IReadOnlyDictionary<string, object>? xAxis = null, IReadOnlyDictionary<string, object>? yAxis = null)
    {
        chart = WithLayoutProperty(chart, "title", new Dictionary<string, object> { ["text"] = title, ["x"] = 0.02, ["xanchor"] = "left" });
        chart = WithLayoutProperty(chart, "xaxis", Axis(xTitle, xAxis));
        chart = WithLayoutProperty(chart, "yaxis", Axis(yTitle, yAxis));
        return GenericChartExtensions.WithSize(chart, Width: width, Height: height);
    }

    private static Dictionary<string, object> Axis(string title, IReadOnlyDictionary<string, object>? more)
    {
        var axis = new Dictionary<string, object> { ["title"] = new Dictionary<string, object> { ["text"] = title } };
        foreach (var (name, value) in more ?? new Dictionary<string, object>()) axis[name] = value;
        return axis;
    }

    /// <summary>Puts the legend in one row between the title and the plot, so that the plot keeps the chart's width.</summary>
    public static GenericChart WithLegendAbove(GenericChart chart) =>
        WithLayoutProperty(chart, "legend", new Dictionary<string, object>
        {
            ["orientation"] = "h", ["x"] = 0, ["xanchor"] = "left", ["y"] = 1.02, ["yanchor"] = "bottom",
        });

    /// <summary>
    /// Shows <paramref name="chart"/> as an output of the running cell (plotly.js through require.js); outside a
    /// notebook, writes it to a standalone HTML file and prints where (<see cref="AppOutput.WriteChart"/>).
    /// </summary>
    public static void Show(GenericChart chart)
    {
        if (NotebookKernel.IsRunningCell) LiveOutput.ShowHtml(PerplexityChart.ToNotebookHtml(chart));
        else AppOutput.WriteChart(chart);
    }

    /// <summary>Sets one property of the chart's layout as plotly.js names it (for what Plotly.NET's C# API lacks).</summary>
    public static GenericChart WithLayoutProperty(GenericChart chart, string name, object value)
    {
        var layout = GenericChart.getLayout(chart);
        layout.SetProperty(name, value);
        return GenericChart.setLayout(layout, chart);
    }
}

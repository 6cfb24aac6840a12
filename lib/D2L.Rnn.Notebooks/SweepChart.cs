using Plotly.NET;
using Chart = Plotly.NET.CSharp.Chart;

namespace D2L.Rnn.Notebooks;

/// <summary>
/// A settings sweep as a bar chart: one bar per run, labelled "setting = value" and coloured by the setting that
/// changed (the labels name the bars, so there is no legend). A run that diverged (a perplexity that is not a finite
/// number) is a hatched grey bar up to the top of the axis, labelled "diverged".
/// </summary>
public static class SweepChart
{
    /// <summary>The chart's title, for runs scored on <paramref name="scoredOn"/>.</summary>
    public static string Title(string scoredOn) => $"Every run's perplexity on {scoredOn}, one setting changed at a time";

    /// <summary>The label of a run that diverged.</summary>
    public const string Diverged = "diverged";

    /// <summary>The colour of a diverged run's bar.</summary>
    public const string DivergedColor = "#c4c4c4";

    /// <summary>
    /// The perplexity of every run, in the order given; a diverged run has an infinite or NaN perplexity.
    /// <paramref name="scoredOn"/> names the text the runs were scored on (such as "the test text" or "the
    /// validation text"), for the title.
    /// </summary>
    public static GenericChart Create(IEnumerable<(string Setting, string Value, double Perplexity)> runs, string scoredOn = "held-out text")
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentException.ThrowIfNullOrWhiteSpace(scoredOn);
        var list = runs.ToList();
        if (list.Count == 0) throw new ArgumentException("No run to show.", nameof(runs));
        var finite = list.Where(r => double.IsFinite(r.Perplexity)).Select(r => r.Perplexity).ToList();
        // Room above the highest finite bar; a diverged bar fills the axis to the top.
        var top = finite.Count > 0 ? finite.Max() * 1.15 : 1;
        var settings = list.Select(r => r.Setting).Distinct().ToList();
        bool Blew(int i) => !double.IsFinite(list[i].Perplexity);
        var indices = Enumerable.Range(0, list.Count).ToList();
        var chart = Chart.Column<double, string, string>(
            values: indices.Select(i => Blew(i) ? top : list[i].Perplexity),
            Keys: new Plotly.NET.CSharp.Optional<IEnumerable<string>>(list.Select(r => $"{r.Setting} = {r.Value}").ToArray(), true),
            ShowLegend: false,
            MarkerColor: Color.fromColors(indices.Select(i =>
                Blew(i) ? Color.fromHex(DivergedColor) : ChartStyle.Series(settings.IndexOf(list[i].Setting)))),
            MultiMarkerPatternShape: indices.Select(i => Blew(i) ? StyleParam.PatternShape.DiagonalAscending : StyleParam.PatternShape.None).ToArray(),
            MultiText: indices.Select(i => Blew(i) ? Diverged : "").ToArray(),
            TextPosition: StyleParam.TextPosition.Inside);
        // The label sits in the middle of a diverged bar, dark on its light grey.
        var bars = GenericChart.getTraces(chart).Single();
        bars.SetProperty("insidetextanchor", "middle");
        bars.SetProperty("textfont", new Dictionary<string, object> { ["color"] = "#222222", ["size"] = 13 });
        return ChartStyle.Titled(chart, Title(scoredOn), "the setting that changed, and its value", "perplexity (choices per character)",
            width: 860, height: 480, yAxis: new Dictionary<string, object> { ["range"] = new[] { 0, top } });
    }

    /// <summary>Shows <see cref="Create"/> as an output of the running cell (plotly.js through require.js).</summary>
    public static void Show(IEnumerable<(string Setting, string Value, double Perplexity)> runs, string scoredOn = "held-out text") =>
        ChartStyle.Show(Create(runs, scoredOn));
}

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>The sweep chart names every bar on its axis, and shows a run that diverged instead of leaving it out.</summary>
public class SweepChartTests
{
    private static readonly (string, string, double)[] Runs =
    [
        ("hidden units", "64", 8.6), ("hidden units", "128", 9.5),
        ("clipping θ", "1", 9.0), ("clipping θ", "10", double.PositiveInfinity),
        ("learning rate", "1", 9.0), ("learning rate", "4", double.NaN),
    ];

    [Fact]
    public void EveryRunIsABarAndADivergedOneReachesTheTopMarkedDiverged()
    {
        var chart = ChartJson.Of(SweepChart.Create(Runs, scoredOn: "the validation text"));
        Assert.Equal("Every run's perplexity on the validation text, one setting changed at a time", chart.Title);
        Assert.Equal("perplexity (choices per character)", chart.YTitle);
        var bars = Assert.Single(chart.Data)!;
        Assert.False((bool)bars["showlegend"]!); // the axis names the bars
        Assert.Equal(["hidden units = 64", "hidden units = 128", "clipping θ = 1", "clipping θ = 10", "learning rate = 1", "learning rate = 4"],
            bars["x"]!.AsArray().Select(x => (string?)x));
        var top = ChartJson.Numbers(chart.Layout["yaxis"]!["range"]);
        Assert.Equal([0, 9.5 * 1.15], top);
        Assert.Equal([8.6, 9.5, 9.0, top[1], 9.0, top[1]], ChartJson.Numbers(bars["y"]));
        Assert.Equal(["", "", "", "diverged", "", "diverged"], bars["text"]!.AsArray().Select(t => (string?)t));
        Assert.Equal(["", "", "", "/", "", "/"], bars["marker"]!["pattern"]!["shape"]!.AsArray().Select(t => (string?)t));
        var colors = bars["marker"]!["color"]!.AsArray().Select(c => ChartPixels.Parse((string)c!)).ToList();
        Assert.Equal(ChartPixels.Parse(SweepChart.DivergedColor), colors[3]);
        Assert.Equal(colors[3], colors[5]);
        Assert.Equal(colors[0], colors[1]); // one colour per setting
        Assert.Equal(4, colors.Distinct().Count()); // three settings and the grey of the diverged runs
    }

    [Fact]
    public void WithoutSayingWhichTextTheRunsAreHeldOutOnes() =>
        Assert.Equal("Every run's perplexity on held-out text, one setting changed at a time", ChartJson.Of(SweepChart.Create(Runs)).Title);

    [Fact]
    public void NoRunIsAnError() =>
        Assert.Equal("runs", Assert.Throws<ArgumentException>(() => SweepChart.Create([])).ParamName);
}

using D2L.Rnn;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>The gradient norms over training, on a log axis, against θ.</summary>
public class GradientNormChartTests
{
    private static List<EpochReport> Epochs(params double[][] norms) =>
        norms.Select((n, i) => new EpochReport(i + 1, norms.Length, 10, 0.1, 100, new Dictionary<string, string>()) { GradientNorms = n }).ToList();

    [Fact]
    public void EveryMinibatchIsAPointAtItsFractionOfTheEpoch()
    {
        var (x, norms) = GradientNormChart.Points(Epochs([0.5, 0.4, 0.3, 0.2], [0.1, 0.05]));
        Assert.Equal([0.25, 0.5, 0.75, 1, 1.5, 2], x);
        Assert.Equal([0.5, 0.4, 0.3, 0.2, 0.1, 0.05], norms);
    }

    [Fact]
    public void TheNormsAreOnALogAxisWithThetaAsALineAcrossTraining()
    {
        var chart = ChartJson.Of(GradientNormChart.Create(Epochs([0.5, 0.4], [0.02, 0.005]), 0.01));
        Assert.Equal(GradientNormChart.Title, chart.Title);
        Assert.Equal("log", (string?)chart.Layout["yaxis"]!["type"]);
        Assert.Contains("log scale", chart.YTitle);
        Assert.Contains("epoch", chart.XTitle);
        Assert.Equal([0.5, 1, 1.5, 2], ChartJson.Numbers(chart.Trace(GradientNormChart.NormsName)["x"]));
        Assert.Equal([0.5, 0.4, 0.02, 0.005], ChartJson.Numbers(chart.Trace(GradientNormChart.NormsName)["y"]));
        var theta = chart.Trace(GradientNormChart.ThetaName + "0.01");
        Assert.Equal([0, 2], ChartJson.Numbers(theta["x"]));
        Assert.Equal([0.01, 0.01], ChartJson.Numbers(theta["y"]));
        Assert.Equal("dash", (string?)theta["line"]!["dash"]);
    }

    [Fact]
    public void TheSummaryCountsTheClippedMinibatches() =>
        Assert.Equal("3 of 4 minibatches had a gradient norm above θ = 0.01 and were clipped; the norm was 0.5 to 50 times θ (median 40).",
            GradientNormChart.Summary(Epochs([0.5, 0.4], [0.02, 0.005]), 0.01));

    [Fact]
    public void WithoutRecordedNormsItSaysHowToRecordThem()
    {
        var error = Assert.Throws<ArgumentException>(() => GradientNormChart.Create(Epochs([], []), 0.01));
        Assert.Equal("epochs", error.ParamName);
        Assert.Contains("RecordGradientNorms", error.Message);
        Assert.Equal("theta", Assert.Throws<ArgumentOutOfRangeException>(() => GradientNormChart.Create(Epochs([1]), 0)).ParamName);
    }
}

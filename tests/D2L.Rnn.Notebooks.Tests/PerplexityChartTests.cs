using D2L.Rnn;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>The perplexity chart says what it shows: title, axes with units, and per model a training and a validation line.</summary>
public class PerplexityChartTests
{
    [Fact]
    public void OneTrainingCurveIsOneLineWithTitleAxesAndNoLegend()
    {
        var chart = ChartJson.Of(PerplexityChart.Create(ChartHtmlTemplateTests.Curve(5, 10)));
        Assert.Equal(PerplexityChart.TrainingTitle, chart.Title);
        Assert.Equal("epoch (passes over the training text)", chart.XTitle);
        Assert.Equal("perplexity (choices per character)", chart.YTitle);
        var line = Assert.Single(chart.Data)!;
        Assert.False((bool)line["showlegend"]!);
        Assert.Equal([1, 2, 3, 4, 5], ChartJson.Numbers(line["x"]));
        Assert.Equal(10 / 1.0 + 1.000123456789, ChartJson.Numbers(line["y"])[0], 12);
    }

    [Fact]
    public void EveryModelHasASolidTrainingAndADashedValidationLineInItsOwnColour()
    {
        var curves = new Dictionary<string, IEnumerable<EpochReport>>
        {
            ["RNN"] = ChartHtmlTemplateTests.Curve(6, 10, validateEvery: 2),
            ["GRU"] = ChartHtmlTemplateTests.Curve(6, 20, validateEvery: 1),
            ["LSTM"] = ChartHtmlTemplateTests.Curve(6, 30), // not validated: no validation line
        };
        var chart = ChartJson.Of(PerplexityChart.Create(curves));
        Assert.Equal(PerplexityChart.ValidationTitle, chart.Title);
        Assert.Equal(["RNN", "RNN, validation", "GRU", "GRU, validation", "LSTM"], chart.Data.Select(t => (string?)t!["name"]));
        Assert.All(chart.Data, t => Assert.True((bool)t!["showlegend"]!));

        foreach (var model in new[] { "RNN", "GRU" })
        {
            var (training, validation) = (chart.Trace(model), chart.Trace($"{model}, validation"));
            Assert.Equal((string?)training["line"]!["color"], (string?)validation["line"]!["color"]);
            Assert.Null(training["line"]!["dash"]);
            Assert.Equal("dash", (string?)validation["line"]!["dash"]);
            Assert.Equal(model, (string?)training["legendgroup"]);
            Assert.Equal(model, (string?)validation["legendgroup"]);
        }
        Assert.Equal([2, 4, 6], ChartJson.Numbers(chart.Trace("RNN, validation")["x"]));
        Assert.Equal(10 / 2.0 + 1.5, ChartJson.Numbers(chart.Trace("RNN, validation")["y"])[0], 12);
        Assert.Equal(3, chart.Data.Select(t => (string?)t!["line"]!["color"]).Distinct().Count());
    }

    [Fact]
    public void OneValidatedModelNamesItsLinesTrainingAndValidation()
    {
        var chart = ChartJson.Of(PerplexityChart.Create(ChartHtmlTemplateTests.Curve(4, 10, validateEvery: 1)));
        Assert.Equal(["training", "validation"], chart.Data.Select(t => (string?)t!["name"]));
        Assert.All(chart.Data, t => Assert.True((bool)t!["showlegend"]!));
    }

    [Fact]
    public void AShortRunMarksEachEpochSoThatARunOfOneEpochShows()
    {
        var curves = new Dictionary<string, IEnumerable<EpochReport>>
        {
            ["dropped after one epoch"] = ChartHtmlTemplateTests.Curve(1, 10, validateEvery: 1),
            ["short"] = ChartHtmlTemplateTests.Curve(PerplexityChart.MarkedEpochs, 10),
            ["long"] = ChartHtmlTemplateTests.Curve(PerplexityChart.MarkedEpochs + 1, 10),
        };
        var chart = ChartJson.Of(PerplexityChart.Create(curves));
        Assert.Equal("lines+markers", (string?)chart.Trace("dropped after one epoch")["mode"]);
        Assert.Equal("lines+markers", (string?)chart.Trace("dropped after one epoch, validation")["mode"]);
        Assert.Equal("lines+markers", (string?)chart.Trace("short")["mode"]);
        Assert.Equal("lines", (string?)chart.Trace("long")["mode"]);
    }
}

using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using D2L.Rnn;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>The live chart's HTML comes from a template; it must be what Plotly.NET itself writes for the same data.</summary>
public class ChartHtmlTemplateTests
{
    /// <summary>A falling curve; with <paramref name="validateEvery"/>, every so many epochs also carry a validation perplexity.</summary>
    public static List<EpochReport> Curve(int epochs, double scale, int validateEvery = 0) =>
        Enumerable.Range(1, epochs).Select(i => new EpochReport(i, epochs, scale / i + 1.000123456789, 0.1, 1000, new Dictionary<string, string>())
        {
            ValidationPerplexity = validateEvery > 0 && i % validateEvery == 0 ? scale / i + 1.5 : null,
        }).ToList();

    public static TheoryData<int, int> CurveCounts() => new() { { 1, 0 }, { 4, 0 }, { 1, 1 }, { 4, 3 } };

    [Theory]
    [MemberData(nameof(CurveCounts))]
    public void TheTemplateGivesPlotlyNetsHtmlForTheSameData(int count, int validateEvery)
    {
        var curves = Enumerable.Range(0, count).ToDictionary(i => i == 0 ? "train" : $"LSTM <{i}> \"x\"",
            i => (IEnumerable<EpochReport>)Curve(20 + i, 40 * (i + 1), validateEvery));
        var expected = Normalize(PerplexityChart.ToNotebookHtml(PerplexityChart.Create(curves)));
        var actual = Normalize(ChartHtmlTemplate.Perplexity(curves));
        Assert.Equal(expected.Html, actual.Html);
        Assert.True(JsonNode.DeepEquals(expected.Data, actual.Data), $"{expected.Data}\n{actual.Data}");
    }

    [Fact]
    public void NotebookHtmlLoadsPlotlyJsThroughRequireJsFromTheCdnOfPlotlyNetsVersion()
    {
        var html = ChartHtmlTemplate.Perplexity(new Dictionary<string, IEnumerable<EpochReport>> { ["train"] = Curve(3, 10) });
        Assert.Equal("2.28.0", PlotlyJs.Version);
        Assert.Contains("paths:{plotly:'https://cdn.plot.ly/plotly-2.28.0.min'}", html);
        Assert.Contains("https://cdnjs.cloudflare.com/ajax/libs/require.js/", html); // for pages without require.js
        Assert.Contains("Plotly.newPlot(", html);
    }

    [Fact]
    public void EveryRenderHasItsOwnElementId()
    {
        var curves = new Dictionary<string, IEnumerable<EpochReport>> { ["train"] = Curve(3, 10) };
        string Id(string html) => Regex.Match(html, "<div id=\"([0-9a-f-]{36})\"").Groups[1].Value;
        var a = ChartHtmlTemplate.Perplexity(curves);
        var b = ChartHtmlTemplate.Perplexity(curves);
        Assert.NotEqual(Id(a), Id(b));
        Assert.Contains($"Plotly.newPlot('{Id(a)}'", a);
        Assert.Contains($"renderPlotly_{Id(a).Replace("-", "")}()", a);
    }

    [Fact]
    public void ARenderIsCheap()
    {
        var curves = new Dictionary<string, IEnumerable<EpochReport>> { ["a"] = Curve(500, 10), ["b"] = Curve(500, 20) };
        ChartHtmlTemplate.Perplexity(curves);
        var timer = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 100; i++) ChartHtmlTemplate.Perplexity(curves);
        // The bound is far below what a chart through Plotly.NET takes (the reason for the template) and far above what
        // a render needs, so that a busy machine does not fail it.
        Assert.True(timer.Elapsed.TotalMilliseconds / 100 < 20, $"{timer.Elapsed.TotalMilliseconds / 100:F2} ms per render");
    }

    /// <summary>The HTML with ids and data blanked out, and the data as JSON.</summary>
    private static (string Html, JsonNode Data) Normalize(string html)
    {
        var id = Regex.Match(html, "<div id=\"([0-9a-f-]{36})\"").Groups[1].Value;
        Assert.NotEmpty(id);
        html = html.Replace(id, "ID").Replace(id.Replace("-", ""), "SCRIPTID");
        var data = Regex.Match(html, @"var data = (.*);\r?$", RegexOptions.Multiline);
        Assert.True(data.Success);
        return (html.Replace(data.Groups[1].Value, "DATA"), JsonNode.Parse(data.Groups[1].Value)!);
    }
}

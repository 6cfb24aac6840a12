using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>What a chart's notebook HTML tells plotly to draw: its traces and its layout, as JSON.</summary>
public sealed partial record ChartJson(JsonArray Data, JsonObject Layout)
{
    public static ChartJson Parse(string html)
    {
        var data = DataLine().Match(html);
        var layout = LayoutLine().Match(html);
        Assert.True(data.Success && layout.Success, "no 'var data = …;' and 'var layout = …;' lines in the chart HTML");
        return new ChartJson(JsonNode.Parse(data.Groups[1].Value)!.AsArray(), JsonNode.Parse(layout.Groups[1].Value)!.AsObject());
    }

    public static ChartJson Of(Plotly.NET.GenericChart chart) => Parse(PerplexityChart.ToNotebookHtml(chart));

    public string? Title => (string?)Layout["title"]?["text"];
    public string? XTitle => (string?)Layout["xaxis"]?["title"]?["text"];
    public string? YTitle => (string?)Layout["yaxis"]?["title"]?["text"];

    public JsonObject Trace(string name) => Data.Single(t => (string?)t!["name"] == name)!.AsObject();

    public static double[] Numbers(JsonNode? array) => array!.AsArray().Select(v => (double)v!).ToArray();

    [GeneratedRegex(@"var data = (.*);\r?$", RegexOptions.Multiline)]
    private static partial Regex DataLine();

    [GeneratedRegex(@"var layout = (.*);\r?$", RegexOptions.Multiline)]
    private static partial Regex LayoutLine();
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>What a screenshot of a plotly chart shows: pixels of a trace's colour, and anything drawn at all.</summary>
public static partial class ChartPixels
{
    /// <summary>plotly's first trace colour.</summary>
    public static readonly (int R, int G, int B) FirstTraceColor = (0x63, 0x6e, 0xfa);

    /// <summary>Pixels near #636efa, plotly's first trace colour: an empty box or a failed page has none.</summary>
    public static int Trace(Png image) => Near(image, FirstTraceColor);

    /// <summary>Pixels within 24 of <paramref name="color"/> in each channel.</summary>
    public static int Near(Png image, (int R, int G, int B) color) =>
        Count(image, (r, g, b) => Math.Abs(r - color.R) < 24 && Math.Abs(g - color.G) < 24 && Math.Abs(b - color.B) < 24);

    /// <summary>Pixels that are not (nearly) white.</summary>
    public static int NonWhite(Png image) => Count(image, (r, g, b) => r < 240 || g < 240 || b < 240);

    /// <summary>Fails unless the image shows a drawn line (a few hundred trace pixels and a drawn plot area).</summary>
    public static void AssertDrawn(Png image, string context) => AssertShows(image, FirstTraceColor, context);

    /// <summary>Fails unless the image shows a drawn plot area and a few hundred pixels of <paramref name="color"/>.</summary>
    public static void AssertShows(Png image, (int R, int G, int B) color, string context)
    {
        var trace = Near(image, color);
        var drawn = NonWhite(image);
        Assert.True(trace > 300, $"only {trace} pixels of the trace colour {color}; {context}");
        Assert.True(drawn > 2000, $"only {drawn} non-white pixels; {context}");
    }

    /// <summary>
    /// The colour of the chart's longest trace that names one (the first of equals; a trace of one point is a small
    /// dot): its line's or its first bar's colour, or the top of a heat map's colour scale (the largest value is always
    /// drawn in it); plotly's first colour when no trace names one.
    /// </summary>
    public static (int R, int G, int B) ColorOf(ChartJson chart)
    {
        var named = chart.Data.Select(t => (Points: (t!["x"] as System.Text.Json.Nodes.JsonArray)?.Count ?? 0, Color: GivenColor(t!)))
            .Where(t => t.Color is not null).OrderByDescending(t => t.Points).FirstOrDefault();
        return named.Color is { } color ? Parse(color) : FirstTraceColor;
    }

    private static string? GivenColor(System.Text.Json.Nodes.JsonNode trace)
    {
        var given = (string?)trace["type"] == "heatmap" ? trace["colorscale"]?.AsArray()[^1]?[1]
            : trace["line"]?["color"] ?? trace["marker"]?["color"];
        if (given is System.Text.Json.Nodes.JsonArray many) given = many[0];
        return (string?)given;
    }

    /// <summary>A colour written as <c>#rrggbb</c> or <c>rgba(r, g, b, a)</c>.</summary>
    public static (int R, int G, int B) Parse(string color)
    {
        if (color.StartsWith('#'))
        {
            var rgb = Convert.FromHexString(color[1..]);
            return (rgb[0], rgb[1], rgb[2]);
        }
        var m = Rgba().Match(color);
        Assert.True(m.Success, $"not a colour: {color}");
        int Channel(int i) => int.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture);
        return (Channel(1), Channel(2), Channel(3));
    }

    [GeneratedRegex(@"^rgba?\((\d+),\s*(\d+),\s*(\d+)")]
    private static partial Regex Rgba();

    private static int Count(Png image, Func<int, int, int, bool> match)
    {
        var n = 0;
        for (var y = 0; y < image.Height; y++)
        for (var x = 0; x < image.Width; x++)
        {
            var (r, g, b) = image[x, y];
            if (match(r, g, b)) n++;
        }
        return n;
    }
}

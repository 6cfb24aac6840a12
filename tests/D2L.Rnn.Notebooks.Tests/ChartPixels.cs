namespace D2L.Rnn.Notebooks.Tests;

/// <summary>What a screenshot of a plotly chart shows: pixels of the first trace's colour, and anything drawn at all.</summary>
public static class ChartPixels
{
    /// <summary>Pixels near #636efa, plotly's first trace colour: an empty box or a failed page has none.</summary>
    public static int Trace(Png image) => Count(image, (r, g, b) => Math.Abs(r - 0x63) < 24 && Math.Abs(g - 0x6e) < 24 && Math.Abs(b - 0xfa) < 24);

    /// <summary>Pixels that are not (nearly) white.</summary>
    public static int NonWhite(Png image) => Count(image, (r, g, b) => r < 240 || g < 240 || b < 240);

    /// <summary>Fails unless the image shows a drawn line (a few hundred trace pixels and a drawn plot area).</summary>
    public static void AssertDrawn(Png image, string context)
    {
        var trace = Trace(image);
        var drawn = NonWhite(image);
        Assert.True(trace > 300, $"only {trace} pixels of the trace colour; {context}");
        Assert.True(drawn > 2000, $"only {drawn} non-white pixels; {context}");
    }

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

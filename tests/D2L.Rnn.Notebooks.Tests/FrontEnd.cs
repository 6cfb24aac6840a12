using NotebookRunner;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>
/// A notebook output shown the way a front end shows it: its HTML placed in a page and its scripts run in the
/// system's Chromium, Chrome or Edge (headless), with the CDN requests (plotly.js, require.js) answered from local copies.
/// </summary>
public static class FrontEnd
{
    // One browser for every shot of the test run (the tests run one at a time): starting Chromium took most of the
    // time of a test that draws a notebook's charts. It goes when the test process ends.
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static OfflineChromium? _browser;

    public static async Task<PageShot> ShootAsync(string html, int width = 900, int height = 500)
    {
        await Gate.WaitAsync();
        try
        {
            if (_browser is null)
            {
                _browser = await OfflineChromium.LaunchAsync(SystemTool.Chromium.Require());
                AppDomain.CurrentDomain.ProcessExit += (_, _) => _browser.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
            }
            return await _browser.ShootAsync(html, width, height);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A page that loaded require.js before the output, as classic Jupyter's pages do.</summary>
    public static string WithRequireJs(string outputHtml) =>
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">" +
        "<script src=\"https://cdnjs.cloudflare.com/ajax/libs/require.js/2.1.10/require.min.js\"></script></head><body>\n" +
        outputHtml + "\n</body></html>";

    public static void AssertDrawn(PageShot shot, string context) => AssertDrawn(shot, ChartPixels.FirstTraceColor, context);

    /// <summary>Fails unless plotly drew and the picture shows <paramref name="color"/>.</summary>
    public static void AssertDrawn(PageShot shot, (int R, int G, int B) color, string context)
    {
        var context2 = $"{context}; {shot}";
        Assert.True(shot.Drawn, $"no plot drawn; {context2}");
        ChartPixels.AssertShows(Png.Decode(shot.Png), color, context2);
    }
}

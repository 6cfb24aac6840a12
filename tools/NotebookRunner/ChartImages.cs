namespace NotebookRunner;

/// <summary>
/// Adds to every chart output a PNG of its final frame, inside its HTML (<see cref="StaticChartImage"/>) and beside it
/// (<c>image/png</c>): a page that runs no scripts (GitHub's notebook preview, an HTML export) shows the image, a
/// notebook front end the live chart; a front end that shows only safe types for an untrusted notebook (classic
/// Jupyter) picks the PNG. Drawn in the system's Chromium, Chrome or Edge with plotly.js and require.js served locally.
/// </summary>
public static class ChartImages
{
    /// <summary>Whether an output is a plotly chart.</summary>
    public static bool IsChart(CellOutput output) => output.Kind == "display" && output.Html.Contains("Plotly.newPlot");

    /// <summary>Draws the charts; says in one line why not when it cannot, and leaves those outputs as they are.</summary>
    public static async Task AddAsync(IEnumerable<CellResult> results, Action<string> log, string? chromium = null)
    {
        var charts = results.SelectMany(r => r.Outputs).Where(IsChart).ToList();
        if (charts.Count == 0) return;
        chromium ??= OfflineChromium.FindExecutable();
        if (OfflineChromium.Unavailable(chromium) is { } reason)
        {
            log($"No static chart images: {reason}.");
            return;
        }
        try
        {
            await using var browser = await OfflineChromium.LaunchAsync(chromium!);
            foreach (var chart in charts)
            {
                // A page wider than any chart, so that none is cut off at the edge.
                var shot = await browser.ShootAsync(chart.Html, 1600, 1000, chartOnly: true);
                if (!shot.Drawn)
                {
                    log($"A chart did not draw, no static image for it ({shot}).");
                    continue;
                }
                chart.Data["text/html"] = StaticChartImage.Embed(chart.Html, shot.Png);
                chart.Data["image/png"] = Convert.ToBase64String(shot.Png);
            }
        }
        catch (Exception ex) when (ex is Microsoft.Playwright.PlaywrightException or InvalidOperationException or IOException)
        {
            log($"No static chart images: Chromium failed ({ex.Message.Split('\n')[0]}).");
        }
    }
}

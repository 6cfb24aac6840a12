using System.Text.RegularExpressions;
using NotebookRunner;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>A chart's picture inside its HTML: shown where no script runs, hidden once plotly has drawn.</summary>
[Trait("Category", "Slow")]
public class StaticChartImageTests
{
    [RequiresFact(Tool.Chromium)]
    public async Task ThePictureShowsWithScriptsOffAndGivesWayToTheInteractiveChart()
    {
        var html = PerplexityChart.ToNotebookHtml(PerplexityChart.Create(ChartHtmlTemplateTests.Curve(30, 40)));
        var id = Regex.Match(html, "<div id=\"([0-9a-f-]{36})\"").Groups[1].Value;
        await using var browser = await OfflineChromium.LaunchAsync(SystemTool.Chromium.Require());
        var picture = await browser.ShootAsync(html, 1600, 1000, chartOnly: true);
        Assert.True(picture.Drawn, picture.ToString());
        var embedded = StaticChartImage.Embed(html, picture.Png);
        Assert.Single(Regex.Matches(embedded, "<img [^>]*src=\"data:image/png;base64,"));
        Assert.Matches($"width=\"760\" height=\"420\" [^>]*alt=\"{PerplexityChart.TrainingTitle}\"", embedded);

        // Scripts on: plotly draws and the picture is hidden.
        var on = await browser.ShootAsync(embedded, 1600, 1000);
        FrontEnd.AssertDrawn(on, "scripts on");
        Assert.Equal(0, on.StaticImagesShown);

        // Scripts off: the chart's element shows the picture; without it, the element is empty.
        var folder = Repo.NewScratchFolder("static-image");
        try
        {
            var withPicture = Path.Combine(folder, "with.html");
            var without = Path.Combine(folder, "without.html");
            File.WriteAllText(withPicture, $"<!DOCTYPE html><html><body>{embedded}</body></html>");
            File.WriteAllText(without, $"<!DOCTYPE html><html><body>{html}</body></html>");
            var off = Assert.Single(await browser.ShootElementsWithoutScriptsAsync(withPicture, [$"[id='{id}']"], 1600, 1000));
            Assert.NotNull(off);
            ChartPixels.AssertDrawn(Png.Decode(off), "scripts off");
            Assert.Null(Assert.Single(await browser.ShootElementsWithoutScriptsAsync(without, [$"[id='{id}']"], 1600, 1000)));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

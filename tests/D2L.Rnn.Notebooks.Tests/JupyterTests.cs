using System.Text.Json.Nodes;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>
/// The .ipynb notebooks in Jupyter: every lesson of <see cref="Lessons.All"/> executed by nbconvert on the .NET kernel
/// on its test budget, and the lecture's live chart and HTML export.
/// </summary>
[Trait("Category", "Slow")]
public class JupyterTests(JupyterRun run) : IClassFixture<JupyterRun>
{
    [RequiresTheory(Tool.Jupyter)]
    [MemberData(nameof(Lessons.Names), MemberType = typeof(Lessons))]
    public void RunsEveryCellWithoutAnError(string name)
    {
        var (exit, log) = run.Run(name);
        Assert.True(exit == 0, Tail(log));
        var code = Cells(name).Where(c => (string?)c["cell_type"] == "code").ToList();
        Assert.Equal(Cells(name, executed: false).Count(c => (string?)c["cell_type"] == "code"), code.Count);
        Assert.All(code, c => Assert.NotNull((int?)c["execution_count"]));
        var errors = code.SelectMany(c => c["outputs"]!.AsArray()).Where(o => (string?)o!["output_type"] == "error").ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => e!.ToJsonString())));
    }

    [RequiresTheory(Tool.Jupyter)]
    [MemberData(nameof(Lessons.Names), MemberType = typeof(Lessons))]
    public void PrintsItsLinesAndLandsInItsRanges(string name)
    {
        var lines = Stdout(name).Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        Lessons.Named(name).AssertPrintsAndRanges(lines, "in Jupyter");
    }

    /// <summary>The charts the lesson shows, in order; a live chart holds its final frame (redrawn through update_display_data).</summary>
    [RequiresTheory(Tool.Jupyter)]
    [MemberData(nameof(Lessons.Names), MemberType = typeof(Lessons))]
    public void ShowsItsCharts(string name)
    {
        var charts = Cells(name).SelectMany(c => c["outputs"]?.AsArray() ?? [])
            .Select(o => o!["data"]?["text/html"]).Where(h => h is not null && Text(h).Contains("Plotly.newPlot"))
            .Select(h => ChartJson.Parse(Text(h!))).ToList();
        Assert.Equal(Lessons.Named(name).Charts, charts.Select(c => c.Title));
    }

    [RequiresFact(Tool.Jupyter)]
    public void TheLecturesTrainingChartHoldsItsFinalFrame()
    {
        var training = Cells(JupyterRun.Lecture).SelectMany(c => c["outputs"]?.AsArray() ?? [])
            .Select(o => o!["data"]?["text/html"]).First(h => h is not null && Text(h).Contains("Plotly.newPlot"));
        Assert.Matches(@"""x"":\[1,2,3,.*,200\]", Text(training!));
    }

    /// <summary>
    /// Jupyter's protocol for a live output: the kernel sends display_data with a display id, then
    /// update_display_data with the same id, and front ends (JupyterLab, classic Jupyter, nbclient) replace that
    /// output in place.
    /// </summary>
    [RequiresFact(Tool.Jupyter)]
    public void TheLiveChartIsRedrawnInPlaceThroughUpdateDisplayData()
    {
        var messages = run.Messages(JupyterRun.Lecture);
        var first = messages.Single(m => m.Type == "display_data" && m.Content.Contains("Training starts"));
        Assert.NotNull(first.DisplayId);
        var updates = messages.Where(m => m.Type == "update_display_data" && m.Content.Contains("Plotly.newPlot")).ToList();
        Assert.True(updates.Count >= 2, $"{updates.Count} chart updates");
        Assert.All(updates, u => Assert.Equal(first.DisplayId, u.DisplayId));
        // The training cell (from its first display to the next cell's input) shows no second chart output; the
        // charts of later cells are outputs of their own.
        var training = messages.SkipWhile(m => m != first).TakeWhile(m => m.Type != "execute_input").ToList();
        Assert.DoesNotContain(training, m => m.Type is "display_data" or "execute_result" && m.Content.Contains("Plotly.newPlot"));
        Assert.Equal(updates.Count, training.Count(m => m.Type == "update_display_data" && m.Content.Contains("Plotly.newPlot")));
    }

    [RequiresFact(Tool.Jupyter, Tool.Chromium)]
    public async Task TheHtmlExportDrawsTheChartInABrowser()
    {
        Assert.True(run.HtmlExport.Exit == 0, Tail(run.HtmlExport.Log));
        await using var browser = await NotebookRunner.OfflineChromium.LaunchAsync(SystemTool.Chromium.Require());
        var shot = await browser.ShootFileAsync(run.LectureHtml, 1000, 700);
        File.WriteAllBytes(Path.Combine(run.Scratch, "nbconvert-html.png"), shot.Png);
        FrontEnd.AssertDrawn(shot, "nbconvert --to html");
        Assert.Contains($"https://cdn.plot.ly/plotly-{NotebookRunner.OfflineChromium.PlotlyJsVersion}.min.js", shot.Served);
    }

    private List<JsonNode> Cells(string name, bool executed = true) =>
        (executed ? run.ExecutedNotebook(name) : JsonNode.Parse(File.ReadAllText(Lessons.Named(name).Ipynb))!)["cells"]!.AsArray()
        .Select(c => c!).ToList();

    private string Stdout(string name) => string.Concat(Cells(name).SelectMany(c => c["outputs"]?.AsArray() ?? [])
        .Where(o => (string?)o!["output_type"] == "stream" && (string?)o["name"] == "stdout").Select(o => Text(o!["text"]!)));

    private static string Text(JsonNode node) =>
        node is JsonArray lines ? string.Concat(lines.Select(l => (string?)l)) : (string?)node ?? "";

    private static string Tail(string log) => log.Length > 4000 ? log[^4000..] : log;
}

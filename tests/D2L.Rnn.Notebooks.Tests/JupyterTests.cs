using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>The .ipynb notebooks in Jupyter: executed by nbconvert on the .NET kernel, and exported to HTML.</summary>
[Trait("Category", "Slow")]
public class JupyterTests(JupyterRun run) : IClassFixture<JupyterRun>
{
    public static TheoryData<string> Notebooks() => [JupyterRun.Lecture, JupyterRun.Homework];

    [RequiresTheory(Tool.Jupyter)]
    [MemberData(nameof(Notebooks))]
    public void RunsEveryCellWithoutAnError(string name)
    {
        var (exit, log) = run.Runs[name];
        Assert.True(exit == 0, Tail(log));
        var code = Cells(name).Where(c => (string?)c["cell_type"] == "code").ToList();
        Assert.Equal(Cells(name, executed: false).Count(c => (string?)c["cell_type"] == "code"), code.Count);
        Assert.All(code, c => Assert.NotNull((int?)c["execution_count"]));
        var errors = code.SelectMany(c => c["outputs"]!.AsArray()).Where(o => (string?)o!["output_type"] == "error").ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => e!.ToJsonString())));
    }

    [RequiresFact(Tool.Jupyter)]
    public void TheLecturePrintsItsShapesAndEpochLines()
    {
        var text = Stdout(JupyterRun.Lecture);
        foreach (var line in new[] { "10000 characters, vocabulary of 43 symbols", "state (1, 2, 256)", "input (35, 2, 43)",
                                     "output (35, 2, 256)", "new state (1, 2, 256)", "begin state (1, 2, 256)" })
            Assert.Contains(line, text);
        Assert.Matches(@"(?m)^epoch 20, perplexity [\d.]+, time [\d.]+ sec, fast path$", text);
        Assert.Matches(@"(?m)^time traveller.{50}$", text);
    }

    [RequiresFact(Tool.Jupyter)]
    public void TheHomeworkPrintsItsCorpusAndEveryModel()
    {
        var text = Stdout(JupyterRun.Homework);
        Assert.Contains("260,000 characters, vocabulary of 28", text);
        Assert.Contains("training on 60,000, validating on the next 100,000, testing on the last 100,000", text);
        foreach (var model in new[] { "RNN", "GRU", "LSTM", "LSTM, 2 layers", "MLP, Sequential", "MLP, BagOfCharacters" })
        {
            Assert.Matches($@"(?m)^{Regex.Escape(model)}\s+best validation perplexity [\d.]+ \(epoch 1\), [\d.]+ s/epoch", text);
            // The test table: validation and test perplexity.
            Assert.Matches($@"(?m)^{Regex.Escape(model)}\s+[\d.]+\s+[\d.]+(\s+test accuracy [\d.]+ ?%)?\s*$", text);
        }
    }

    [RequiresTheory(Tool.Jupyter)]
    [MemberData(nameof(Notebooks))]
    public void ShowsItsChartsAndTheTrainingChartWithItsFinalFrame(string name)
    {
        var charts = Cells(name).SelectMany(c => c["outputs"]?.AsArray() ?? [])
            .Select(o => o!["data"]?["text/html"]).Where(h => h is not null && Text(h).Contains("Plotly.newPlot")).ToList();
        // The lecture: the training chart, the gradient norms and the hidden states. The homework: the training chart,
        // the settings sweep and the MLPs' training chart.
        Assert.Equal(3, charts.Count);
        var chart = Text(charts[0]!);
        var lastEpoch = name == JupyterRun.Lecture ? 20 : 1;
        Assert.Matches($@"""x"":\[(1,)*.*\b{lastEpoch}\]", chart);
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
        (executed ? run.ExecutedNotebook(name) : JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Notebooks, name)))!)["cells"]!.AsArray()
        .Select(c => c!).ToList();

    private string Stdout(string name) => string.Concat(Cells(name).SelectMany(c => c["outputs"]?.AsArray() ?? [])
        .Where(o => (string?)o!["output_type"] == "stream" && (string?)o["name"] == "stdout").Select(o => Text(o!["text"]!)));

    private static string Text(JsonNode node) =>
        node is JsonArray lines ? string.Concat(lines.Select(l => (string?)l)) : (string?)node ?? "";

    private static string Tail(string log) => log.Length > 4000 ? log[^4000..] : log;
}

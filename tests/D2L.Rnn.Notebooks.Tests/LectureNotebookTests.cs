using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NotebookRunner;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>
/// What only the lecture shows, beyond what <see cref="LessonNotebookTests"/> checks of every lesson: its run in the
/// engine (the lesson's full 200 epochs), shared with the other tests of the lessons.
/// </summary>
[Trait("Category", "Slow")]
[Collection(LessonCollection.Name)]
public class LectureNotebookTests(LessonRuns runs)
{
    private Task<EngineRun> Run() => runs.Engine(Lessons.Named("rnn-gluon"));

    // The training cell of section 7: the one that draws the live chart.
    private static CellResult TrainingCell(EngineRun run) => run.Section("## 7.").Single(r => r.Outputs.Any(o => o.Html.Contains("Plotly.newPlot")));

    [Fact]
    public async Task PrintsTheLecturesShapesInTheirSections()
    {
        var run = await Run();
        Assert.Contains("10000 characters, vocabulary of 43 symbols", run.Printed("## 1."));
        Assert.Contains("state (1, 2, 256)", run.Printed("## 3."));
        var pass = run.Printed("## 4.");
        Assert.Contains("input (35, 2, 43)", pass);
        Assert.Contains("output (35, 2, 256)", pass);
        Assert.Contains("new state (1, 2, 256)", pass);
        Assert.Contains("begin state (1, 2, 256)", run.Printed("## 5."));
    }

    [Fact]
    public async Task PredictsBeforeAndAfterTraining()
    {
        var run = await Run();
        var before = string.Concat(run.Section("## 6.").Select(r => r.AllText));
        Assert.Matches("traveller.{10}", before);
        var after = run.Printed("## 8.").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, after.Length);
        Assert.Equal(9 + 50, after[0].Length);
        Assert.StartsWith("time traveller", after[1]);
    }

    [Fact]
    public async Task ReportsEvery50EpochsWithPredictions()
    {
        var training = (await Run()).Printed("## 7.");
        var reports = Regex.Matches(training, @"^epoch (\d+), perplexity ([\d.]+), time ([\d.]+) sec, fast path$", RegexOptions.Multiline);
        Assert.Equal([50, 100, 150, 200], reports.Select(m => int.Parse(m.Groups[1].Value)));
        Assert.Equal(4 * 2, Regex.Matches(training, @"^ - (time )?traveller.{50}$", RegexOptions.Multiline).Count);
    }

    [Fact]
    public async Task OneLiveChartIsUpdatedInPlaceUnderTheIdOfItsFirstDisplay()
    {
        var cell = TrainingCell(await Run());
        var charts = cell.Outputs.Where(o => o.Html.Contains("Plotly.newPlot")).ToList();
        var chart = Assert.Single(charts);

        // The raw engine events: one display, and every update carries its id.
        var produced = cell.Events.Where(e => (string?)e["eventType"] == "DisplayedValueProduced").Select(Id).ToList();
        var updated = cell.Events.Where(e => (string?)e["eventType"] == "DisplayedValueUpdated").Select(Id).ToList();
        var id = Assert.Single(produced);
        Assert.All(updated, u => Assert.Equal(id, u));
        Assert.Equal(id, chart.DisplayId);
        Assert.Equal(updated.Count, chart.Updates);
        // At most one redraw per second of the cell's run, plus the first and the last epoch; and it moved.
        Assert.InRange(chart.Updates, 3, (int)cell.Duration.TotalSeconds + 2);
        // The final frame has all 200 epochs.
        Assert.Matches(@"""x"":\[1,2,3,.*,200\]", chart.Html);
    }

    [Fact]
    public async Task RedrawingTakesAtMostATenthOfTheTrainingTime()
    {
        var run = await Run();
        var m = Regex.Match(run.AfterOutput, @"redraws (\d+), redraw seconds ([\d.]+), training seconds ([\d.]+)");
        Assert.True(m.Success, run.AfterOutput);
        var (redraws, redrawing, training) = (int.Parse(m.Groups[1].Value), Seconds(m.Groups[2].Value), Seconds(m.Groups[3].Value));
        Assert.Equal(run.Section("## 7.").SelectMany(r => r.Outputs).Single(o => o.Html.Contains("Plotly.newPlot")).Updates, redraws);
        Assert.True(redrawing <= 0.1 * training, $"{redraws} redraws took {redrawing:F3} s of {training:F1} s of training");
    }

    [RequiresFact(Tool.Chromium)]
    public async Task TheLiveChartOutputDrawsInANotebookFrontEnd()
    {
        var run = await Run();
        var chart = run.Section("## 7.").SelectMany(r => r.Outputs).Single(o => o.Html.Contains("Plotly.newPlot"));
        // VS Code's webview and JupyterLab have no require.js: the chart loads it, then plotly.js through it.
        var shot = await FrontEnd.ShootAsync(chart.Html);
        FrontEnd.AssertDrawn(shot, "without require.js on the page");
        Assert.Contains(shot.Served, u => u.StartsWith("https://cdnjs.cloudflare.com/ajax/libs/require.js/"));
        Assert.Contains($"https://cdn.plot.ly/plotly-{PlotlyJs.Version}.min.js", shot.Served);
        // Classic Jupyter pages have require.js already: the chart uses it.
        FrontEnd.AssertDrawn(await FrontEnd.ShootAsync(FrontEnd.WithRequireJs(chart.Html)), "with require.js on the page");
    }

    [Fact]
    public async Task WritesAStandaloneChartWithPlotlyEmbedded()
    {
        var html = File.ReadAllText(Path.Combine((await Run()).OutputFolder, "rnn-gluon-perplexity.html"));
        Assert.DoesNotMatch("<script[^>]*src=", html); // nothing loaded from outside
        Assert.Contains("plotly.js v", html);
        Assert.Contains("Plotly.newPlot", html);
        Assert.True(html.Length > 1_000_000, "plotly.js should be inlined");
    }

    [RequiresFact(Tool.Chromium)]
    public async Task TheStandaloneChartDrawsOffline()
    {
        var shot = await FrontEnd.ShootAsync(File.ReadAllText(Path.Combine((await Run()).OutputFolder, "rnn-gluon-perplexity.html")));
        FrontEnd.AssertDrawn(shot, "standalone chart");
        Assert.Empty(shot.Served); // it needed nothing from outside
    }

    [Fact]
    public async Task TheLayersFirstStepByHandIsTheLayersOutput()
    {
        var run = await Run();
        var printed = string.Concat(run.Section("## 4.").Select(r => r.StandardOutput));
        var m = Regex.Match(printed, @"(?m)^first step by hand \(2, 256\), largest difference from the layer's output: (\S+)$");
        Assert.True(m.Success, printed);
        // float32 rounding of sums of a few hundred products of numbers below 1.
        Assert.InRange(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), 0, 1e-5);
    }

    [Fact]
    public async Task TheGradientNormOfEveryMinibatchIsDrawnOnALogAxisAgainstTheta()
    {
        var run = await Run();
        var chart = run.Chart(GradientNormChart.Title);
        var norms = chart.Trace(GradientNormChart.NormsName);
        var (x, y) = (ChartJson.Numbers(norms["x"]), ChartJson.Numbers(norms["y"]));
        // 10,000 characters in minibatches of 32 × 35: 8 minibatches in each of the 200 epochs.
        Assert.Equal(200 * 8, y.Length);
        Assert.Equal(y.Length, x.Length);
        Assert.Equal(1.0 / 8, x[0], 12);
        Assert.Equal(200, x[^1], 12);
        Assert.All(x.Zip(x.Skip(1)), p => Assert.True(p.Second > p.First, $"x not increasing at {p.First}"));
        Assert.All(y, n => Assert.True(double.IsFinite(n) && n > 0, $"norm {n}"));
        var theta = chart.Trace(GradientNormChart.ThetaName + "0.01");
        Assert.Equal([0.01, 0.01], ChartJson.Numbers(theta["y"]));
        Assert.Equal([0, 200], ChartJson.Numbers(theta["x"]));
        Assert.Equal("log", (string?)chart.Layout["yaxis"]!["type"]);
        // The summary the notebook prints counts the same minibatches.
        var summary = string.Concat(run.Section("## 9.").Select(r => r.StandardOutput));
        var m = Regex.Match(summary, @"(\d+) of (\d+) minibatches had a gradient norm above θ = 0.01");
        Assert.True(m.Success, summary);
        Assert.Equal(y.Length, int.Parse(m.Groups[2].Value));
        Assert.Equal(y.Count(n => n > 0.01), int.Parse(m.Groups[1].Value));
    }

    [Fact]
    public async Task TheHiddenStateChartShowsTheMostVariableUnitsOverThePassage()
    {
        var run = await Run();
        var printed = string.Concat(run.Section("## 10.").Select(r => r.StandardOutput));
        Assert.Contains("hidden states (65, 256)", printed);
        var units = Regex.Match(printed, @"(?m)^the 5 most variable units: (\d+(?:, \d+){4})$");
        Assert.True(units.Success, printed);
        var map = Assert.Single(run.Chart(HiddenStateChart.Title).Data)!;
        Assert.Equal("heatmap", (string?)map["type"]);
        var labels = map["y"]!.AsArray().Select(y => (string)y!).ToList();
        Assert.Equal(units.Groups[1].Value.Split(", "), labels.Select(l => Regex.Match(l, @"^unit (\d+) \(").Groups[1].Value));
        var activations = map["customdata"]!.AsArray().Select(ChartJson.Numbers).ToList();
        Assert.Equal(5, activations.Count);
        Assert.All(activations, row => Assert.Equal(65, row.Length));
        // A ReLU layer: finite, never negative; and the chosen units do move over the passage.
        Assert.All(activations.SelectMany(r => r), v => Assert.True(double.IsFinite(v) && v >= 0, $"activation {v}"));
        Assert.All(activations, row => Assert.True(row.Max() > row.Min(), "a chosen unit that never changes"));
        // Each row's colour spans the row's own range, which its label states.
        var shares = map["z"]!.AsArray().Select(ChartJson.Numbers).ToList();
        Assert.All(shares, row => Assert.Equal((0.0, 1.0), (row.Min(), row.Max())));
        Assert.All(labels.Zip(activations), p => Assert.EndsWith(string.Create(CultureInfo.InvariantCulture, $"({p.Second.Min():0.##} to {p.Second.Max():0.##})"), p.First));
        var passage = "the time traveller (for so it will be convenient to speak of him)";
        Assert.All(map["text"]!.AsArray(), row => Assert.Equal(passage.Select(c => c.ToString()), row!.AsArray().Select(t => (string?)t)));
    }

    private static double Seconds(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static string? Id(JsonObject e) => (string?)e["event"]?["valueId"];
}

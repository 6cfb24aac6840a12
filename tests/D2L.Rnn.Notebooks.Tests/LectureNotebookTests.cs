using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NotebookRunner;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>
/// Runs notebooks/rnn-gluon.dib once, in full, in the real engine (dotnet-interactive stdio), with its files going
/// to a scratch folder.
/// </summary>
public sealed class LectureNotebookRun : IAsyncLifetime
{
    public static string Dib => Path.Combine(Repo.Notebooks, "rnn-gluon.dib");

    public string Output { get; } = Repo.NewScratchFolder("lecture");
    public string ChartFile => Path.Combine(Output, "rnn-gluon-perplexity.html");

    public List<CellResult> Results { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Repo.UseSharedDataWhenPresent();
        Environment.SetEnvironmentVariable("D2L_EPOCHS", null); // the lecture's full 200 epochs
        Environment.SetEnvironmentVariable("D2L_OUTPUT_DIR", Output);
        try
        {
            Results = await NotebookRun.RunAsync(Dib, TimeSpan.FromMinutes(20));
        }
        finally
        {
            Environment.SetEnvironmentVariable("D2L_OUTPUT_DIR", null);
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Output, recursive: true);
        return Task.CompletedTask;
    }

    public CellResult CellContaining(string code) => Results.Single(r => r.Cell.Source.Contains(code));
}

public class LectureNotebookTests(LectureNotebookRun run) : IClassFixture<LectureNotebookRun>
{
    [Fact]
    public void EveryCellSucceeds()
    {
        var failed = run.Results.Where(r => !r.Succeeded).Select(r => $"{r.Cell.Source[..Math.Min(60, r.Cell.Source.Length)]}: {r.Error}");
        Assert.Empty(failed);
        Assert.Equal(NotebookFile.Read(LectureNotebookRun.Dib).Count(c => c.IsCode), run.Results.Count);
    }

    [Fact]
    public void PrintsTheLecturesShapes()
    {
        Assert.Contains("10000 characters, vocabulary of 43 symbols", run.CellContaining("LoadLecture").StandardOutput);
        Assert.Contains("state (1, 2, 256)", run.CellContaining("zeros(1, batchSize").StandardOutput);
        var pass = run.CellContaining("rnnLayer.call").StandardOutput;
        Assert.Contains("input (35, 2, 43)", pass);
        Assert.Contains("output (35, 2, 256)", pass);
        Assert.Contains("new state (1, 2, 256)", pass);
        Assert.Contains("begin state (1, 2, 256)", run.CellContaining("new RNNModel").StandardOutput);
    }

    [Fact]
    public void PredictsBeforeAndAfterTraining()
    {
        var before = run.CellContaining("Predictor.Predict(\"traveller\", 10").AllText;
        Assert.Matches("traveller.{10}", before);
        var after = run.CellContaining("Predictor.Predict(prefix, 50").StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, after.Length);
        Assert.Equal(9 + 50, after[0].Length);
        Assert.StartsWith("time traveller", after[1]);
    }

    [Fact]
    public void TrainsTheLectureRunToALowPerplexity()
    {
        var training = run.CellContaining("Trainer.Train").StandardOutput;
        var reports = Regex.Matches(training, @"^epoch (\d+), perplexity ([\d.]+), time ([\d.]+) sec$", RegexOptions.Multiline);
        Assert.Equal([50, 100, 150, 200], reports.Select(m => int.Parse(m.Groups[1].Value)));
        var perplexities = reports.Select(m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)).ToList();
        // Measured here: 7.59 / 3.72 / 1.98 / 1.49 (seed 0); the lecture published 4.20 / 2.00 / 1.51 / 1.30.
        Assert.True(perplexities[^1] < 2.0, $"final perplexity {perplexities[^1]}");
        Assert.True(perplexities[0] > perplexities[^1]);
        Assert.Contains("time traveller", training);
    }

    [Fact]
    public void OneLiveChartIsUpdatedInPlaceUnderTheIdOfItsFirstDisplay()
    {
        var cell = run.CellContaining("LivePerplexityPlot.Show");
        var charts = cell.Outputs.Where(o => o.Html.Contains("Plotly.newPlot")).ToList();
        var chart = Assert.Single(charts);
        Assert.Equal(200, chart.Updates);

        // The raw engine events: one display, and every update carries its id.
        var produced = cell.Events.Where(e => (string?)e["eventType"] == "DisplayedValueProduced").Select(Id).ToList();
        var updated = cell.Events.Where(e => (string?)e["eventType"] == "DisplayedValueUpdated").Select(Id).ToList();
        var id = Assert.Single(produced);
        Assert.Equal(200, updated.Count);
        Assert.All(updated, u => Assert.Equal(id, u));
        Assert.Equal(id, chart.DisplayId);
        // The final frame has all 200 epochs.
        Assert.Matches(@"""x"":\[1,2,3,.*,200\]", chart.Html);
    }

    [Fact]
    public void WritesAStandaloneChartWithPlotlyEmbedded()
    {
        var html = File.ReadAllText(run.ChartFile);
        Assert.DoesNotMatch("<script[^>]*src=", html); // nothing loaded from outside
        Assert.Contains("plotly.js v", html);
        Assert.Contains("Plotly.newPlot", html);
        Assert.True(html.Length > 1_000_000, "plotly.js should be inlined");
    }

    [Fact]
    public void TheChartDrawsInARealBrowser()
    {
        var png = Path.Combine(run.Output, "rnn-gluon-perplexity.png");
        Chromium.Screenshot(run.ChartFile, png, 900, 500);
        var image = Png.Read(png);
        // Plotly's first trace colour is #636efa; an empty or failed page has none of it.
        var tracePixels = 0;
        var nonWhite = 0;
        for (var y = 0; y < image.Height; y++)
        for (var x = 0; x < image.Width; x++)
        {
            var (r, g, b) = image[x, y];
            if (Math.Abs(r - 0x63) < 24 && Math.Abs(g - 0x6e) < 24 && Math.Abs(b - 0xfa) < 24) tracePixels++;
            if (r < 240 || g < 240 || b < 240) nonWhite++;
        }
        Assert.True(tracePixels > 300, $"only {tracePixels} pixels of the trace colour");
        Assert.True(nonWhite > 2000, $"only {nonWhite} non-white pixels");
    }

    private static string? Id(JsonObject e) => (string?)e["event"]?["valueId"];
}

/// <summary>Debian's headless Chromium, as installed by .ci/install-deps.</summary>
public static class Chromium
{
    public static void Screenshot(string htmlFile, string pngFile, int width, int height)
    {
        var exe = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists)
                  ?? throw new InvalidOperationException("Chromium is not installed: run .ci/install-deps (apt-get install chromium).");
        if (File.Exists(pngFile)) File.Delete(pngFile);
        var profile = Directory.CreateTempSubdirectory("chromium-").FullName;
        var info = new ProcessStartInfo(exe,
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}", "--hide-scrollbars",
            $"--window-size={width},{height}", "--virtual-time-budget=5000", $"--screenshot={pngFile}", new Uri(htmlFile).AbsoluteUri,
        ]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var p = Process.Start(info)!;
        p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(60_000)) { p.Kill(true); throw new TimeoutException("Chromium did not finish the screenshot."); }
        try { Directory.Delete(profile, true); } catch (IOException) { }
        if (!File.Exists(pngFile)) throw new InvalidOperationException($"Chromium wrote no screenshot (exit {p.ExitCode}).");
    }
}

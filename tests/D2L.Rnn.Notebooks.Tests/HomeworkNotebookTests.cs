using System.Globalization;
using System.Text.RegularExpressions;
using NotebookRunner;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>Runs notebooks/homework8-shakespeare.dib in the real engine with a small budget (1 epoch, 130,000 characters).</summary>
public sealed class HomeworkNotebookRun : IAsyncLifetime
{
    public static string Dib => Path.Combine(Repo.Notebooks, "homework8-shakespeare.dib");

    public List<CellResult> Results { get; private set; } = [];

    /// <summary>Where the notebook writes its models (D2L_OUTPUT_DIR), outside the checkout.</summary>
    public string OutputFolder { get; } = Repo.NewScratchFolder("homework");

    public async Task InitializeAsync()
    {
        Repo.UseSharedDataWhenPresent();
        Environment.SetEnvironmentVariable("D2L_EPOCHS", "1");
        Environment.SetEnvironmentVariable("D2L_MAX_TOKENS", "130000");
        Environment.SetEnvironmentVariable("D2L_OUTPUT_DIR", OutputFolder);
        try
        {
            Results = await NotebookRun.RunAsync(Dib, TimeSpan.FromMinutes(20));
        }
        finally
        {
            Environment.SetEnvironmentVariable("D2L_EPOCHS", null);
            Environment.SetEnvironmentVariable("D2L_MAX_TOKENS", null);
            Environment.SetEnvironmentVariable("D2L_OUTPUT_DIR", null);
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(OutputFolder, recursive: true);
        return Task.CompletedTask;
    }

    public string Output(string code) => Results.Single(r => r.Cell.Source.Contains(code)).StandardOutput;
}

public class HomeworkNotebookTests(HomeworkNotebookRun run) : IClassFixture<HomeworkNotebookRun>
{
    private static readonly string[] Models = ["RNN", "GRU", "LSTM", "LSTM, 2 layers"];

    [Fact]
    public void EveryCellSucceeds()
    {
        Assert.All(run.Results, r => Assert.True(r.Succeeded, r.Error));
        Assert.Equal(NotebookFile.Read(HomeworkNotebookRun.Dib).Count(c => c.IsCode), run.Results.Count);
    }

    [Fact]
    public void HoldsOutTheLast100000Characters()
    {
        var output = run.Output("HoldOutTail");
        Assert.Contains("130,000 characters, vocabulary of 28", output);
        Assert.Contains("training on 30,000, testing on the last 100,000", output);
    }

    [Fact]
    public void TrainsFourModelsOnOneComparisonChart()
    {
        var output = run.Output("LivePerplexityPlot.Show");
        foreach (var name in Models) Assert.Matches($@"(?m)^{Regex.Escape(name)}\s+train perplexity [\d.]+, [\d.]+ s/epoch", output);
        var cell = run.Results.Single(r => r.Cell.Source.Contains("LivePerplexityPlot.Show"));
        var chart = Assert.Single(cell.Outputs, o => o.Html.Contains("Plotly.newPlot"));
        foreach (var name in Models) Assert.Contains($"\"name\":\"{name}\"", chart.Html);
    }

    [Fact]
    public void EvaluatesEveryModelOnTheTestSetAndReloadsItExactly()
    {
        var evaluated = Perplexities(run.Output("Evaluator.Perplexity(m.Value, test)"), @"test perplexity ([\d.]+)");
        Assert.Equal(Models, evaluated.Keys);
        // One epoch on 30,000 characters: well below a uniform guess over 28 symbols, far from perfect.
        Assert.All(evaluated.Values, p => Assert.InRange(p, 5, 28));

        var saved = run.Output("Checkpoint.Save");
        foreach (var name in Models)
        {
            var m = Regex.Match(saved, $@"(?m)^{Regex.Escape(name)}\s+(\S+\.ckpt): reloaded test perplexity ([\d.]+) \(before saving ([\d.]+)\)");
            Assert.True(m.Success, saved);
            Assert.Equal(m.Groups[3].Value, m.Groups[2].Value);
            Assert.Equal(evaluated[name].ToString("F3", CultureInfo.InvariantCulture), m.Groups[2].Value);
            Assert.True(File.Exists(Path.Combine(run.OutputFolder, "models", m.Groups[1].Value)), m.Groups[1].Value);
        }
    }

    [Fact]
    public void Generates200CharactersFromBrutusWithEveryModel()
    {
        var output = run.Output("honorable man");
        foreach (var name in Models)
        foreach (var how in new[] { "argmax", "sampled" })
        {
            var m = Regex.Match(output, $@"(?m)^{Regex.Escape(name)} \({how}\):\s+(but brutus is an honorable man.*)$");
            Assert.True(m.Success, output);
            Assert.Equal("but brutus is an honorable man".Length + 200, m.Groups[1].Value.TrimEnd('\r').Length);
        }
    }

    private static Dictionary<string, double> Perplexities(string output, string pattern) =>
        Models.ToDictionary(n => n, n => double.Parse(
            Regex.Match(output, $@"(?m)^{Regex.Escape(n)}\s+{pattern}").Groups[1].Value, CultureInfo.InvariantCulture));
}

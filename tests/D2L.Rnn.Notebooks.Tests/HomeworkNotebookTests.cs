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
        // One epoch on 30,000 characters: below a uniform guess over 28 symbols, far from perfect.
        Assert.All(evaluated.Values, p => Assert.InRange(p, 8, 22)); // measured 14.7–17.0; a uniform guess is 28

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

    [Fact]
    public void ComparesTrainAndTestPerplexityWithTheSameCalculator()
    {
        var output = run.Output("trainSample");
        var evaluated = Perplexities(run.Output("Evaluator.Perplexity(m.Value, test)"), @"test perplexity ([\d.]+)");
        foreach (var name in Models)
        {
            var m = Regex.Match(output, $@"(?m)^{Regex.Escape(name)}\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*$");
            Assert.True(m.Success, output);
            var (train, test, ratio) = (Number(m.Groups[1].Value), Number(m.Groups[2].Value), Number(m.Groups[3].Value));
            Assert.Equal(evaluated[name], test, 3);
            Assert.InRange(train, 1, 28);
            Assert.Equal(test / train, ratio, 2);
        }
    }

    [Fact]
    public void SweepsEverySettingTheHomeworkNamesInOneTableAndOneChart()
    {
        var cell = run.Results.Single(r => r.Cell.Source.Contains("SweepRun("));
        var rows = Regex.Matches(cell.StandardOutput, @"(?m)^(hidden units|embedding length|clipping θ|learning rate|epochs)\s+(\S+)\s+(?:([\d.]+)\s+([\d.]+)\s+([\d.]+)|diverged.*)\s*$");
        var settings = rows.GroupBy(m => m.Groups[1].Value).ToDictionary(g => g.Key, g => g.Select(m => m.Groups[2].Value).ToList());
        Assert.Equal(["64", "128", "256", "512"], settings["hidden units"]);
        Assert.Equal(["one-hot", "8", "32"], settings["embedding length"]);
        Assert.Equal(["0.1", "1", "10"], settings["clipping θ"]);
        Assert.Equal(["0.25", "1", "4"], settings["learning rate"]);
        Assert.Equal(["1", "2", "4"], settings["epochs"]); // D2L_EPOCHS=1 sets the base
        // The baseline (256 units, one-hot, θ 1, lr 1, base epochs) is one run shown in every group.
        var baseline = rows.Where(m => (m.Groups[1].Value, m.Groups[2].Value) is ("hidden units", "256") or ("embedding length", "one-hot")
                or ("clipping θ", "1") or ("learning rate", "1") or ("epochs", "1")).Select(m => m.Groups[4].Value).Distinct();
        Assert.Single(baseline);
        // More epochs on the same text lower the training perplexity.
        var byEpochs = rows.Where(m => m.Groups[1].Value == "epochs").Select(m => Number(m.Groups[3].Value)).ToList();
        Assert.True(byEpochs[0] > byEpochs[2], string.Join(", ", byEpochs));
        Assert.Single(cell.Outputs, o => o.Html.Contains("Plotly.newPlot"));
        Assert.Matches(@"(?m)^best learning rate: \S+", cell.StandardOutput);
    }

    [Fact]
    public void TheBestRunReportsItsTestPerplexityAndWrites200Characters()
    {
        var output = run.Output("bestKind");
        Assert.Matches(@"(?m)^best run: (RNN|GRU|LSTM|LSTM, 2 layers), 2 epochs, lr \S+, θ \S+", output);
        Assert.Matches(@"(?m)^train perplexity [\d.]+, test perplexity [\d.]+", output);
        Assert.Matches(@"(?m)^but brutus is an honorable man.{200}\s*$", output);
    }

    [Fact]
    public void TheNGramMlpBeatsTheMostFrequentCharacterWithBothEncodings()
    {
        var output = run.Output("NGramMlp.Create");
        var baseline = Number(Regex.Match(output, @"accuracy ([\d.]+) ?%").Groups[1].Value);
        foreach (var encoding in new[] { "Sequential", "BagOfCharacters" })
        {
            var m = Regex.Match(output, $@"(?m)^MLP, {encoding}\s+test accuracy ([\d.]+) ?%, test perplexity ([\d.]+)");
            Assert.True(m.Success, output);
            Assert.True(Number(m.Groups[1].Value) > baseline, $"{encoding}: {m.Groups[1].Value}% against {baseline}%");
            Assert.InRange(Number(m.Groups[2].Value), 1, 28);
        }
    }

    [Fact]
    public void TabulatesWeightsAndMultiplyAddsOfEveryModel()
    {
        var output = run.Output("ModelCost.Of");
        // V = 28 symbols, h = 256, windows of 5: the homework's formulas, written out.
        const long v = 28, h = 256, n = 5;
        var expected = new Dictionary<string, (long Weights, long MultiplyAdds)>
        {
            ["MLP, Sequential"] = (n * v * h + h + h * v + v, n * v * h + h * v),
            ["MLP, BagOfCharacters"] = (v * h + h + h * v + v, v * h + h * v),
            ["RNN"] = (h * (v + h) + 2 * h + h * v + v, h * (v + h) + h * v),
            ["GRU"] = (3 * (h * (v + h) + 2 * h) + h * v + v, 3 * h * (v + h) + h * v),
            ["LSTM"] = (4 * (h * (v + h) + 2 * h) + h * v + v, 4 * h * (v + h) + h * v),
            ["LSTM, 2 layers"] = (4 * (h * (v + h) + 2 * h) + 4 * (h * (h + h) + 2 * h) + h * v + v, 4 * h * (v + h) + 4 * h * (h + h) + h * v),
        };
        foreach (var (name, (weights, multiplyAdds)) in expected)
        {
            var m = Regex.Match(output, $@"(?m)^{Regex.Escape(name)}\s+([\d,]+)\s+([\d,]+)\s*$");
            Assert.True(m.Success, output);
            Assert.Equal(weights, long.Parse(m.Groups[1].Value.Replace(",", "")));
            Assert.Equal(multiplyAdds, long.Parse(m.Groups[2].Value.Replace(",", "")));
        }
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static Dictionary<string, double> Perplexities(string output, string pattern) =>
        Models.ToDictionary(n => n, n => double.Parse(
            Regex.Match(output, $@"(?m)^{Regex.Escape(n)}\s+{pattern}").Groups[1].Value, CultureInfo.InvariantCulture));
}

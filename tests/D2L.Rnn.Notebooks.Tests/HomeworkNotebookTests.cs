using System.Globalization;
using System.Text.RegularExpressions;
using NotebookRunner;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>Runs notebooks/homework8-shakespeare.dib in the real engine with a small budget (1 epoch, 260,000 characters:
/// 60,000 to train on, 100,000 to validate and 100,000 to test).</summary>
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
        Environment.SetEnvironmentVariable("D2L_MAX_TOKENS", "260000");
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

    /// <summary>The results of the code cells of the section whose heading starts with <paramref name="heading"/>.</summary>
    public List<CellResult> Section(string heading) => NotebookSections.Of(Dib, Results, heading);

    /// <summary>What the code cells of that section printed.</summary>
    public string Output(string heading) => string.Concat(Section(heading).Select(r => r.StandardOutput));
}

[Trait("Category", "Slow")]
public class HomeworkNotebookTests(HomeworkNotebookRun run) : IClassFixture<HomeworkNotebookRun>
{
    private static readonly string[] Models = ["RNN", "GRU", "LSTM", "LSTM, 2 layers"];
    private const string Training = "## Four models, one budget";
    private const string Sweep = "## Part 1: the settings";

    [Fact]
    public void EveryCellSucceeds()
    {
        Assert.All(run.Results, r => Assert.True(r.Succeeded, r.Error));
        Assert.Equal(NotebookFile.Read(HomeworkNotebookRun.Dib).Count(c => c.IsCode), run.Results.Count);
    }

    [Fact]
    public void SplitsTheTextIntoTrainingValidationAndTheLast100000ForTesting()
    {
        var output = run.Output("## The corpus");
        Assert.Contains("260,000 characters, vocabulary of 28", output);
        Assert.Contains("training on 60,000, validating on the next 100,000, testing on the last 100,000", output);
    }

    [Fact]
    public void TrainsFourModelsUnderOneBudgetOnTheFastPathOnOneChart()
    {
        Assert.Contains("1 epochs each, Adam at 0.002, θ = 1", run.Output(Training));
        var best = BestValidation(run.Output(Training));
        Assert.Equal(Models, best.Keys);
        Assert.All(best.Values, p => Assert.InRange(p, 4, 22)); // one epoch on 60,000 characters; a uniform guess is 28
        var chart = Assert.Single(run.Section(Training).SelectMany(r => r.Outputs), o => o.Html.Contains("Plotly.newPlot"));
        foreach (var name in Models) Assert.Contains($"\"name\":\"{name}\"", chart.Html);
    }

    [Fact]
    public void TheCalculatorGivesEachModelsKeptValidationPerplexityAndReloadsItExactly()
    {
        var best = BestValidation(run.Output(Training));
        var table = run.Output("## A perplexity calculator");
        foreach (var name in Models)
        {
            var m = Regex.Match(table, $@"(?m)^{Regex.Escape(name)}\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*$");
            Assert.True(m.Success, table);
            var (train, valid, ratio) = (Number(m.Groups[1].Value), Number(m.Groups[2].Value), Number(m.Groups[3].Value));
            Assert.Equal(best[name], valid, 3); // the kept weights are the best epoch's
            Assert.InRange(train, 1, 28);
            Assert.Equal(valid / train, ratio, 2);
        }

        var saved = run.Output("## Saving");
        foreach (var name in Models)
        {
            var m = Regex.Match(saved, $@"(?m)^{Regex.Escape(name)}\s+(\S+\.ckpt) \(letters-only\): reloaded validation perplexity ([\d.]+) \(before saving ([\d.]+)\)");
            Assert.True(m.Success, saved);
            Assert.Equal(m.Groups[3].Value, m.Groups[2].Value);
            Assert.Equal(best[name], Number(m.Groups[2].Value), 3);
            Assert.True(File.Exists(Path.Combine(run.OutputFolder, "models", m.Groups[1].Value)), m.Groups[1].Value);
            Assert.True(File.Exists(Path.Combine(run.OutputFolder, "models", Path.ChangeExtension(m.Groups[1].Value, ".pt"))), "no PyTorch file");
        }
    }

    [Fact]
    public void Generates200CharactersFromBrutusWithEveryModel()
    {
        var output = run.Output("## Writing");
        foreach (var name in Models)
        foreach (var how in new[] { "argmax", "sampled" })
        {
            var m = Regex.Match(output, $@"(?m)^{Regex.Escape(name)} \({how}\):\s+(but brutus is an honorable man.*)$");
            Assert.True(m.Success, output);
            Assert.Equal("but brutus is an honorable man".Length + 200, m.Groups[1].Value.TrimEnd('\r').Length);
        }
    }

    [Fact]
    public void SweepsEverySettingTheHomeworkNamesInOneTableAndOneChartScoredOnValidation()
    {
        var rows = Regex.Matches(run.Output(Sweep), @"(?m)^(hidden units|embedding length|clipping θ|learning rate|epochs)\s+(\S+)\s+(?:([\d.]+)\s+([\d.]+)\s+([\d.]+)|diverged.*)\s*$");
        var settings = rows.GroupBy(m => m.Groups[1].Value).ToDictionary(g => g.Key, g => g.Select(m => m.Groups[2].Value).ToList());
        Assert.Equal(["64", "128", "256", "512"], settings["hidden units"]);
        Assert.Equal(["one-hot", "8", "32"], settings["embedding length"]);
        Assert.Equal(["0.1", "1", "10"], settings["clipping θ"]);
        Assert.Equal(["0.0005", "0.002", "0.008", "0.1"], settings["learning rate"]);
        Assert.Equal(["1", "2", "4"], settings["epochs"]); // D2L_EPOCHS=1 sets the base
        // The baseline (256 units, one-hot, θ 1, Adam at 0.002, base epochs) is one run shown in every group.
        var baseline = rows.Where(m => (m.Groups[1].Value, m.Groups[2].Value) is ("hidden units", "256") or ("embedding length", "one-hot")
                or ("clipping θ", "1") or ("learning rate", "0.002") or ("epochs", "1")).Select(m => m.Groups[4].Value).Distinct();
        Assert.Single(baseline);
        // More epochs on the same text lower the training perplexity.
        var byEpochs = rows.Where(m => m.Groups[1].Value == "epochs").Select(m => Number(m.Groups[3].Value)).ToList();
        Assert.True(byEpochs[0] > byEpochs[2], string.Join(", ", byEpochs));
        Assert.Single(run.Section(Sweep).SelectMany(r => r.Outputs), o => o.Html.Contains("Plotly.newPlot"));
        Assert.Matches(@"(?m)^best learning rate: \S+", run.Output(Sweep));
    }

    [Fact]
    public void TheBestRunKeepsItsBestValidationEpochAndWrites200Characters()
    {
        var output = run.Output("## How low");
        Assert.Matches(@"(?m)^best run: (RNN|GRU|LSTM|LSTM, 2 layers), 2 epochs, lr \S+, θ \S+", output);
        Assert.Matches(@"(?m)^kept epoch [12]: validation perplexity [\d.]+", output);
        Assert.Matches(@"(?m)^but brutus is an honorable man.{200}\s*$", output);
    }

    [Fact]
    public void TheNGramMlpsTrainUnderTheSameOptionsAndTheTestSetIsScoredOnceForEveryModel()
    {
        var mlps = run.Output("## Part 3");
        var mlpBest = new Dictionary<string, double>();
        foreach (var encoding in new[] { "Sequential", "BagOfCharacters" })
        {
            var m = Regex.Match(mlps, $@"(?m)^MLP, {encoding}\s+best validation perplexity ([\d.]+) \(epoch 1\), [\d.]+ s/epoch");
            Assert.True(m.Success, mlps);
            mlpBest[$"MLP, {encoding}"] = Number(m.Groups[1].Value);
        }
        var baseline = Number(Regex.Match(run.Output("## Part 3"), @"test accuracy ([\d.]+) ?%").Groups[1].Value);

        var tested = run.Output("## The test set");
        var best = BestValidation(run.Output(Training));
        foreach (var (name, valid) in best.Concat(mlpBest))
        {
            var m = Regex.Match(tested, $@"(?m)^{Regex.Escape(name)}\s+([\d.]+)\s+([\d.]+)(?:\s+test accuracy ([\d.]+) ?%)?\s*$");
            Assert.True(m.Success, tested);
            Assert.Equal(valid, Number(m.Groups[1].Value), 3);
            Assert.InRange(Number(m.Groups[2].Value), 1, 28);
            if (name.StartsWith("MLP")) Assert.True(Number(m.Groups[3].Value) > baseline, $"{name}: {m.Groups[3].Value}% against {baseline}%");
        }
        Assert.Matches(@"(?m)^(RNN|GRU|LSTM|LSTM, 2 layers), longer\s+[\d.]+\s+[\d.]+\s*$", tested);
    }

    /// <summary>
    /// notebooks/homework8-shakespeare.cs on the same budget prints every line of the notebook's tables and results with
    /// the same numbers (timings aside; 0.5% apart at most, for the reference path's and the evaluator's float rounding
    /// with the app's two intra-op threads against the notebook's one), and writes its charts as standalone pages.
    /// </summary>
    [Fact]
    public void TheFileBasedAppPrintsTheNotebooksTablesForTheSameBudget()
    {
        var output = Repo.NewScratchFolder("homework-app");
        try
        {
            var (exit, printed) = Processes.Run(Repo.Root, TimeSpan.FromMinutes(25), "dotnet", ["run", "notebooks/homework8-shakespeare.cs"],
                ("D2L_EPOCHS", "1"), ("D2L_MAX_TOKENS", "260000"), ("D2L_OUTPUT_DIR", output));
            Assert.True(exit == 0, printed);
            var app = printed.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
            var compared = 0;
            foreach (var line in run.Results.SelectMany(r => r.StandardOutput.Split('\n')).Select(l => l.TrimEnd('\r')).Where(IsResult))
            {
                // Lines of one shape (the sweep's rows) differ in their numbers: the twin is the one whose numbers agree.
                var sameShape = app.Where(a => Shape(a) == Shape(line)).ToList();
                Assert.True(sameShape.Count > 0, $"The app does not print the notebook's line:\n{line}");
                var twin = sameShape.FirstOrDefault(a => Agree(Numbers(line), Numbers(a)));
                Assert.True(twin is not null, $"notebook: {line}\napp:      {string.Join("\n          ", sameShape)}");
                compared++;
            }
            Assert.True(compared >= 40, $"only {compared} result lines compared");
            foreach (var chart in new[] { "homework8-models.html", "homework8-sweep.html", "homework8-ngram.html" })
                Assert.Contains("Plotly.newPlot", File.ReadAllText(Path.Combine(output, chart)));
        }
        finally
        {
            Directory.Delete(output, true);
        }
    }

    // The lines that carry results: splits, per-model lines and table rows, the sweep's rows and choices, the best run.
    private static bool IsResult(string line) =>
        Regex.IsMatch(line, @"^(training on|\d[\d,]* characters|\d+ epochs each|(RNN|GRU|LSTM|MLP)[ ,]|(hidden units|embedding length|clipping θ|learning rate|epochs) |best |kept epoch|always )")
        && !line.Contains("(argmax)") && !line.Contains("(sampled)");

    // Timings are not results: the seconds per epoch, and the sweep's seconds column.
    private static string WithoutTimings(string line) =>
        Regex.Replace(Regex.Replace(line, @"[\d.]+ s/epoch", "s/epoch"), @"^((?:hidden units|embedding length|clipping θ|learning rate|epochs)\s+\S+\s+[\d.]+\s+[\d.]+)\s+[\d.]+$", "$1");

    private static string Shape(string line) => Regex.Replace(WithoutTimings(line), @"\d+(?:[.,]\d+)*", "#");

    private static bool Agree(List<double> ours, List<double> theirs) =>
        ours.Count == theirs.Count && ours.Zip(theirs).All(p => Math.Abs(p.First - p.Second) <= 0.005 * Math.Abs(p.First) + 1e-9);

    private static List<double> Numbers(string line) =>
        Regex.Matches(WithoutTimings(line), @"\d+(?:[.,]\d+)*").Select(m => Number(m.Value.Replace(",", ""))).ToList();

    [Fact]
    public void TabulatesWeightsAndMultiplyAddsOfEveryModel()
    {
        var output = run.Output("## Weights");
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

    // "<model>  best validation perplexity P (epoch E), S s/epoch, fast path", one line per recurrent model.
    private static Dictionary<string, double> BestValidation(string output) => Models.ToDictionary(n => n, n =>
    {
        var m = Regex.Match(output, $@"(?m)^{Regex.Escape(n)}\s+best validation perplexity ([\d.]+) \(epoch 1\), [\d.]+ s/epoch, fast path\s*$");
        Assert.True(m.Success, output);
        return Number(m.Groups[1].Value);
    });
}

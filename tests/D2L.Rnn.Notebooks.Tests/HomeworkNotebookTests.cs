using System.Globalization;
using System.Text.RegularExpressions;
using NotebookRunner;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>
/// What only the homework shows, beyond what <see cref="LessonNotebookTests"/> checks of every lesson: its run in the
/// engine on the lesson's test budget (1 epoch, 260,000 characters: 60,000 to train on, 100,000 to validate and 100,000
/// to test), shared with the other tests of the lessons.
/// </summary>
[Trait("Category", "Slow")]
[Collection(LessonCollection.Name)]
public class HomeworkNotebookTests(LessonRuns runs)
{
    private Task<EngineRun> Run() => runs.Engine(Lessons.Named("homework8-shakespeare"));

    private static readonly string[] Models = ["RNN", "GRU", "LSTM", "LSTM, 2 layers"];
    private const string Training = "## Four models, one budget";
    private const string Sweep = "## Part 1: the settings";

    [Fact]
    public async Task SplitsTheTextIntoTrainingValidationAndTheLast100000ForTesting()
    {
        var run = await Run();
        var output = run.Printed("## The corpus");
        Assert.Contains("260,000 characters, vocabulary of 28", output);
        Assert.Contains("training on 60,000, validating on the next 100,000, testing on the last 100,000", output);
    }

    [Fact]
    public async Task TrainsFourModelsUnderOneBudgetOnTheFastPathOnOneChart()
    {
        var run = await Run();
        Assert.Contains("1 epochs each, Adam at 0.002, θ = 1", run.Printed(Training));
        var best = BestValidation(run.Printed(Training));
        Assert.Equal(Models, best.Keys);
        Assert.All(best.Values, p => Assert.InRange(p, 4, 22)); // one epoch on 60,000 characters; a uniform guess is 28
        var chart = Assert.Single(run.Section(Training).SelectMany(r => r.Outputs), o => o.Html.Contains("Plotly.newPlot"));
        foreach (var name in Models) Assert.Contains($"\"name\":\"{name}\"", chart.Html);
    }

    [Fact]
    public async Task TheCalculatorGivesEachModelsKeptValidationPerplexityAndReloadsItExactly()
    {
        var run = await Run();
        var best = BestValidation(run.Printed(Training));
        var table = run.Printed("## A perplexity calculator");
        foreach (var name in Models)
        {
            var m = Regex.Match(table, $@"(?m)^{Regex.Escape(name)}\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*$");
            Assert.True(m.Success, table);
            var (train, valid, ratio) = (Number(m.Groups[1].Value), Number(m.Groups[2].Value), Number(m.Groups[3].Value));
            Assert.Equal(best[name], valid, 3); // the kept weights are the best epoch's
            Assert.InRange(train, 1, 28);
            Assert.Equal(valid / train, ratio, 2);
        }

        var saved = run.Printed("## Saving");
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
    public async Task Generates200CharactersFromBrutusWithEveryModel()
    {
        var run = await Run();
        var output = run.Printed("## Writing");
        foreach (var name in Models)
        foreach (var how in new[] { "argmax", "sampled" })
        {
            var m = Regex.Match(output, $@"(?m)^{Regex.Escape(name)} \({how}\):\s+(but brutus is an honorable man.*)$");
            Assert.True(m.Success, output);
            Assert.Equal("but brutus is an honorable man".Length + 200, m.Groups[1].Value.TrimEnd('\r').Length);
        }
    }

    [Fact]
    public async Task SweepsEverySettingTheHomeworkNamesInOneTableAndOneChartScoredOnValidation()
    {
        var run = await Run();
        var rows = Regex.Matches(run.Printed(Sweep), @"(?m)^(hidden units|embedding length|clipping θ|learning rate|epochs)\s+(\S+)\s+(?:([\d.]+)\s+([\d.]+)\s+([\d.]+)|diverged.*)\s*$");
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
        Assert.Matches(@"(?m)^best learning rate: \S+", run.Printed(Sweep));
    }

    [Fact]
    public async Task TheBestRunKeepsItsBestValidationEpochAndWrites200Characters()
    {
        var run = await Run();
        var output = run.Printed("## How low");
        Assert.Matches(@"(?m)^best run: (RNN|GRU|LSTM|LSTM, 2 layers), 2 epochs, lr \S+, θ \S+", output);
        Assert.Matches(@"(?m)^kept epoch [12]: validation perplexity [\d.]+", output);
        Assert.Matches(@"(?m)^but brutus is an honorable man.{200}\s*$", output);
    }

    [Fact]
    public async Task TheNGramMlpsTrainUnderTheSameOptionsAndTheTestSetIsScoredOnceForEveryModel()
    {
        var run = await Run();
        var mlps = run.Printed("## Part 3");
        var mlpBest = new Dictionary<string, double>();
        foreach (var encoding in new[] { "Sequential", "BagOfCharacters" })
        {
            var m = Regex.Match(mlps, $@"(?m)^MLP, {encoding}\s+best validation perplexity ([\d.]+) \(epoch 1\), [\d.]+ s/epoch");
            Assert.True(m.Success, mlps);
            mlpBest[$"MLP, {encoding}"] = Number(m.Groups[1].Value);
        }
        var baseline = Number(Regex.Match(run.Printed("## Part 3"), @"test accuracy ([\d.]+) ?%").Groups[1].Value);

        var tested = run.Printed("## The test set");
        var best = BestValidation(run.Printed(Training));
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

    [Fact]
    public async Task TabulatesWeightsAndMultiplyAddsOfEveryModel()
    {
        var run = await Run();
        var output = run.Printed("## Weights");
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

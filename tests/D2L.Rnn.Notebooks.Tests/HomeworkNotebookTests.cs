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
    private static readonly string[] Mlps = ["MLP, Sequential", "MLP, BagOfCharacters"];
    private const string Training = "## Four models, one budget";
    private const string Sweep = "## Part 1: the settings";
    private const string Search = "### The learning rate and the epochs";
    private const string NGram = "## Part 3";
    private const string Finals = "## The final models";
    private const string TestSet = "## The test set";

    /// <summary>
    /// Run in the notebook's kernel after its last cell, as a reader who runs its cells again: a finished run (the GRU at
    /// 0.002) gives back its result from its run checkpoint without training, and a run asked for more epochs (the GRU
    /// at 0.004, which trained one epoch in the search) goes on from the end of its first.
    /// </summary>
    public const string RunAgain = """
        var again = TrainingProgress.Show(budget, plan[2].Work);
        var (gru, gruRun) = FitRnn("GRU, lr 0.002", "GRU", train, options, again);
        Console.WriteLine($"finished run: trained {again.EpochsTrained} epochs, validation perplexity {Evaluator.Perplexity(gru, valid):F3}");
        var (more, moreRun) = FitRnn("GRU, lr 0.004", "GRU", train, options with { LearningRate = 4e-3, NumEpochs = 2 }, again);
        Console.WriteLine($"longer run: trained {again.EpochsTrained} epochs, {moreRun.Epochs.Count} in all");
        """;

    [Fact]
    public async Task SplitsTheTextIntoTrainingValidationAndTheLast100000ForTesting()
    {
        var run = await Run();
        var output = run.Printed("## The corpus");
        Assert.Contains("260,000 characters, vocabulary of 28", output);
        Assert.Contains("training on 60,000, validating on the next 100,000, testing on the last 100,000", output);
    }

    [Fact]
    public async Task SaysHowLongTheRunWillTakeBeforeItStartsAndEveryLongCellShowsItsProgress()
    {
        var run = await Run();
        var plan = run.Printed("### The time it takes");
        foreach (var name in Models.Concat(Mlps))
        {
            var m = Regex.Match(plan, $@"(?m)^{Regex.Escape(name)}\s+trains ([\d,]+) characters/s, scores ([\d,]+) characters/s\s*$");
            Assert.True(m.Success, plan);
            Assert.True(Number(m.Groups[1].Value.Replace(",", "")) > 0 && Number(m.Groups[2].Value.Replace(",", "")) > 0, m.Value);
        }
        // The plan's epochs on the test budget (1 epoch): 4 models; 10 baseline runs' worth of sweep; 2 more rates for
        // each of 4 kinds; 3 rates for each of 2 MLPs; 6 final models.
        foreach (var (section, epochs) in new[] { ("four models", 4), ("the settings", 10), ("the learning rate of each kind", 8),
                     ("the N-gram MLPs", 6), ("the final models", 6) })
            Assert.Matches($@"(?m)^{Regex.Escape(section)}.*\s{epochs} epochs  about \d", plan);
        Assert.Matches(@"(?m)^this run trains for about \d.* in all \(at most\)\s*$", plan);
        Assert.Matches(@"(?m)^on the complete works \(about 5,000,000 characters\) it would take about \d", plan);

        // Each long cell ends with its progress line, in order: four models, the sweep, the search, the MLPs, the final
        // models, with the epochs each trained (none read back: the folder was empty).
        var lines = run.Results.SelectMany(r => r.Outputs).Select(o => o.Html).Where(h => h.Contains("font-family: monospace")).ToList();
        Assert.Equal(5, lines.Count);
        foreach (var (line, epochs) in lines.Zip([4, 8, 8, 6, 6]))
            Assert.Matches($@"done: {epochs} epochs trained in \d.* \(planned: about \d", line);
    }

    [Fact]
    public async Task TrainsFourModelsUnderOneBudgetOnTheFastPathOnOneChart()
    {
        var run = await Run();
        Assert.Contains("at most 1 epochs each, Adam at 0.002, θ = 1", run.Printed(Training));
        var best = BestValidation(run.Printed(Training));
        Assert.Equal(Models, best.Keys);
        Assert.All(best.Values, p => Assert.InRange(p, 4, 22)); // one epoch on 60,000 characters; a uniform guess is 28
        var chart = Assert.Single(run.Section(Training).SelectMany(r => r.Outputs), o => o.Html.Contains("Plotly.newPlot"));
        foreach (var name in Models) Assert.Contains($"\"name\":\"{name}\"", chart.Html);
    }

    [Fact]
    public async Task TheCalculatorGivesEachModelsKeptValidationPerplexity()
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
    public async Task ShowsWhatHiddenUnitsEmbeddingAndClippingDoInOneTableAndOneChartScoredOnValidation()
    {
        var run = await Run();
        var rows = Regex.Matches(run.Printed(Sweep), @"(?m)^(hidden units|embedding length|clipping θ|learning rate|epochs)\s+(\S+)\s+(?:([\d.]+)\s+([\d.]+)\s+([\d.]+)|diverged.*)\s*$");
        var settings = rows.GroupBy(m => m.Groups[1].Value).ToDictionary(g => g.Key, g => g.Select(m => m.Groups[2].Value).ToList());
        Assert.Equal(["hidden units", "embedding length", "clipping θ"], settings.Keys);
        Assert.Equal(["64", "128", "256", "512"], settings["hidden units"]);
        Assert.Equal(["one-hot", "8", "32"], settings["embedding length"]);
        Assert.Equal(["0.1", "1", "10"], settings["clipping θ"]);
        // The baseline (256 units, one-hot, θ 1, Adam at 0.002) is one run shown in every group.
        var baseline = rows.Where(m => (m.Groups[1].Value, m.Groups[2].Value) is ("hidden units", "256") or ("embedding length", "one-hot")
                or ("clipping θ", "1")).Select(m => m.Groups[4].Value).Distinct();
        Assert.Single(baseline);
        Assert.Single(run.Section(Sweep).SelectMany(r => r.Outputs), o => o.Html.Contains("Plotly.newPlot"));
        // These runs choose nothing: no "best" setting is carried to the other models.
        Assert.DoesNotMatch(@"(?m)^best ", run.Printed(Sweep));
    }

    [Fact]
    public async Task EveryKindOfModelGetsItsOwnLearningRateChosenOnValidation()
    {
        var run = await Run();
        var best = BestValidation(run.Printed(Training));
        foreach (var (name, section) in Models.Select(m => (m, Search)).Concat(Mlps.Select(m => (m, NGram))))
        {
            var output = run.Printed(section);
            var tried = Regex.Matches(output, $@"(?m)^{Regex.Escape(name)}\s+lr ([\d.]+)\s+validation ([\d.]+)\s*$")
                .ToDictionary(m => m.Groups[1].Value, m => Number(m.Groups[2].Value));
            Assert.Equal(["0.002", "0.004", "0.008"], tried.Keys);
            if (best.TryGetValue(name, out var first)) Assert.Equal(first, tried["0.002"], 3); // the first cell's run, not trained again
            var chosen = Regex.Match(output, $@"(?m)^{Regex.Escape(name)}: chosen lr ([\d.]+), (\d+) epochs \(validation perplexity ([\d.]+)\)\s*$");
            Assert.True(chosen.Success, output);
            var lowest = tried.MinBy(t => t.Value);
            Assert.Equal(lowest.Key, chosen.Groups[1].Value);
            Assert.Equal("1", chosen.Groups[2].Value);
            Assert.Equal(lowest.Value, Number(chosen.Groups[3].Value), 3);
        }
    }

    [Fact]
    public async Task TheChosenSettingsTrainOnTrainingAndValidationTextAndTheTestSetIsScoredOnceAndAnswersTheQuestion()
    {
        var run = await Run();
        var finals = run.Printed(Finals);
        var chosen = new Dictionary<string, (string Lr, double Validation)>();
        foreach (var name in Models.Concat(Mlps))
        {
            var c = Regex.Match(run.Printed(name.StartsWith("MLP") ? NGram : Search),
                $@"(?m)^{Regex.Escape(name)}: chosen lr ([\d.]+), 1 epochs \(validation perplexity ([\d.]+)\)");
            chosen[name] = (c.Groups[1].Value, Number(c.Groups[2].Value));
            Assert.Matches($@"(?m)^{Regex.Escape(name)}\s+lr {Regex.Escape(c.Groups[1].Value)}, 1 epochs on 160,000 characters: training perplexity [\d.]+", finals);
        }

        var output = run.Printed(TestSet);
        var tested = new Dictionary<string, double>();
        foreach (var name in Models.Concat(Mlps))
        {
            var m = Regex.Match(output, $@"(?m)^{Regex.Escape(name)}\s+([\d.]+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)(?:\s+test accuracy ([\d.]+) ?%)?\s*$");
            Assert.True(m.Success, output);
            Assert.Equal(chosen[name].Lr, m.Groups[1].Value);
            Assert.Equal(chosen[name].Validation, Number(m.Groups[3].Value), 3);
            tested[name] = Number(m.Groups[4].Value);
            Assert.InRange(tested[name], 1, 28);
        }
        var baseline = Number(Regex.Match(run.Printed(NGram), @"test accuracy ([\d.]+) ?%").Groups[1].Value);
        Assert.All(Regex.Matches(output, @"test accuracy ([\d.]+) ?%"), m => Assert.True(Number(m.Groups[1].Value) > baseline, m.Value));

        // The answer: the lowest test perplexity of all (and of the recurrent models, when an MLP has it), which recurrent
        // models beat the 5-gram MLP, and the best recurrent model's writing.
        var lowest = tested.MinBy(t => t.Value).Key;
        var winner = Models.MinBy(n => tested[n])!;
        foreach (var (prefix, name) in new[] { ("the lowest test perplexity", lowest), ("the lowest of the recurrent models", winner) })
        {
            var answer = Regex.Match(output, $@"(?m)^{prefix}: ([\d.]+), (.+) \(lr {Regex.Escape(chosen[name].Lr)}, 1 epochs, trained on training \+ validation text\)\s*$");
            Assert.True(answer.Success || (prefix != "the lowest test perplexity" && lowest == winner), output);
            if (!answer.Success) continue;
            Assert.Equal(name, answer.Groups[2].Value);
            Assert.Equal(tested[name], Number(answer.Groups[1].Value), 3);
        }
        Assert.Equal(lowest == winner, !output.Contains("the lowest of the recurrent models"));
        var ngram = tested["MLP, Sequential"];
        var beat = Models.Where(n => tested[n] < ngram).ToList();
        var notBeat = Models.Where(n => tested[n] >= ngram).ToList();
        Assert.Contains($"against the 5-gram MLP (sequential, {ngram:F3}): better {(beat.Count > 0 ? string.Join("; ", beat) : "none")}, " +
                        $"not better {(notBeat.Count > 0 ? string.Join("; ", notBeat) : "none")}", output);
        foreach (var how in new[] { "argmax", "sampled" })
            Assert.Matches($@"(?m)^{Regex.Escape(winner)} \({how}\):\s+but brutus is an honorable man.{{200}}\s*$", output);
    }

    [Fact]
    public async Task SavesTheFinalModelsAndReloadsThemExactly()
    {
        var run = await Run();
        var saved = run.Printed("## Saving");
        foreach (var name in Models)
        {
            var m = Regex.Match(saved, $@"(?m)^{Regex.Escape(name)}\s+(\S+\.ckpt) \(letters-only\): reloaded perplexity on the validation text ([\d.]+) \(before saving ([\d.]+)\)");
            Assert.True(m.Success, saved);
            Assert.Equal(m.Groups[3].Value, m.Groups[2].Value);
            Assert.True(File.Exists(Path.Combine(run.OutputFolder, "models", m.Groups[1].Value)), m.Groups[1].Value);
            Assert.True(File.Exists(Path.Combine(run.OutputFolder, "models", Path.ChangeExtension(m.Groups[1].Value, ".pt"))), "no PyTorch file");
        }
    }

    [Fact]
    public async Task EveryRunKeepsARunCheckpointAndRunAgainItContinuesAndSaysSo()
    {
        var run = await Run();
        var folder = Assert.Single(Directory.GetDirectories(Path.Combine(run.OutputFolder, "runs")));
        Assert.Equal("homework8-260000-characters-1-epochs", Path.GetFileName(folder));
        var files = Directory.GetFiles(folder, "*.run").Select(Path.GetFileName).ToList();
        // 4 models, 8 sweep runs, 2 more rates for each of 4 kinds and 3 for each of 2 MLPs, 6 final models.
        Assert.Equal(4 + 8 + 8 + 6 + 6, files.Count);
        Assert.Contains("gru-lr-0.002.run", files);
        foreach (var slug in new[] { "rnn", "gru", "lstm", "lstm-2-layers", "mlp-sequential", "mlp-bagofcharacters" })
            Assert.Single(files, f => Regex.IsMatch(f!, $@"^{slug}-final-lr-[\d.]+-1-epochs\.run$"));

        var best = BestValidation(run.Printed(Training));
        var again = run.AfterOutput;
        Assert.Contains("GRU, lr 0.002: continued from its run checkpoint, at the end of epoch 1", again);
        Assert.Contains($"finished run: trained 0 epochs, validation perplexity {best["GRU"]:F3}", again);
        Assert.Contains("GRU, lr 0.004: continued from its run checkpoint, at the end of epoch 1", again);
        Assert.Contains("longer run: trained 1 epochs, 2 in all", again);
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

#:project ../lib/D2L.Rnn.Notebooks/D2L.Rnn.Notebooks.csproj

// Homework 8 (Shakespeare with RNN, GRU and LSTM) as a .NET 10 file-based app: `dotnet run notebooks/homework8-shakespeare.cs`.
// The same steps, library calls and settings as notebooks/homework8-shakespeare.dib, printed to the terminal (the same
// tables); the charts go to artifacts/ (or $D2L_OUTPUT_DIR) as standalone HTML files. D2L_EPOCHS and D2L_MAX_TOKENS
// shorten it, as they shorten the notebook.
using D2L.Rnn;
using D2L.Rnn.Notebooks;
using static TorchSharp.torch;

var here = AppContext.GetData("EntryPointFileDirectoryPath") as string ?? Environment.CurrentDirectory;
Repository.UseDataDirectory(here);
TorchSetup.Initialize();
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); }; // Ctrl+C: stop after this minibatch
string Chart(Plotly.NET.GenericChart chart, string file) =>
    Repository.Display(PerplexityChart.SaveStandaloneHtml(chart, NotebookSettings.OutputPath(file, here)), here);

Console.WriteLine("== The corpus, split three ways");
var corpus = Shakespeare.Load(maxTokens: NotebookSettings.MaxTokens(), log: Console.WriteLine);
var vocab = corpus.Vocab;
var (train, valid, test) = corpus.Split(validationTokens: 100_000, testTokens: 100_000);
Console.WriteLine($"{corpus.Indices.Length:N0} characters, vocabulary of {vocab.Count}");
Console.WriteLine($"training on {train.Length:N0}, validating on the next {valid.Length:N0}, testing on the last {test.Length:N0}");

Console.WriteLine("== Four models, one budget");
var kinds = new Dictionary<string, ModelConfig>
{
    ["RNN"] = new(CellKind.Rnn, vocab.Count, 256),
    ["GRU"] = new(CellKind.Gru, vocab.Count, 256),
    ["LSTM"] = new(CellKind.Lstm, vocab.Count, 256),
    ["LSTM, 2 layers"] = new(CellKind.Lstm, vocab.Count, 256, NumLayers: 2),
};
var options = new TrainOptions
{
    NumEpochs = NotebookSettings.Epochs(5), Optimizer = Optimizers.Adam, LearningRate = 2e-3, ClipTheta = 1,
    Validation = valid, KeepBestWeights = true, PredictEvery = 0,
};
Console.WriteLine($"{options.NumEpochs} epochs each, Adam at {options.LearningRate}, θ = {options.ClipTheta}");
var models = new Dictionary<string, RNNModel>();
var runs = new Dictionary<string, TrainResult>();
foreach (var (name, config) in kinds)
{
    manual_seed(0);
    var model = new RNNModel(config);
    var data = new SeqDataLoader(train, batchSize: 32, numSteps: 35, seed: 0);
    runs[name] = Trainer.Train(model, data, vocab, options, report => Console.WriteLine($"  {name}: {report}"), stop.Token);
    models[name] = model;
    var run = runs[name];
    Console.WriteLine($"{name,-15} best validation perplexity {run.BestValidationPerplexity:F3} (epoch {run.BestEpoch}), " +
                      $"{run.SecondsPerEpoch:F1} s/epoch, {run.Path.ToString().ToLowerInvariant()} path");
}
Console.WriteLine($"chart written to {Chart(PerplexityChart.Create(runs.ToDictionary(r => r.Key, r => r.Value.Epochs.AsEnumerable())), "homework8-models.html")}");

Console.WriteLine("== A perplexity calculator");
var trainSample = train[^Math.Min(valid.Length, train.Length)..];
var validPerplexity = models.ToDictionary(m => m.Key, m => Evaluator.Perplexity(m.Value, valid));
Console.WriteLine($"{"model",-15} {"train",7} {"valid",7}   valid/train");
foreach (var (name, model) in models)
{
    var onTrain = Evaluator.Perplexity(model, trainSample);
    Console.WriteLine($"{name,-15} {onTrain,7:F3} {validPerplexity[name],7:F3}   {validPerplexity[name] / onTrain:F3}");
}

Console.WriteLine("== Writing Shakespeare");
var prefix = "But Brutus is an honorable man";
foreach (var (name, model) in models)
{
    var writer = new LanguageModel(model, corpus);
    Console.WriteLine($"{name} (argmax):  {writer.Predict(prefix, 200)}");
    Console.WriteLine($"{name} (sampled): {writer.Sample(prefix, 200, temperature: 0.8, seed: 0)}");
}

Console.WriteLine("== Saving the models");
foreach (var (name, model) in models)
{
    var file = NotebookSettings.OutputPath($"models/{name.ToLowerInvariant().Replace(", ", "-").Replace(' ', '-')}.ckpt", here);
    new LanguageModel(model, corpus).Save(file, new Dictionary<string, string> { ["epoch"] = runs[name].BestEpoch.ToString()! });
    PyTorchStateDict.Save(Path.ChangeExtension(file, ".pt"), model);
    var loaded = LanguageModel.Load(file);
    Console.WriteLine($"{name,-15} {Repository.Display(file, here)} ({loaded.Preset.Name}): reloaded validation perplexity " +
                      $"{Evaluator.Perplexity(loaded.Model, valid):F3} (before saving {validPerplexity[name]:F3})");
}

Console.WriteLine("== Part 1: the settings");
var sweepTrain = train[..Math.Min(200_000, train.Length)];
var sweepValid = valid[..Math.Min(20_000, valid.Length)];
var baseEpochs = NotebookSettings.Epochs(3);
// One sweep run: a plain RNN trained with the baseline settings except the one given; diverged runs are infinite.
(double Train, double Valid, double Seconds) SweepRun(int hiddens = 256, int? embedding = null, double theta = 1, double lr = 2e-3, int? epochs = null)
{
    manual_seed(0);
    using var model = new RNNModel(new ModelConfig(CellKind.Rnn, vocab.Count, hiddens, EmbeddingSize: embedding));
    var data = new SeqDataLoader(sweepTrain, batchSize: 32, numSteps: 35, seed: 0);
    var settings = options with { NumEpochs = epochs ?? baseEpochs, LearningRate = lr, ClipTheta = theta, Validation = sweepValid, KeepBestWeights = false };
    try
    {
        var result = Trainer.Train(model, data, vocab, settings, null, stop.Token);
        var onValid = result.Epochs[^1].ValidationPerplexity!.Value;
        // Worse than a uniform guess over the vocabulary: the run blew up (finite, but meaningless).
        return onValid > vocab.Count ? (double.PositiveInfinity, double.PositiveInfinity, 0)
            : (result.FinalPerplexity, onValid, result.Epochs.Sum(e => e.Seconds));
    }
    catch (TrainingDivergedException)
    {
        return (double.PositiveInfinity, double.PositiveInfinity, 0);
    }
}
var sweep = new List<(string Setting, string Value, double Train, double Valid, double Seconds)>();
void Add(string setting, string value, (double Train, double Valid, double Seconds) run) => sweep.Add((setting, value, run.Train, run.Valid, run.Seconds));
var baseRun = SweepRun();
foreach (var h in new[] { 64, 128, 256, 512 }) Add("hidden units", h.ToString(), h == 256 ? baseRun : SweepRun(hiddens: h));
foreach (var e in new int?[] { null, 8, 32 }) Add("embedding length", e?.ToString() ?? "one-hot", e is null ? baseRun : SweepRun(embedding: e));
foreach (var t in new[] { 0.1, 1, 10 }) Add("clipping θ", t.ToString(), t == 1 ? baseRun : SweepRun(theta: t));
foreach (var lr in new[] { 5e-4, 2e-3, 8e-3, 0.1 }) Add("learning rate", lr.ToString(), lr == 2e-3 ? baseRun : SweepRun(lr: lr));
foreach (var n in new[] { baseEpochs, 2 * baseEpochs, 4 * baseEpochs }) Add("epochs", n.ToString(), n == baseEpochs ? baseRun : SweepRun(epochs: n));
Console.WriteLine($"{"setting",-17} {"value",-8} {"train",7} {"valid",7} {"seconds",8}");
foreach (var r in sweep)
    Console.WriteLine(double.IsFinite(r.Valid)
        ? $"{r.Setting,-17} {r.Value,-8} {r.Train,7:F3} {r.Valid,7:F3} {r.Seconds,8:F1}"
        : $"{r.Setting,-17} {r.Value,-8} diverged (worse than a uniform guess)");
foreach (var group in sweep.GroupBy(r => r.Setting))
    Console.WriteLine($"best {group.Key}: {group.MinBy(r => r.Valid).Value}");
Console.WriteLine($"chart written to {Chart(SweepChart.Create(sweep.Select(r => (r.Setting, r.Value, r.Valid)), scoredOn: "the validation text"), "homework8-sweep.html")}");

Console.WriteLine("== How low can you drive the perplexity?");
var bestKind = validPerplexity.MinBy(p => p.Value).Key;
var bestLr = double.Parse(sweep.Where(r => r.Setting == "learning rate").MinBy(r => r.Valid).Value);
var bestTheta = double.Parse(sweep.Where(r => r.Setting == "clipping θ").MinBy(r => r.Valid).Value);
var bestOptions = options with { NumEpochs = 2 * NotebookSettings.Epochs(5), LearningRate = bestLr, ClipTheta = bestTheta };
manual_seed(0);
var best = new RNNModel(kinds[bestKind]);
var bestRun = Trainer.Train(best, new SeqDataLoader(train, batchSize: 32, numSteps: 35, seed: 0), vocab, bestOptions, null, stop.Token);
models[$"{bestKind}, longer"] = best;
runs[$"{bestKind}, longer"] = bestRun;
Console.WriteLine($"best run: {bestKind}, {bestOptions.NumEpochs} epochs, lr {bestLr}, θ {bestTheta}");
Console.WriteLine($"kept epoch {bestRun.BestEpoch}: validation perplexity {bestRun.BestValidationPerplexity:F3}");
Console.WriteLine(new LanguageModel(best, corpus).Predict(prefix, 200));

Console.WriteLine("== Part 3: the N-gram model");
var trainWindows = new NGramWindows(train);
var testWindows = new NGramWindows(test);
var mostFrequent = train.GroupBy(t => t).MaxBy(g => g.Count())!.Key;
var baselineAccuracy = (double)Enumerable.Range(0, testWindows.Count).Count(i => testWindows.Target(i) == mostFrequent) / testWindows.Count;
Console.WriteLine($"{trainWindows.Count:N0} training windows, {testWindows.Count:N0} test windows");
Console.WriteLine($"always '{vocab.IdxToToken[mostFrequent]}' (the most frequent character): test accuracy {baselineAccuracy:P1}");
var mlps = new Dictionary<NGramEncoding, TorchSharp.Modules.Sequential>();
var mlpRuns = new Dictionary<string, IEnumerable<EpochReport>>();
foreach (var encoding in new[] { NGramEncoding.Sequential, NGramEncoding.BagOfCharacters })
{
    manual_seed(0);
    var mlp = NGramMlp.Create(vocab.Count, encoding);
    var loader = new NGramDataLoader(trainWindows, vocab.Count, encoding, batchSize: 1024, seed: 0);
    var run = NGramTrainer.Train(mlp, loader, options, null, stop.Token);
    mlps[encoding] = mlp;
    mlpRuns[$"MLP, {encoding}"] = run.Epochs;
    Console.WriteLine($"MLP, {encoding,-16} best validation perplexity {run.BestValidationPerplexity:F3} (epoch {run.BestEpoch}), {run.SecondsPerEpoch:F1} s/epoch");
}
Console.WriteLine($"chart written to {Chart(PerplexityChart.Create(mlpRuns), "homework8-ngram.html")}");

Console.WriteLine("== The test set, once");
Console.WriteLine($"{"model",-26} {"valid",7} {"test",7}");
foreach (var (name, model) in models)
    Console.WriteLine($"{name,-26} {runs[name].BestValidationPerplexity,7:F3} {Evaluator.Perplexity(model, test),7:F3}");
foreach (var (encoding, mlp) in mlps)
{
    var onValid = NGramEvaluator.Evaluate(mlp, new NGramWindows(valid), vocab.Count, encoding);
    var onTest = NGramEvaluator.Evaluate(mlp, testWindows, vocab.Count, encoding);
    Console.WriteLine($"{"MLP, " + encoding,-26} {onValid.Perplexity,7:F3} {onTest.Perplexity,7:F3}   test accuracy {onTest.Accuracy:P1}");
}

Console.WriteLine("== Weights and operations per character");
Console.WriteLine($"{"model",-26} {"weights",10} {"multiply-adds",14}");
foreach (var (encoding, mlp) in mlps)
{
    var cost = ModelCost.Of(mlp);
    Console.WriteLine($"{"MLP, " + encoding,-26} {cost.Parameters,10:N0} {cost.MultiplyAdds,14:N0}");
}
foreach (var (name, model) in models)
{
    var cost = ModelCost.Of(model);
    Console.WriteLine($"{name,-26} {cost.Parameters,10:N0} {cost.MultiplyAdds,14:N0}");
}

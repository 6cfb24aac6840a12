#:project ../lib/D2L.Rnn.Notebooks/D2L.Rnn.Notebooks.csproj

// Generated from notebooks/homework8-shakespeare.dib by tools/NotebookRunner: change the notebook, not this file, then regenerate it with
//   dotnet run --project tools/NotebookRunner -c Release -- notebooks/homework8-shakespeare.dib --app notebooks/homework8-shakespeare.cs
// Runs with the .NET 10 SDK alone: dotnet run notebooks/homework8-shakespeare.cs. The notebook's cells, in order: it prints
// what they print and the value a cell ends with (which the notebook displays), and writes the charts the
// notebook shows to artifacts/ (or $D2L_OUTPUT_DIR) as standalone HTML files. The notebook's text is in the
// comments; its headings are printed.

using D2L.Rnn;
using D2L.Rnn.Notebooks;
using static TorchSharp.torch;

Console.WriteLine("Homework 8: Shakespeare with RNN, GRU and LSTM");
// The STAT 157 homework after the RNN lecture, done with the `D2L.Rnn` library: train four recurrent language
// models on Shakespeare, compare them on text they have never seen, let them write, save them, and set them against
// an N-gram model that only looks at the last five characters. Its question: **how low can you drive the perplexity?**
//
// - **Corpus.** The complete works (Project Gutenberg #100) when they can be downloaded, otherwise Tiny
//   Shakespeare (about 1 MB), which works offline. As in the homework, every run of non-letters becomes one space
//   and everything is lower case, so the vocabulary is the 26 letters, the space and `<unk>`.
// - **Three parts of the text.** The last 100,000 characters are the test set, the 100,000 before them the
//   validation set, the rest is for training. Every choice (the learning rate and the number of epochs of each kind of
//   model) is made on the validation set. The settings that win are then trained again on training + validation text,
//   and only then is the test set scored, once.
// - **A budget.** Every model trains for at most 2 epochs (set `D2L_EPOCHS` to change it, and `D2L_MAX_TOKENS` to use
//   only the beginning of the text). Before anything trains, the notebook times a few minibatches of each model and says
//   how long the whole run will take, and on Tiny Shakespeare how long the complete works would take. The default run
//   on Tiny Shakespeare is made to fit in 15 minutes on two cores; the complete works are about five times as much text
//   and take about five times as long (the plan says how long on your machine before anything trains).
// - **Nothing is lost.** The long cells keep a run checkpoint of every training run in `artifacts/runs/` (or
//   `$D2L_OUTPUT_DIR/runs/`). Stop a cell, or lose the kernel, and run it again: every run goes on from where it stopped
//   and says so, and a run that had finished gives back its result at once.
//
// The first cell builds the library when it is missing or out of date.

D2L.Rnn.Notebooks.NotebookSetup.Initialize();

Console.WriteLine("== The corpus, split three ways");

var corpus = Shakespeare.Load(maxTokens: NotebookSettings.MaxTokens(), log: Console.WriteLine);
var vocab = corpus.Vocab;
var (train, valid, test) = corpus.Split(validationTokens: 100_000, testTokens: 100_000);
var trainAndValid = corpus.Indices[..(train.Length + valid.Length)];
Console.WriteLine($"{corpus.Indices.Length:N0} characters, vocabulary of {vocab.Count}");
Console.WriteLine($"training on {train.Length:N0}, validating on the next {valid.Length:N0}, testing on the last {test.Length:N0}");
Console.WriteLine($"\"{corpus.Text[..80]}\"");

Console.WriteLine("== Four models, one budget");
// The same block as in the lecture, with four different recurrent layers of 256 hidden units: a plain RNN, a GRU,
// an LSTM, and two LSTM layers stacked. Minibatches of 32 sequences of 35 characters, sequential sampling, as in d2l.
// After every epoch the validation text is scored, and the weights of the best epoch are kept.
//
// The optimizer is Adam rather than d2l's plain SGD, with gradients clipped to norm θ = 1. The learning rate 0.002 is
// where every model starts; Part 1 below searches it for each kind of model on its own.

var kinds = new Dictionary<string, ModelConfig>
{
    ["RNN"] = new(CellKind.Rnn, vocab.Count, 256),
    ["GRU"] = new(CellKind.Gru, vocab.Count, 256),
    ["LSTM"] = new(CellKind.Lstm, vocab.Count, 256),
    ["LSTM, 2 layers"] = new(CellKind.Lstm, vocab.Count, 256, NumLayers: 2),
};
var epochs = NotebookSettings.Epochs(2);
var options = new TrainOptions
{
    NumEpochs = epochs, Optimizer = Optimizers.Adam, LearningRate = 2e-3, ClipTheta = 1,
    Validation = valid, KeepBestWeights = true, PredictEvery = 0,
};
Console.WriteLine($"at most {options.NumEpochs} epochs each, Adam at {options.LearningRate}, θ = {options.ClipTheta}");

// Every training run keeps a run checkpoint here, one file per run (a folder per corpus size and budget).
var runFolder = NotebookSettings.OutputPath($"runs/homework8-{corpus.Indices.Length}-characters-{epochs}-epochs");

// Trains one run through `train`, keeping its run checkpoint: run again, it goes on where it stopped.
TrainResult Keep(string run, string model, TrainOptions settings, TrainingProgress progress, Action<EpochReport>? show,
    Func<TrainOptions, Action<EpochReport>, System.Threading.CancellationToken, TrainResult> train)
{
    var file = System.IO.Path.Combine(runFolder, string.Join("-", run.ToLowerInvariant().Split(' ', ',')
        .Where(w => w.Length > 0)) + ".run");
    progress.Start(model, run);
    var result = train(settings with { RunCheckpoint = new RunCheckpointOptions(file) { EveryMinibatches = 100 } },
        report => { show?.Invoke(report); progress.Add(model, run, report); }, NotebookSettings.CellCancellation);
    if (result.Cancelled)
        TrainingProgress.Stop($"{run}: stopped in epoch {result.Epochs.Count + 1}; run the cell again to continue from its run checkpoint.");
    if (result.ContinuedFrom is { } from) Console.WriteLine($"{run}: continued from its run checkpoint, at {from}");
    return result;
}

// A recurrent model of the given kind, trained with `settings` on `text` (or taken on from its run checkpoint).
(RNNModel Model, TrainResult Result) FitRnn(string run, string kind, IReadOnlyList<int> text, TrainOptions settings,
    TrainingProgress progress, Action<EpochReport>? show = null)
{
    manual_seed(0);
    var model = new RNNModel(kinds[kind]);
    var result = Keep(run, kind, settings, progress, show, (o, onEpoch, stop) =>
        Trainer.Train(model, new SeqDataLoader(text, batchSize: 32, numSteps: 35, seed: 0), vocab, o, onEpoch, stop));
    return (model, result);
}

Console.WriteLine("== The time it takes");
// What the whole notebook will train, estimated before it starts: a few minibatches of each model are timed on this
// machine, and every planned epoch costs its characters divided by that speed, plus the scoring of the validation text
// after it. The progress line of each long cell counts down from this plan, corrected by the epochs it has measured.

// Two short epochs of each model on the first 33,601 training characters (30 minibatches), the second one timed,
// and 10,000 validation characters scored.
var probeText = train[..Math.Min(train.Length, 32 * 35 * 30 + 1)];
var probeValid = valid[..10_000];
var probe = options with { NumEpochs = 2, Validation = null, KeepBestWeights = false };
var speeds = new Dictionary<string, ModelSpeed>();
foreach (var (name, config) in kinds)
{
    manual_seed(0);
    using var model = new RNNModel(config);
    var run = Trainer.Train(model, new SeqDataLoader(probeText, batchSize: 32, numSteps: 35, seed: 0), vocab, probe);
    var clock = System.Diagnostics.Stopwatch.StartNew();
    Evaluator.Perplexity(model, probeValid);
    speeds[name] = new(run.Epochs[^1].TokensPerSecond, probeValid.Length / clock.Elapsed.TotalSeconds);
}
foreach (var encoding in new[] { NGramEncoding.Sequential, NGramEncoding.BagOfCharacters })
{
    manual_seed(0);
    using var mlp = NGramMlp.Create(vocab.Count, encoding);
    var loader = new NGramDataLoader(new NGramWindows(probeText), vocab.Count, encoding, batchSize: 1024, seed: 0);
    var run = NGramTrainer.Train(mlp, loader, probe);
    var clock = System.Diagnostics.Stopwatch.StartNew();
    NGramEvaluator.Evaluate(mlp, new NGramWindows(probeValid), vocab.Count, encoding);
    speeds[$"MLP, {encoding}"] = new(run.Epochs[^1].TokensPerSecond, probeValid.Length / clock.Elapsed.TotalSeconds);
}
var budget = new TrainingBudget(speeds);
var learningRates = new[] { 2e-3, 4e-3, 8e-3 };
var sweepTrain = train[..Math.Min(200_000, train.Length)];
var sweepValid = valid[..Math.Min(20_000, valid.Length)];

// The notebook's plan for a text of `trainTokens` training and `validTokens` validation characters, section by section.
List<(string Section, List<PlannedEpochs> Work)> Plan(long trainTokens, long validTokens)
{
    var mlps = new[] { "MLP, Sequential", "MLP, BagOfCharacters" };
    return
    [
        ("four models, lr 0.002", kinds.Keys.Select(k => new PlannedEpochs(k, epochs, trainTokens, validTokens)).ToList()),
        // Eight runs of a small RNN, which cost about as much as ten of the baseline (512 hidden units and the embeddings are dearer).
        ("the settings, on a small RNN", [new("RNN", 10 * epochs, Math.Min(200_000, trainTokens), Math.Min(20_000, validTokens))]),
        // Each other rate one epoch, then the rest of the epochs for the rate ahead (at most).
        ("the learning rate of each kind", kinds.Keys.Select(k => new PlannedEpochs(k, learningRates.Length - 1 + epochs - 1, trainTokens, validTokens)).ToList()),
        ("the N-gram MLPs, their learning rate", mlps.Select(m => new PlannedEpochs(m, learningRates.Length + epochs - 1, trainTokens, validTokens)).ToList()),
        ("the final models, on training + validation text", kinds.Keys.Concat(mlps).Select(k => new PlannedEpochs(k, epochs, trainTokens + validTokens)).ToList()),
    ];
}

foreach (var (name, speed) in speeds)
    Console.WriteLine($"{name,-21} trains {speed.TrainingTokensPerSecond:N0} characters/s, scores {speed.ScoringTokensPerSecond:N0} characters/s");
var plan = Plan(train.Length, valid.Length);
foreach (var (section, work) in plan)
    Console.WriteLine($"{section,-48} {work.Sum(w => w.Epochs),3} epochs  {TrainingBudget.About(budget.Of(work))}");
Console.WriteLine($"this run trains for {TrainingBudget.About(budget.Of(plan.SelectMany(p => p.Work)))} in all (at most)");
if (corpus.Indices.Length < 2_000_000)
    Console.WriteLine($"on the complete works (about 5,000,000 characters) it would take " +
                      $"{TrainingBudget.About(budget.Of(Plan(4_800_000, valid.Length).SelectMany(p => p.Work)))}");

// The chart shows each model's training perplexity (solid, the average over each epoch while the weights changed) and
// its validation perplexity (dashed, after the epoch) while they train; the line above it says which model is training
// and how long the cell has left.

var models = new Dictionary<string, RNNModel>();
var runs = new Dictionary<string, TrainResult>();
var progress = TrainingProgress.Show(budget, plan[0].Work);
var plot = LivePerplexityPlot.Show();
foreach (var name in kinds.Keys)
{
    var (model, run) = FitRnn($"{name}, lr 0.002", name, train, options, progress, report => plot.Add(name, report));
    (models[name], runs[name]) = (model, run);
    Console.WriteLine($"{name,-15} best validation perplexity {run.BestValidationPerplexity:F3} (epoch {run.BestEpoch}), " +
                      $"{run.SecondsPerEpoch:F1} s/epoch, {run.Path.ToString().ToLowerInvariant()} path");
}
progress.Finish();

Console.WriteLine("== A perplexity calculator");
// `Evaluator.Perplexity` only evaluates: it reads a text once from a zero state, scores the prediction of every next
// character, and reports `exp` of the mean cross-entropy. Nothing is trained. The perplexity printed during training
// is an average over an epoch while the weights were still changing; to compare like with like, the same calculator
// scores the last 100,000 training characters and the validation text with the kept weights.

var trainSample = train[^Math.Min(valid.Length, train.Length)..];
var validPerplexity = models.ToDictionary(m => m.Key, m => Evaluator.Perplexity(m.Value, valid));
Console.WriteLine($"{"model",-15} {"train",7} {"valid",7}   valid/train");
foreach (var (name, model) in models)
{
    var onTrain = Evaluator.Perplexity(model, trainSample);
    Console.WriteLine($"{name,-15} {onTrain,7:F3} {validPerplexity[name],7:F3}   {validPerplexity[name] / onTrain:F3}");
}

// Overfitting shows up as a validation perplexity that rises while the training one keeps falling, and as a
// valid/train ratio that grows from epoch to epoch; within this budget every model is still learning.

Console.WriteLine("== Writing Shakespeare");
// Each model continues *But Brutus is an honorable man* for 200 characters: first always taking the most likely next
// character, then sampling with temperature 0.8, which trades a little likelihood for variety. A `LanguageModel` holds a
// model with the corpus' vocabulary and preprocessing, so the prefix is cleaned as the corpus was (capitals and
// punctuation are fine; a character that cleaning keeps but the vocabulary lacks would be reported, not guessed).

var prefix = "But Brutus is an honorable man";
foreach (var (name, model) in models)
{
    var writer = new LanguageModel(model, corpus);
    Console.WriteLine($"{name} (argmax):  {writer.Predict(prefix, 200)}");
    Console.WriteLine($"{name} (sampled): {writer.Sample(prefix, 200, temperature: 0.8, seed: 0)}");
}

Console.WriteLine("== Part 1: the settings");
// The homework asks to experiment with the number of hidden units, the embedding length, gradient clipping, the
// number of iterations and the learning rate.
//
// **What the first three do**, one at a time on a small run: a plain RNN on the first 200,000 training characters,
// scored on the first 20,000 validation characters, with the others at the baseline (256 hidden units, one-hot input,
// θ = 1, Adam at 0.002, the notebook's epochs). These runs show what each setting does; they choose nothing for the
// final models, which keep the baseline: a setting that wins on a small RNN run is not carried to another kind of
// model or to a longer run without testing it there, and testing all three for every kind on the whole text would take
// hours.

// One sweep run: a plain RNN trained with the baseline settings except the one given; diverged runs are infinite.
(double Train, double Valid, double Seconds) SweepRun(TrainingProgress progress, int hiddens = 256, int? embedding = null, double theta = 1)
{
    manual_seed(0);
    using var model = new RNNModel(new ModelConfig(CellKind.Rnn, vocab.Count, hiddens, EmbeddingSize: embedding));
    var settings = options with { ClipTheta = theta, Validation = sweepValid, KeepBestWeights = false };
    try
    {
        var result = Keep($"sweep, {hiddens} hidden, embedding {embedding?.ToString() ?? "none"}, theta {theta}", "RNN", settings, progress, null,
            (o, onEpoch, stop) => Trainer.Train(model, new SeqDataLoader(sweepTrain, batchSize: 32, numSteps: 35, seed: 0), vocab, o, onEpoch, stop));
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
var sweepProgress = TrainingProgress.Show(budget, plan[1].Work);
var baseRun = SweepRun(sweepProgress);
foreach (var h in new[] { 64, 128, 256, 512 }) Add("hidden units", h.ToString(), h == 256 ? baseRun : SweepRun(sweepProgress, hiddens: h));
foreach (var e in new int?[] { null, 8, 32 }) Add("embedding length", e?.ToString() ?? "one-hot", e is null ? baseRun : SweepRun(sweepProgress, embedding: e));
foreach (var t in new[] { 0.1, 1, 10 }) Add("clipping θ", t.ToString(), t == 1 ? baseRun : SweepRun(sweepProgress, theta: t));
sweepProgress.Finish();

Console.WriteLine($"{"setting",-17} {"value",-8} {"train",7} {"valid",7} {"seconds",8}");
foreach (var r in sweep)
    Console.WriteLine(double.IsFinite(r.Valid)
        ? $"{r.Setting,-17} {r.Value,-8} {r.Train,7:F3} {r.Valid,7:F3} {r.Seconds,8:F1}"
        : $"{r.Setting,-17} {r.Value,-8} diverged (worse than a uniform guess)");
SweepChart.Show(sweep.Select(r => (r.Setting, r.Value, r.Valid)), scoredOn: "the validation text");

// More hidden units give the layer more capacity at a price in time (a layer of `h` units costs about `h²`
// multiply-adds per character); an embedding of length `e` replaces the one-hot input with a learned vector of `e`
// numbers per character (with 28 symbols, a one-hot input times a weight matrix already is a lookup of a learned vector
// of `h` numbers, so the embedding mainly changes how many parameters are shared, and the fast training path, which
// takes one-hot input, no longer applies); θ limits the size of each step (a small θ clips almost every step, a large
// one lets a rare huge gradient through; Adam rescales each step itself, so θ matters less than with SGD). The table and
// the chart give the numbers of this run; a run that blew up is marked as diverged.
//
Console.WriteLine("== The learning rate and the epochs of each kind");
// These two are chosen for every kind of model on its own, on the whole training text, by the validation text:
//
// - **Learning rate.** 0.002 (the runs above), 0.004 and 0.008. Every rate trains one epoch first (0.002's first epoch
//   is the one above); the rate with the lowest validation perplexity after it trains the remaining epochs, continuing
//   its own run from its run checkpoint. This is successive halving: a rate that is behind after one epoch gets no more
//   time.
// - **Epochs.** Of the rates that trained all the epochs, the one whose best epoch has the lowest validation perplexity
//   wins, and that epoch is the number of epochs of the final model.

// Successive halving over the learning rates: every rate one epoch, the one ahead all of them; then the best rate and
// epoch by validation. `known` holds the runs already made (lr → result); `fit(lr, n)` trains (or continues) a run.
(double Lr, int Epochs, double Validation) Search(Dictionary<double, TrainResult?> known, Func<double, int, TrainResult> fit)
{
    foreach (var rate in learningRates.Where(r => !known.ContainsKey(r)))
    {
        try { known[rate] = fit(rate, 1); }
        catch (TrainingDivergedException) { known[rate] = null; }
    }
    double AfterFirst(TrainResult? r) => r?.Epochs.FirstOrDefault()?.ValidationPerplexity ?? double.PositiveInfinity;
    var ahead = known.MinBy(r => AfterFirst(r.Value)).Key;
    if (known[ahead]!.Epochs.Count < epochs) known[ahead] = fit(ahead, epochs);
    var (bestRate, bestRun) = known.Where(r => r.Value?.Epochs.Count == epochs).MinBy(r => r.Value!.BestValidationPerplexity);
    return (bestRate, bestRun!.BestEpoch!.Value, bestRun.BestValidationPerplexity);
}

// One line per rate: the validation perplexity after each epoch it trained.
void PrintSearch(string name, Dictionary<double, TrainResult?> tried, (double Lr, int Epochs, double Validation) chosen)
{
    foreach (var (lr, run) in tried.OrderBy(t => t.Key))
        Console.WriteLine($"{name,-21} lr {lr,-6} " + (run is null ? "diverged"
            : "validation " + string.Join(" ", run.Epochs.Select(e => $"{e.ValidationPerplexity:F3}"))));
    Console.WriteLine($"{name}: chosen lr {chosen.Lr}, {chosen.Epochs} epochs (validation perplexity {chosen.Validation:F3})");
    if (chosen.Lr == learningRates.Max()) Console.WriteLine($"{name}: {chosen.Lr} is the largest rate tried; a larger one might do better still");
}

var searched = new Dictionary<string, Dictionary<double, TrainResult?>>();
var chosen = new Dictionary<string, (double Lr, int Epochs, double Validation)>();
var searchProgress = TrainingProgress.Show(budget, plan[2].Work);
foreach (var name in kinds.Keys)
{
    searched[name] = new() { [2e-3] = runs[name] };
    chosen[name] = Search(searched[name], (lr, n) =>
    {
        var (model, run) = FitRnn($"{name}, lr {lr}", name, train, options with { LearningRate = lr, NumEpochs = n }, searchProgress);
        model.Dispose(); // only its result counts here: the final model is trained afresh below
        return run;
    });
}
searchProgress.Finish();
foreach (var name in kinds.Keys) PrintSearch(name, searched[name], chosen[name]);

Console.WriteLine("== Part 3: the N-gram model");
// The homework's alternative to a recurrent network: look at the last 5 characters only (`But B` → `r`,
// `ut Br` → `u`, ...) and let an MLP with one hidden layer of 256 units predict the next one. The 5 characters are
// one-hot vectors, combined two ways: **sequential** (concatenated: 5 × 28 inputs, the position of every character
// is known) and **bag of characters** (summed: 28 inputs, only which characters occur and how often). Both train on
// every 5-character window of the training text in minibatches of 1,024 windows, with Adam and θ = 1, and get the same
// search as the recurrent models: the learning rate by successive halving, the epochs by validation.

var trainWindows = new NGramWindows(train);
var testWindows = new NGramWindows(test);
var mostFrequent = train.GroupBy(t => t).MaxBy(g => g.Count())!.Key;
var baselineAccuracy = (double)Enumerable.Range(0, testWindows.Count).Count(i => testWindows.Target(i) == mostFrequent) / testWindows.Count;
Console.WriteLine($"{trainWindows.Count:N0} training windows, {testWindows.Count:N0} test windows");
Console.WriteLine($"always '{vocab.IdxToToken[mostFrequent]}' (the most frequent character): test accuracy {baselineAccuracy:P1}");

// An N-gram MLP trained with `settings` on the windows of `text` (or taken on from its run checkpoint).
(TorchSharp.Modules.Sequential Mlp, TrainResult Result) FitMlp(string run, NGramEncoding encoding, IReadOnlyList<int> text,
    TrainOptions settings, TrainingProgress progress, Action<EpochReport>? show = null)
{
    manual_seed(0);
    var mlp = NGramMlp.Create(vocab.Count, encoding);
    var loader = new NGramDataLoader(new NGramWindows(text), vocab.Count, encoding, batchSize: 1024, seed: 0);
    var result = Keep(run, $"MLP, {encoding}", settings, progress, show, (o, onEpoch, stop) => NGramTrainer.Train(mlp, loader, o, onEpoch, stop));
    return (mlp, result);
}

var mlpProgress = TrainingProgress.Show(budget, plan[3].Work);
var mlpPlot = LivePerplexityPlot.Show();
foreach (var encoding in new[] { NGramEncoding.Sequential, NGramEncoding.BagOfCharacters })
{
    var name = $"MLP, {encoding}";
    searched[name] = new();
    chosen[name] = Search(searched[name], (lr, n) =>
    {
        var (mlp, run) = FitMlp($"{name}, lr {lr}", encoding, train, options with { LearningRate = lr, NumEpochs = n }, mlpProgress,
            report => mlpPlot.Add($"{name}, lr {lr}", report));
        mlp.Dispose();
        return run;
    });
}
mlpProgress.Finish();
foreach (var encoding in new[] { NGramEncoding.Sequential, NGramEncoding.BagOfCharacters })
    PrintSearch($"MLP, {encoding}", searched[$"MLP, {encoding}"], chosen[$"MLP, {encoding}"]);

Console.WriteLine("== The final models: training + validation text");
// Every choice is made. Each kind of model is now trained once more from the start, with its own learning rate and
// number of epochs, on the training text and the validation text together: the validation text is the 100,000
// characters just before the test text, and a model that never read them would be judged on a stretch of the plays it
// has had no chance to learn from. There is nothing left to validate on, so these runs keep their last epoch.

var finals = new Dictionary<string, RNNModel>();
var finalMlps = new Dictionary<string, (NGramEncoding Encoding, TorchSharp.Modules.Sequential Mlp)>();
var finalProgress = TrainingProgress.Show(budget, plan[4].Work.Select(w => w with { Epochs = chosen[w.Model].Epochs }));
var finalPlot = LivePerplexityPlot.Show();
var finalOptions = options with { Validation = null, KeepBestWeights = false };
foreach (var name in kinds.Keys)
{
    var (lr, n, _) = chosen[name];
    var (model, run) = FitRnn($"{name}, final, lr {lr}, {n} epochs", name, trainAndValid, finalOptions with { LearningRate = lr, NumEpochs = n },
        finalProgress, report => finalPlot.Add(name, report));
    finals[name] = model;
    Console.WriteLine($"{name,-21} lr {lr}, {n} epochs on {trainAndValid.Length:N0} characters: training perplexity {run.FinalPerplexity:F3}, {run.SecondsPerEpoch:F1} s/epoch");
}
foreach (var encoding in new[] { NGramEncoding.Sequential, NGramEncoding.BagOfCharacters })
{
    var name = $"MLP, {encoding}";
    var (lr, n, _) = chosen[name];
    var (mlp, run) = FitMlp($"{name}, final, lr {lr}, {n} epochs", encoding, trainAndValid, finalOptions with { LearningRate = lr, NumEpochs = n },
        finalProgress, report => finalPlot.Add(name, report));
    finalMlps[name] = (encoding, mlp);
    Console.WriteLine($"{name,-21} lr {lr}, {n} epochs on {trainAndValid.Length:N0} characters: training perplexity {run.FinalPerplexity:F3}, {run.SecondsPerEpoch:F1} s/epoch");
}
finalProgress.Finish();

Console.WriteLine("== The test set, once");
// Now, and only now, the test text is scored: once per final model, by the same calculator for the recurrent models
// and by the MLPs' own (the MLP scores every character that has five before it, the recurrent models every character
// after the first: the same text, 5 characters fewer). The validation column is the search's: the chosen rate and epoch,
// trained on the training text alone.

var tested = new Dictionary<string, double>();
Console.WriteLine($"{"model",-21} {"lr",-6} {"epochs",6} {"valid",7} {"test",7}");
foreach (var (name, model) in finals)
{
    tested[name] = Evaluator.Perplexity(model, test);
    Console.WriteLine($"{name,-21} {chosen[name].Lr,-6} {chosen[name].Epochs,6} {chosen[name].Validation,7:F3} {tested[name],7:F3}");
}
foreach (var (name, (encoding, mlp)) in finalMlps)
{
    var onTest = NGramEvaluator.Evaluate(mlp, testWindows, vocab.Count, encoding);
    tested[name] = onTest.Perplexity;
    Console.WriteLine($"{name,-21} {chosen[name].Lr,-6} {chosen[name].Epochs,6} {chosen[name].Validation,7:F3} {tested[name],7:F3}   test accuracy {onTest.Accuracy:P1}");
}

// The answer: the lowest test perplexity of all, and the recurrent model that writes below.
string Answer(string name) => $"{tested[name]:F3}, {name} (lr {chosen[name].Lr}, {chosen[name].Epochs} epochs, trained on training + validation text)";
var lowest = tested.Keys.MinBy(n => tested[n])!;
var bestName = finals.Keys.MinBy(n => tested[n])!;
Console.WriteLine($"the lowest test perplexity: {Answer(lowest)}");
if (lowest != bestName) Console.WriteLine($"the lowest of the recurrent models: {Answer(bestName)}");
var ngram = tested["MLP, Sequential"];
var beat = finals.Keys.Where(n => tested[n] < ngram).ToList();
var notBeat = finals.Keys.Where(n => tested[n] >= ngram).ToList();
Console.WriteLine($"against the 5-gram MLP (sequential, {ngram:F3}): better {(beat.Count > 0 ? string.Join("; ", beat) : "none")}, " +
                  $"not better {(notBeat.Count > 0 ? string.Join("; ", notBeat) : "none")}");

var best = new LanguageModel(finals[bestName], corpus);
Console.WriteLine($"{bestName} (argmax):  {best.Predict(prefix, 200)}");
Console.WriteLine($"{bestName} (sampled): {best.Sample(prefix, 200, temperature: 0.8, seed: 0)}");

// What the committed run shows is discussed in the README's homework table; your own run (another corpus, another
// budget) prints its own numbers above.

Console.WriteLine("== Saving the final models");
// Every final model goes to `artifacts/models/` (or `$D2L_OUTPUT_DIR/models/`) with its vocabulary, configuration and
// preprocessing. To show nothing was lost, each file is loaded into a fresh model, which must give exactly the same
// perplexity on the validation text (text it trained on: a check of the file, not a score). Each model is also written
// as a PyTorch state dict (`.pt`), which d2l's PyTorch `RNNModel` of the same configuration loads with
// `net.load_state_dict(torch.load(path))`.

foreach (var (name, model) in finals)
{
    var file = NotebookSettings.OutputPath($"models/{name.ToLowerInvariant().Replace(", ", "-").Replace(' ', '-')}.ckpt");
    var before = Evaluator.Perplexity(model, valid);
    new LanguageModel(model, corpus).Save(file, new Dictionary<string, string>
    {
        ["learning rate"] = chosen[name].Lr.ToString(), ["epochs"] = chosen[name].Epochs.ToString(), ["trained on"] = "training + validation text",
    });
    PyTorchStateDict.Save(System.IO.Path.ChangeExtension(file, ".pt"), model);
    var loaded = LanguageModel.Load(file);
    Console.WriteLine($"{name,-15} {Repository.Display(file)} ({loaded.Preset.Name}): reloaded perplexity on the validation text " +
                      $"{Evaluator.Perplexity(loaded.Model, valid):F3} (before saving {before:F3})");
}

Console.WriteLine("== Weights and operations per character");
// Counted from the models themselves (`ModelCost.Of`): the number of weights (all parameters, biases included),
// and the multiply-adds needed to predict one character (a one-hot input times a weight matrix counted as a full
// product, as the homework's formulas do; biases and nonlinearities not counted).

Console.WriteLine($"{"model",-26} {"weights",10} {"multiply-adds",14}");
foreach (var (name, (_, mlp)) in finalMlps)
{
    var cost = ModelCost.Of(mlp);
    Console.WriteLine($"{name,-26} {cost.Parameters,10:N0} {cost.MultiplyAdds,14:N0}");
}
foreach (var (name, model) in finals)
{
    var cost = ModelCost.Of(model);
    Console.WriteLine($"{name,-26} {cost.Parameters,10:N0} {cost.MultiplyAdds,14:N0}");
}

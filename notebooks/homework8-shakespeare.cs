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
// an N-gram model that only looks at the last five characters.
//
// - **Corpus.** The complete works (Project Gutenberg #100) when they can be downloaded, otherwise Tiny
//   Shakespeare (about 1 MB), which works offline. As in the homework, every run of non-letters becomes one space
//   and everything is lower case, so the vocabulary is the 26 letters, the space and `<unk>`.
// - **Three parts of the text.** The last 100,000 characters are the test set, the 100,000 before them the
//   validation set, the rest is for training. Every choice (which epoch's weights to keep, which settings are best)
//   is made on the validation set; the test set is scored once, at the end.
// - **One budget for every model.** The same optimizer (Adam, learning rate 0.002, gradients clipped to norm 1), the
//   same number of epochs (5 by default; set `D2L_EPOCHS` to change it, and `D2L_MAX_TOKENS` to use only the beginning
//   of the text), and the same rule for the weights: those of the epoch with the lowest validation perplexity.
//
// The first cell builds the library when it is missing or out of date.

D2L.Rnn.Notebooks.NotebookSetup.Initialize();

Console.WriteLine("== The corpus, split three ways");

var corpus = Shakespeare.Load(maxTokens: NotebookSettings.MaxTokens(), log: Console.WriteLine);
var vocab = corpus.Vocab;
var (train, valid, test) = corpus.Split(validationTokens: 100_000, testTokens: 100_000);
Console.WriteLine($"{corpus.Indices.Length:N0} characters, vocabulary of {vocab.Count}");
Console.WriteLine($"training on {train.Length:N0}, validating on the next {valid.Length:N0}, testing on the last {test.Length:N0}");
Console.WriteLine($"\"{corpus.Text[..80]}\"");

Console.WriteLine("== Four models, one budget");
// The same block as in the lecture, with four different recurrent layers of 256 hidden units: a plain RNN, a GRU,
// an LSTM, and two LSTM layers stacked. Minibatches of 32 sequences of 35 characters, sequential sampling, as in d2l.
// After every epoch the validation text is scored; the weights of the best epoch are kept.
//
// The optimizer is Adam rather than d2l's plain SGD, because the N-gram model below trains with Adam too: comparing
// model families is only fair under one optimizer and one budget.

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

// The chart shows each model's training perplexity (solid, the average over each epoch while the weights changed) and
// its validation perplexity (dashed, after the epoch) while they train.

var models = new Dictionary<string, RNNModel>();
var runs = new Dictionary<string, TrainResult>();
var plot = LivePerplexityPlot.Show();
foreach (var (name, config) in kinds)
{
    manual_seed(0);
    var model = new RNNModel(config);
    var data = new SeqDataLoader(train, batchSize: 32, numSteps: 35, seed: 0);
    runs[name] = Trainer.Train(model, data, vocab, options, report => plot.Add(name, report), NotebookSettings.CellCancellation);
    models[name] = model;
    var run = runs[name];
    Console.WriteLine($"{name,-15} best validation perplexity {run.BestValidationPerplexity:F3} (epoch {run.BestEpoch}), " +
                      $"{run.SecondsPerEpoch:F1} s/epoch, {run.Path.ToString().ToLowerInvariant()} path");
}

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

// Overfitting shows up as a validation perplexity that rises while the training one keeps falling; the chart above
// shows whether it started within this budget, and the kept epoch is the one before it did.

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

Console.WriteLine("== Saving the models");
// Every model goes to `artifacts/models/` (or `$D2L_OUTPUT_DIR/models/`) with its vocabulary, configuration and
// preprocessing. To show nothing was lost, each file is loaded into a fresh model, which must give exactly the same
// validation perplexity. Each model is also written as a PyTorch state dict (`.pt`), which d2l's PyTorch `RNNModel` of
// the same configuration loads with `net.load_state_dict(torch.load(path))`.

foreach (var (name, model) in models)
{
    var file = NotebookSettings.OutputPath($"models/{name.ToLowerInvariant().Replace(", ", "-").Replace(' ', '-')}.ckpt");
    new LanguageModel(model, corpus).Save(file, new Dictionary<string, string> { ["epoch"] = runs[name].BestEpoch.ToString()! });
    PyTorchStateDict.Save(System.IO.Path.ChangeExtension(file, ".pt"), model);
    var loaded = LanguageModel.Load(file);
    Console.WriteLine($"{name,-15} {Repository.Display(file)} ({loaded.Preset.Name}): reloaded validation perplexity " +
                      $"{Evaluator.Perplexity(loaded.Model, valid):F3} (before saving {validPerplexity[name]:F3})");
}

Console.WriteLine("== Part 1: the settings");
// The homework asks to experiment with the number of hidden units, the embedding length, gradient clipping, the
// number of iterations and the learning rate. One setting changes at a time, the others stay at the baseline (256
// hidden units, one-hot input, θ = 1, Adam at 0.002); every run is a plain RNN on the first 200,000 training
// characters, scored on the first 20,000 validation characters. `D2L_EPOCHS` and `D2L_MAX_TOKENS` shrink the sweep too.

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
        var result = Trainer.Train(model, data, vocab, settings, null, NotebookSettings.CellCancellation);
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
SweepChart.Show(sweep.Select(r => (r.Setting, r.Value, r.Valid)), scoredOn: "the validation text");

// What each setting does: more hidden units give the layer more capacity at a price in time (a layer of `h` units
// costs about `h²` multiply-adds per character); an embedding of length `e` replaces the one-hot input with a
// learned vector of `e` numbers per character (with 28 symbols, a one-hot input times a weight matrix already is a
// lookup of a learned vector of `h` numbers, so the embedding mainly changes how many parameters are shared); θ
// limits the size of each step (a small θ clips almost every step, a large one lets a rare huge gradient through;
// Adam rescales each step itself, so θ matters less than with SGD); the learning rate scales every step; more epochs
// mean more passes over the same text. The table and the chart give the numbers of this run; a run that blew up is
// marked as diverged.
//
Console.WriteLine("== How low can you drive the perplexity?");
// The model kind with the best validation perplexity above, trained twice as long with the sweep's best learning
// rate and θ, keeping its best epoch by validation.

var bestKind = validPerplexity.MinBy(p => p.Value).Key;
var bestLr = double.Parse(sweep.Where(r => r.Setting == "learning rate").MinBy(r => r.Valid).Value);
var bestTheta = double.Parse(sweep.Where(r => r.Setting == "clipping θ").MinBy(r => r.Valid).Value);
var bestOptions = options with { NumEpochs = 2 * NotebookSettings.Epochs(5), LearningRate = bestLr, ClipTheta = bestTheta };
manual_seed(0);
var best = new RNNModel(kinds[bestKind]);
var bestRun = Trainer.Train(best, new SeqDataLoader(train, batchSize: 32, numSteps: 35, seed: 0), vocab, bestOptions,
    null, NotebookSettings.CellCancellation);
models[$"{bestKind}, longer"] = best;
runs[$"{bestKind}, longer"] = bestRun;
Console.WriteLine($"best run: {bestKind}, {bestOptions.NumEpochs} epochs, lr {bestLr}, θ {bestTheta}");
Console.WriteLine($"kept epoch {bestRun.BestEpoch}: validation perplexity {bestRun.BestValidationPerplexity:F3}");
Console.WriteLine(new LanguageModel(best, corpus).Predict(prefix, 200));

Console.WriteLine("== Part 3: the N-gram model");
// The homework's alternative to a recurrent network: look at the last 5 characters only (`But B` → `r`,
// `ut Br` → `u`, ...) and let an MLP with one hidden layer of 256 units predict the next one. The 5 characters are
// one-hot vectors, combined two ways: **sequential** (concatenated: 5 × 28 inputs, the position of every character
// is known) and **bag of characters** (summed: 28 inputs, only which characters occur and how often). Both train on
// every 5-character window of the training text under the recurrent models' options (Adam at 0.002, θ = 1, the same
// epochs, the best epoch by validation perplexity), in minibatches of 1,024 windows.

var trainWindows = new NGramWindows(train);
var testWindows = new NGramWindows(test);
var mostFrequent = train.GroupBy(t => t).MaxBy(g => g.Count())!.Key;
var baselineAccuracy = (double)Enumerable.Range(0, testWindows.Count).Count(i => testWindows.Target(i) == mostFrequent) / testWindows.Count;
Console.WriteLine($"{trainWindows.Count:N0} training windows, {testWindows.Count:N0} test windows");
Console.WriteLine($"always '{vocab.IdxToToken[mostFrequent]}' (the most frequent character): test accuracy {baselineAccuracy:P1}");

var mlps = new Dictionary<NGramEncoding, TorchSharp.Modules.Sequential>();
var mlpPlot = LivePerplexityPlot.Show();
foreach (var encoding in new[] { NGramEncoding.Sequential, NGramEncoding.BagOfCharacters })
{
    manual_seed(0);
    var mlp = NGramMlp.Create(vocab.Count, encoding);
    var loader = new NGramDataLoader(trainWindows, vocab.Count, encoding, batchSize: 1024, seed: 0);
    var run = NGramTrainer.Train(mlp, loader, options, report => mlpPlot.Add($"MLP, {encoding}", report), NotebookSettings.CellCancellation);
    mlps[encoding] = mlp;
    Console.WriteLine($"MLP, {encoding,-16} best validation perplexity {run.BestValidationPerplexity:F3} (epoch {run.BestEpoch}), {run.SecondsPerEpoch:F1} s/epoch");
}

Console.WriteLine("== The test set, once");
// Every choice is made: each model holds the weights of its best validation epoch (whose validation perplexity is
// repeated here). Now, and only now, the test text is scored, by the same calculator for the recurrent models and by the MLPs' own (the MLP scores every character that has
// five before it, the recurrent models every character after the first: the same text, 5 characters fewer).

Console.WriteLine($"{"model",-26} {"valid",7} {"test",7}");
foreach (var (name, model) in models)
    Console.WriteLine($"{name,-26} {runs[name].BestValidationPerplexity,7:F3} {Evaluator.Perplexity(model, test),7:F3}");
foreach (var (encoding, mlp) in mlps)
{
    var onValid = NGramEvaluator.Evaluate(mlp, new NGramWindows(valid), vocab.Count, encoding);
    var onTest = NGramEvaluator.Evaluate(mlp, testWindows, vocab.Count, encoding);
    Console.WriteLine($"{"MLP, " + encoding,-26} {onValid.Perplexity,7:F3} {onTest.Perplexity,7:F3}   test accuracy {onTest.Accuracy:P1}");
}

// What the committed run shows (Tiny Shakespeare, every model under Adam at 0.002 and θ = 1 for 5 epochs, nothing
// tuned for this comparison): on the test text, three of the four recurrent models beat the 5-gram MLP. The
// two-layer LSTM reaches 5.145, the LSTM 5.221 and the GRU 5.323, against 5.678 for the sequential MLP; the plain
// RNN, at 5.801, does not. A recurrent model can carry information from further back than 5 characters; the gated
// ones (GRU, LSTM) are built to keep it. The bag of characters, which forgets the order of its 5 characters, is far
// behind (12.047).
//
// Every model is worse on the test text than on the validation text, by 0.5 to 1.0: the validation text follows the
// training text, the test text is the end of the corpus, a later stretch of the plays. The longer run is worse than the
// 5-epoch model of the same kind (5.986 against 4.162 on validation): the learning rate 0.008 won the sweep for a
// one-layer RNN over 3 epochs of 200,000 characters, and on a two-layer LSTM over the whole training text it does
// worse than 0.002. A setting found on one model does not carry over to another. Its test perplexity is printed all
// the same: it was chosen before the test text was scored. Your own run (another corpus, another budget) prints its
// own numbers above.

Console.WriteLine("== Weights and operations per character");
// Counted from the models themselves (`ModelCost.Of`): the number of weights (all parameters, biases included),
// and the multiply-adds needed to predict one character (a one-hot input times a weight matrix counted as a full
// product, as the homework's formulas do; biases and nonlinearities not counted).

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

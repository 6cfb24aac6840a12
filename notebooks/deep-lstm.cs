#:project ../lib/D2L.Rnn.Notebooks/D2L.Rnn.Notebooks.csproj

// Generated from notebooks/deep-lstm.dib by tools/NotebookRunner: change the notebook, not this file, then regenerate it with
//   dotnet run --project tools/NotebookRunner -c Release -- notebooks/deep-lstm.dib --app notebooks/deep-lstm.cs
// Runs with the .NET 10 SDK alone: dotnet run notebooks/deep-lstm.cs. The notebook's cells, in order: it prints
// what they print and the value a cell ends with (which the notebook displays), and writes the charts the
// notebook shows to artifacts/ (or $D2L_OUTPUT_DIR) as standalone HTML files. The notebook's text is in the
// comments; its headings are printed.

using D2L.Rnn;
using D2L.Rnn.Notebooks;
using TorchSharp;
using static TorchSharp.torch;

Console.WriteLine("Deep LSTM");
// This notebook follows the UC Berkeley STAT 157 lesson *Deep LSTM* (Dive into Deep Learning, chapter 8) in C# with
// TorchSharp: two LSTM layers stacked, the second reading the hidden states of the first, trained for a long schedule.
// It follows *Long short-term memory* (`lstm.dib`).
//
// $$\begin{aligned}
// \mathbf{H}_t^{(1)} &= f_1\left(\mathbf{X}_t, \mathbf{H}_{t-1}^{(1)}\right)\\
// \mathbf{H}_t^{(l)} &= f_l\left(\mathbf{H}_t^{(l-1)}, \mathbf{H}_{t-1}^{(l)}\right)\\
// \mathbf{O}_t &= g\left(\mathbf{H}_t^{(L)}\right)
// \end{aligned}$$

D2L.Rnn.Notebooks.NotebookSetup.Initialize();

Console.WriteLine("== 1. The data and the model");
// The lecture's text (the first 10,000 characters of *The Time Machine*, 43 symbols). Two LSTM layers of 256 hidden
// units, in one TorchSharp module (`numLayers: 2`), wrapped in the lecture's block; weights from Normal(0, 0.01), biases
// zero. The state now has one row per layer, for H and for C.

var corpus = TimeMachine.LoadLecture(log: Console.WriteLine);
var vocab = corpus.Vocab;
int vocabSize = vocab.Count, numHiddens = 256, numLayers = 2;

manual_seed(0);
var lstmLayer = nn.LSTM(vocabSize, numHiddens, numLayers: numLayers);
var model = new RNNModel(lstmLayer, vocabSize);
model.Initialize(WeightInit.Normal001);
foreach (var (name, p) in model.named_parameters())
    Console.WriteLine($"{name,-20} {Shapes.Of(p)}");
using (var begin = model.BeginState(32))
    Console.WriteLine($"begin state H {Shapes.Expect(begin.Hidden, 2, 32, 256)}, C {Shapes.Expect(begin.Cell!, 2, 32, 256)}");

Console.WriteLine("== 2. Training");
// The lesson's settings: 3,000 epochs of consecutive sampling, minibatches of 32 sequences of 35 characters, learning
// rate 100, θ = 0.01, predictions every 500 epochs. The library trains the stacked layers on its fast path (hand-written
// gradients, the same numbers as autograd). The chart redraws while training runs.

int numEpochs = NotebookSettings.Epochs(3000), numSteps = 35, batchSize = 32;
var options = new TrainOptions
{
    NumEpochs = numEpochs, LearningRate = 1e2, ClipTheta = 1e-2,
    PredictEvery = 500, PredictPrefixes = ["traveller", "time traveller"], PredictLength = 50,
};
var plot = LivePerplexityPlot.Show();
var result = Trainer.Train(model, new SeqDataLoader(corpus.Indices, batchSize, numSteps, seed: 0), vocab, options, report =>
{
    plot.Add("two LSTM layers", report);
    if (report.Predictions.Count == 0) return;
    Console.WriteLine(report);
    foreach (var text in report.Predictions.Values) Console.WriteLine($" - {text}");
}, NotebookSettings.CellCancellation);
Console.WriteLine($"{result.Epochs.Count} epochs, {result.SecondsPerEpoch:F3} s per epoch, {result.TokensPerSecond:F0} tokens/sec");

Console.WriteLine("== 3. Against the published runs");
// The lesson was published twice with the same code and settings: in `slides/4_9/deep-lstm.ipynb` (the lesson) and in
// `slides/4_16/deep-rnn.ipynb` (a week later). Their curves differ far more than rounding: a learning rate of 100 with
// θ = 0.01 makes every update exactly one unit long, and whether a run leaves its early plateau at epoch 200 or at epoch
// 800 is a matter of luck. This run's perplexity at the same epochs:

int[] reported = [500, 1000, 1500, 2000, 2500, 3000];
var published = new Dictionary<string, double[]>
{
    ["deep-lstm (4_9)"] = [10.935834, 2.045100, 1.154009, 1.104603, 1.082747, 1.292862],
    ["deep-rnn (4_16)"] = [1.028183, 1.020994, 1.015552, 1.014056, 1.014954, 1.017568],
};
foreach (var (name, curve) in published)
    Console.WriteLine($"{name,-16} {string.Join(" / ", curve.Select(p => p.ToString("F2")))}");
Console.WriteLine($"{"this run",-16} {string.Join(" / ", reported.Where(e => e <= result.Epochs.Count).Select(e => result.Epochs[e - 1].Perplexity.ToString("F2")))}");
var chartFile = PerplexityChart.SaveStandaloneHtml(plot.Chart, NotebookSettings.OutputPath("deep-lstm-perplexity.html"));
Console.WriteLine($"chart written to {Repository.Display(chartFile)}");

Console.WriteLine("== 4. Predicting after training");

foreach (var prefix in new[] { "traveller", "time traveller" })
    Console.WriteLine(Predictor.Predict(prefix, 50, model, vocab));

#:project ../lib/D2L.Rnn.Notebooks/D2L.Rnn.Notebooks.csproj

// Generated from notebooks/gru.dib by tools/NotebookRunner: change the notebook, not this file, then regenerate it with
//   dotnet run --project tools/NotebookRunner -c Release -- notebooks/gru.dib --app notebooks/gru.cs
// Runs with the .NET 10 SDK alone: dotnet run notebooks/gru.cs. The notebook's cells, in order: it prints
// what they print and the value a cell ends with (which the notebook displays), and writes the charts the
// notebook shows to artifacts/ (or $D2L_OUTPUT_DIR) as standalone HTML files. The notebook's text is in the
// comments; its headings are printed.

using D2L.Rnn;
using D2L.Rnn.Notebooks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

Console.WriteLine("Gated recurrent units (GRU)");
// This notebook follows the UC Berkeley STAT 157 lesson *Gated Recurrent Unit* (Dive into Deep Learning, chapter 8)
// step by step, in C# with TorchSharp: the GRU written from scratch, trained with the lesson's settings, then the same
// model with TorchSharp's ready-made `nn.GRU` layer. It builds on *RNN from scratch* (`rnn-scratch.dib`) and the lecture
// (`rnn-gluon.dib`).
//
// A plain RNN overwrites its whole state at every step. A GRU decides, unit by unit, how much of the old state to keep
// (the update gate Z) and how much of it to use when proposing a new one (the reset gate R):
//
// $$\begin{aligned}
// \mathbf{Z}_t &= \sigma(\mathbf{X}_t \mathbf{W}_{xz} + \mathbf{H}_{t-1} \mathbf{W}_{hz} + \mathbf{b}_z)\\
// \mathbf{R}_t &= \sigma(\mathbf{X}_t \mathbf{W}_{xr} + \mathbf{H}_{t-1} \mathbf{W}_{hr} + \mathbf{b}_r)\\
// \tilde{\mathbf{H}}_t &= \tanh(\mathbf{X}_t \mathbf{W}_{xh} + \mathbf{R}_t \odot (\mathbf{H}_{t-1} \mathbf{W}_{hh}) + \mathbf{b}_h)\\
// \mathbf{H}_t &= \mathbf{Z}_t \odot \mathbf{H}_{t-1} + (1 - \mathbf{Z}_t) \odot \tilde{\mathbf{H}}_t
// \end{aligned}$$

D2L.Rnn.Notebooks.NotebookSetup.Initialize();

Console.WriteLine("== 1. The data and the sizes");
// The lecture's text (the first 10,000 characters of *The Time Machine*, 43 symbols) and 256 hidden units.

var corpus = TimeMachine.LoadLecture(log: Console.WriteLine);
var vocab = corpus.Vocab;
int vocabSize = vocab.Count, numInputs = vocabSize, numHiddens = 256, numOutputs = vocabSize;
var device = Devices.TryGpu();
Console.WriteLine($"{corpus.Indices.Length} characters, vocabulary of {vocabSize} symbols, {numHiddens} hidden units");

Console.WriteLine("== 2. Implementation from scratch");
// The parameters come in threes, one three for each gate and one for the candidate state: input weights, recurrent
// weights and a bias. Weights start from Normal(0, 0.01), biases at zero.

IReadOnlyList<Parameter> get_params(int vocabSize, int numHiddens, Device device)
{
    Parameter Normal(params long[] shape) => nn.Parameter(randn(shape, device: device) * 0.01);
    (Parameter, Parameter, Parameter) Three() =>
        (Normal(vocabSize, numHiddens), Normal(numHiddens, numHiddens), nn.Parameter(zeros(numHiddens, device: device)));

    var (W_xz, W_hz, b_z) = Three(); // update gate
    var (W_xr, W_hr, b_r) = Three(); // reset gate
    var (W_xh, W_hh, b_h) = Three(); // candidate hidden state
    // Output layer
    var W_hq = Normal(numHiddens, vocabSize);
    var b_q = nn.Parameter(zeros(vocabSize, device: device));
    return [W_xz, W_hz, b_z, W_xr, W_hr, b_r, W_xh, W_hh, b_h, W_hq, b_q];
}

// The state is the hidden state alone, as for the plain RNN:

RnnState init_gru_state(int batchSize, int numHiddens, Device device) =>
    new(zeros(batchSize, numHiddens, device: device));

// The model, one time step after the other, as in the equations above:

(IReadOnlyList<Tensor> Outputs, RnnState State) gru(IReadOnlyList<Tensor> inputs, RnnState state, IReadOnlyList<Tensor> p)
{
    var (W_xz, W_hz, b_z, W_xr, W_hr, b_r) = (p[0], p[1], p[2], p[3], p[4], p[5]);
    var (W_xh, W_hh, b_h, W_hq, b_q) = (p[6], p[7], p[8], p[9], p[10]);
    var H = state.Hidden;
    var outputs = new List<Tensor>();
    foreach (var X in inputs)
    {
        var Z = sigmoid(X.matmul(W_xz) + H.matmul(W_hz) + b_z);
        var R = sigmoid(X.matmul(W_xr) + H.matmul(W_hr) + b_r);
        var H_tilda = tanh(X.matmul(W_xh) + R * H.matmul(W_hh) + b_h);
        H = Z * H + (1 - Z) * H_tilda;
        var Y = H.matmul(W_hq) + b_q;
        outputs.Add(Y);
    }
    return (outputs, new RnnState(H));
}

Console.WriteLine("== 3. Training from scratch");
// The lesson's settings: 160 epochs of consecutive sampling, minibatches of 32 sequences of 35 characters, learning
// rate 100, gradients clipped to θ = 0.01, predictions every 40 epochs. The model is d2l's `RNNModelScratch` around the
// three functions above, and the update is the lesson's `sgd` (see `rnn-scratch.dib`); the library's `Trainer.Train` is
// the training function of the earlier lessons.

int numEpochs = NotebookSettings.Epochs(160), numSteps = 35, batchSize = 32;
double lr = 1e2, clippingTheta = 1e-2;

void sgd(IReadOnlyList<Tensor> parameters, double lr, int batchSize)
{
    using var noGrad = no_grad();
    foreach (var p in parameters) p.sub_(p.grad! * lr / batchSize);
}

var options = new TrainOptions
{
    NumEpochs = numEpochs, LearningRate = lr, ClipTheta = clippingTheta,
    PredictEvery = 40, PredictPrefixes = ["traveller", "time traveller"], PredictLength = 50,
};

void Print(EpochReport report)
{
    if (report.Predictions.Count == 0) return;
    Console.WriteLine(report);
    foreach (var text in report.Predictions.Values) Console.WriteLine($" - {text}");
}

manual_seed(0);
var scratchModel = new RNNModelScratch(vocabSize, numHiddens, device, get_params, init_gru_state, gru);
var plot = LivePerplexityPlot.Show();
var scratch = Trainer.Train(scratchModel, new SeqDataLoader(corpus.Indices, batchSize, numSteps, seed: 0), vocab,
    options with { Updater = sgd }, report => { plot.Add("from scratch", report); Print(report); }, NotebookSettings.CellCancellation);
Console.WriteLine($"{scratch.Epochs.Count} epochs, {scratch.SecondsPerEpoch:F3} s per epoch, {scratch.TokensPerSecond:F0} tokens/sec");

Console.WriteLine("== 4. The concise implementation");
// TorchSharp's `nn.GRU` is the same unit, with the gates' weights stacked in one matrix and one more bias (PyTorch's
// `b_hn`, inside the reset gate's product, zero here). The lecture's block (`RNNModel`) wraps it, every weight is drawn
// from Normal(0, 0.01) and every bias set to zero, and training uses the same settings with TorchSharp's SGD (the same
// update as `sgd`). The library trains this model on its fast path (hand-written gradients, the same numbers as autograd).

manual_seed(0);
var gruLayer = nn.GRU(vocabSize, numHiddens);
var model = new RNNModel(gruLayer, vocabSize);
model.Initialize(WeightInit.Normal001);
var concise = Trainer.Train(model, new SeqDataLoader(corpus.Indices, batchSize, numSteps, seed: 0), vocab,
    options, report => { plot.Add("concise", report); Print(report); }, NotebookSettings.CellCancellation);
Console.WriteLine($"{concise.Epochs.Count} epochs, {concise.SecondsPerEpoch:F3} s per epoch, {concise.TokensPerSecond:F0} tokens/sec");

Console.WriteLine("== 5. Against the published run");
// The published notebook (MXNet, 2019) printed the perplexity every 40 epochs, beside this run's (the library's tests
// require several seeds' runs to stay within 10% of every published point):

var published = new Dictionary<string, double[]>
{
    ["from scratch"] = [7.740170, 3.347345, 1.350327, 1.147413],
    ["concise"] = [7.779318, 3.565889, 1.423461, 1.118035],
};
foreach (var (name, run) in new[] { ("from scratch", scratch), ("concise", concise) })
{
    var ours = new[] { 40, 80, 120, 160 }.Where(e => e <= run.Epochs.Count).Select(e => run.Epochs[e - 1].Perplexity);
    Console.WriteLine($"{name,-13} published {string.Join(" / ", published[name].Select(p => p.ToString("F2")))}" +
                      $"   this run {string.Join(" / ", ours.Select(p => p.ToString("F2")))}");
}
var chartFile = PerplexityChart.SaveStandaloneHtml(plot.Chart, NotebookSettings.OutputPath("gru-perplexity.html"));
Console.WriteLine($"both curves written to {Repository.Display(chartFile)}");

Console.WriteLine("== 6. Predicting after training");

foreach (var prefix in new[] { "traveller", "time traveller" })
{
    Console.WriteLine($"from scratch: {Predictor.Predict(prefix, 50, scratchModel, vocab)}");
    Console.WriteLine($"concise:      {Predictor.Predict(prefix, 50, model, vocab)}");
}

#:project ../lib/D2L.Rnn.Notebooks/D2L.Rnn.Notebooks.csproj

// Generated from notebooks/lstm.dib by tools/NotebookRunner: change the notebook, not this file, then regenerate it with
//   dotnet run --project tools/NotebookRunner -c Release -- notebooks/lstm.dib --app notebooks/lstm.cs
// Runs with the .NET 10 SDK alone: dotnet run notebooks/lstm.cs. The notebook's cells, in order: it prints
// what they print and the value a cell ends with (which the notebook displays), and writes the charts the
// notebook shows to artifacts/ (or $D2L_OUTPUT_DIR) as standalone HTML files. The notebook's text is in the
// comments; its headings are printed.

using D2L.Rnn;
using D2L.Rnn.Notebooks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

Console.WriteLine("Long short-term memory (LSTM)");
// This notebook follows the UC Berkeley STAT 157 lesson *Long Short-term Memory* (Dive into Deep Learning, chapter 8)
// step by step, in C# with TorchSharp: the LSTM written from scratch, trained with the lesson's settings, then the same
// model with TorchSharp's ready-made `nn.LSTM` layer. It follows *Gated recurrent units* (`gru.dib`).
//
// An LSTM keeps a memory cell C beside the hidden state H. Three gates decide what enters the cell (input gate I), what
// the cell forgets (forget gate F) and what of it is shown as the hidden state (output gate O):
//
// $$\begin{aligned}
// \mathbf{I}_t &= \sigma(\mathbf{X}_t \mathbf{W}_{xi} + \mathbf{H}_{t-1} \mathbf{W}_{hi} + \mathbf{b}_i)\\
// \mathbf{F}_t &= \sigma(\mathbf{X}_t \mathbf{W}_{xf} + \mathbf{H}_{t-1} \mathbf{W}_{hf} + \mathbf{b}_f)\\
// \mathbf{O}_t &= \sigma(\mathbf{X}_t \mathbf{W}_{xo} + \mathbf{H}_{t-1} \mathbf{W}_{ho} + \mathbf{b}_o)\\
// \tilde{\mathbf{C}}_t &= \tanh(\mathbf{X}_t \mathbf{W}_{xc} + \mathbf{H}_{t-1} \mathbf{W}_{hc} + \mathbf{b}_c)\\
// \mathbf{C}_t &= \mathbf{F}_t \odot \mathbf{C}_{t-1} + \mathbf{I}_t \odot \tilde{\mathbf{C}}_t\\
// \mathbf{H}_t &= \mathbf{O}_t \odot \tanh(\mathbf{C}_t)
// \end{aligned}$$

D2L.Rnn.Notebooks.NotebookSetup.Initialize();

Console.WriteLine("== 1. The data and the sizes");
// The lecture's text (the first 10,000 characters of *The Time Machine*, 43 symbols) and 256 hidden units.

var corpus = TimeMachine.LoadLecture(log: Console.WriteLine);
var vocab = corpus.Vocab;
int vocabSize = vocab.Count, numInputs = vocabSize, numHiddens = 256, numOutputs = vocabSize;
var device = Devices.TryGpu();
Console.WriteLine($"{corpus.Indices.Length} characters, vocabulary of {vocabSize} symbols, {numHiddens} hidden units");

Console.WriteLine("== 2. Initialising the parameters");
// Three gates and the candidate cell, each with its three (input weights, recurrent weights, bias), and the output
// layer. Weights start from Normal(0, 0.01), biases at zero.

IReadOnlyList<Parameter> get_params(int vocabSize, int numHiddens, Device device)
{
    Parameter Normal(params long[] shape) => nn.Parameter(randn(shape, device: device) * 0.01);
    (Parameter, Parameter, Parameter) Three() =>
        (Normal(vocabSize, numHiddens), Normal(numHiddens, numHiddens), nn.Parameter(zeros(numHiddens, device: device)));

    var (W_xi, W_hi, b_i) = Three(); // input gate
    var (W_xf, W_hf, b_f) = Three(); // forget gate
    var (W_xo, W_ho, b_o) = Three(); // output gate
    var (W_xc, W_hc, b_c) = Three(); // candidate cell
    // Output layer
    var W_hq = Normal(numHiddens, vocabSize);
    var b_q = nn.Parameter(zeros(vocabSize, device: device));
    return [W_xi, W_hi, b_i, W_xf, W_hf, b_f, W_xo, W_ho, b_o, W_xc, W_hc, b_c, W_hq, b_q];
}

Console.WriteLine("== 3. The state");
// Two tensors this time: the hidden state H and the memory cell C, both zero before the first step.

RnnState init_lstm_state(int batchSize, int numHiddens, Device device) =>
    new(zeros(batchSize, numHiddens, device: device), zeros(batchSize, numHiddens, device: device));

Console.WriteLine("== 4. The LSTM cell");

(IReadOnlyList<Tensor> Outputs, RnnState State) lstm(IReadOnlyList<Tensor> inputs, RnnState state, IReadOnlyList<Tensor> p)
{
    var (W_xi, W_hi, b_i, W_xf, W_hf, b_f, W_xo) = (p[0], p[1], p[2], p[3], p[4], p[5], p[6]);
    var (W_ho, b_o, W_xc, W_hc, b_c, W_hq, b_q) = (p[7], p[8], p[9], p[10], p[11], p[12], p[13]);
    var (H, C) = (state.Hidden, state.Cell!);
    var outputs = new List<Tensor>();
    foreach (var X in inputs)
    {
        var I = sigmoid(X.matmul(W_xi) + H.matmul(W_hi) + b_i);
        var F = sigmoid(X.matmul(W_xf) + H.matmul(W_hf) + b_f);
        var O = sigmoid(X.matmul(W_xo) + H.matmul(W_ho) + b_o);
        var C_tilda = tanh(X.matmul(W_xc) + H.matmul(W_hc) + b_c);
        C = F * C + I * C_tilda;
        H = O * C.tanh();
        var Y = H.matmul(W_hq) + b_q;
        outputs.Add(Y);
    }
    return (outputs, new RnnState(H, C));
}

Console.WriteLine("== 5. Training from scratch");
// The lesson's settings, as for the GRU: 160 epochs of consecutive sampling, minibatches of 32 sequences of 35
// characters, learning rate 100, θ = 0.01, predictions every 40 epochs; d2l's `RNNModelScratch` around the functions
// above, the lesson's `sgd` and the library's `Trainer.Train`.

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
var scratchModel = new RNNModelScratch(vocabSize, numHiddens, device, get_params, init_lstm_state, lstm);
var plot = LivePerplexityPlot.Show();
var scratch = Trainer.Train(scratchModel, new SeqDataLoader(corpus.Indices, batchSize, numSteps, seed: 0), vocab,
    options with { Updater = sgd }, report => { plot.Add("from scratch", report); Print(report); }, NotebookSettings.CellCancellation);
Console.WriteLine($"{scratch.Epochs.Count} epochs, {scratch.SecondsPerEpoch:F3} s per epoch, {scratch.TokensPerSecond:F0} tokens/sec");

Console.WriteLine("== 6. The concise implementation");
// TorchSharp's `nn.LSTM` is the same cell, with the four blocks of weights stacked in one matrix (in PyTorch's order
// i, f, g, o, where g is the candidate cell) and a second bias, zero here. The lecture's block (`RNNModel`) wraps it;
// weights from Normal(0, 0.01), biases zero, the same settings with TorchSharp's SGD. The library trains it on its fast
// path (hand-written gradients, the same numbers as autograd).

manual_seed(0);
var lstmLayer = nn.LSTM(vocabSize, numHiddens);
var model = new RNNModel(lstmLayer, vocabSize);
model.Initialize(WeightInit.Normal001);
var concise = Trainer.Train(model, new SeqDataLoader(corpus.Indices, batchSize, numSteps, seed: 0), vocab,
    options, report => { plot.Add("concise", report); Print(report); }, NotebookSettings.CellCancellation);
Console.WriteLine($"{concise.Epochs.Count} epochs, {concise.SecondsPerEpoch:F3} s per epoch, {concise.TokensPerSecond:F0} tokens/sec");

Console.WriteLine("== 7. Against the published run");
// The published notebook (MXNet, 2019) printed the perplexity every 40 epochs, beside this run's (the library's tests
// require several seeds' runs to stay within 10% of every published point):

var published = new Dictionary<string, double[]>
{
    ["from scratch"] = [7.948798, 3.831706, 1.922319, 1.322308],
    ["concise"] = [8.291799, 4.629873, 2.379147, 1.475115],
};
foreach (var (name, run) in new[] { ("from scratch", scratch), ("concise", concise) })
{
    var ours = new[] { 40, 80, 120, 160 }.Where(e => e <= run.Epochs.Count).Select(e => run.Epochs[e - 1].Perplexity);
    Console.WriteLine($"{name,-13} published {string.Join(" / ", published[name].Select(p => p.ToString("F2")))}" +
                      $"   this run {string.Join(" / ", ours.Select(p => p.ToString("F2")))}");
}
var chartFile = PerplexityChart.SaveStandaloneHtml(plot.Chart, NotebookSettings.OutputPath("lstm-perplexity.html"));
Console.WriteLine($"both curves written to {Repository.Display(chartFile)}");

Console.WriteLine("== 8. Predicting after training");

foreach (var prefix in new[] { "traveller", "time traveller" })
{
    Console.WriteLine($"from scratch: {Predictor.Predict(prefix, 50, scratchModel, vocab)}");
    Console.WriteLine($"concise:      {Predictor.Predict(prefix, 50, model, vocab)}");
}

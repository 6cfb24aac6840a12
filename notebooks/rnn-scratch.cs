#:project ../lib/D2L.Rnn.Notebooks/D2L.Rnn.Notebooks.csproj

// Generated from notebooks/rnn-scratch.dib by tools/NotebookRunner: change the notebook, not this file, then regenerate it with
//   dotnet run --project tools/NotebookRunner -c Release -- notebooks/rnn-scratch.dib --app notebooks/rnn-scratch.cs
// Runs with the .NET 10 SDK alone: dotnet run notebooks/rnn-scratch.cs. The notebook's cells, in order: it prints
// what they print and the value a cell ends with (which the notebook displays), and writes the charts the
// notebook shows to artifacts/ (or $D2L_OUTPUT_DIR) as standalone HTML files. The notebook's text is in the
// comments; its headings are printed.

using D2L.Rnn;
using D2L.Rnn.Notebooks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

Console.WriteLine("Building a recurrent neural network from scratch");
// This notebook follows the UC Berkeley STAT 157 lesson *Building a Recurrent Neural Network from Scratch* (Dive into
// Deep Learning, chapter 8) step by step, in C# with TorchSharp. It comes before the lecture *Recurrent Neural Networks
// in Gluon* (`rnn-gluon.dib`), which does the same with a ready-made layer.
//
// Here everything that makes the network is written in the cells: the one-hot encoding, the parameters, the recurrence,
// the prediction and the gradient clipping. The `D2L.Rnn` library next to this folder gives the data and what the
// lesson "saves for future use": the training function and, in the end, the same prediction and clipping the cells
// write. The first cell builds the library when it is missing or out of date (the first time, this takes a minute).

D2L.Rnn.Notebooks.NotebookSetup.Initialize();

Console.WriteLine("== 1. The data");
// The lecture's text: the first 10,000 characters of H. G. Wells' *The Time Machine*, line breaks turned into spaces,
// lower-cased. Each distinct character is a token; the vocabulary lists them from the most to the least frequent.

var corpus = TimeMachine.LoadLecture(log: Console.WriteLine);
var vocab = corpus.Vocab;
int vocabSize = vocab.Count;
Console.WriteLine($"{corpus.Indices.Length} characters, vocabulary of {vocabSize} symbols");

Console.WriteLine("== 2. One-hot encoding");
// A token index becomes a vector as long as the vocabulary, all zeros but a one at that index. The indices 0, 2 and 30
// (one row each; `·` is a zero):

var oneHot = nn.functional.one_hot(tensor(new long[] { 0, 2, 30 }), vocabSize);
Console.WriteLine($"{Shapes.Expect(oneHot, 3, 43)}");
for (var row = 0; row < 3; row++)
    Console.WriteLine(string.Concat(oneHot[row].data<long>().ToArray().Select(v => v == 1 ? '1' : '·')));

// A minibatch is (batch size, time steps) indices. The network reads it one time step at a time, so we turn it into a
// list over the time steps, each element the one-hot rows of that step for every sequence of the batch:
// (batch size, vocabulary size).

List<Tensor> to_onehot(Tensor X, int size) =>
    X.T.unbind(0).Select(x => nn.functional.one_hot(x, size).to(float32)).ToList();

var X = arange(10).reshape(2, 5);
var inputs = to_onehot(X, vocabSize);
Console.WriteLine($"{inputs.Count} {Shapes.Expect(inputs[0], 2, 43)}");

Console.WriteLine("== 3. The parameters");
// The hidden layer has 512 units. Its parameters are the input weights `W_xh`, the recurrent weights `W_hh` and the bias
// `b_h`; the output layer has `W_hq` and `b_q`. Weights start from a normal distribution with standard deviation 0.01,
// biases at zero. Each is an `nn.Parameter`: a tensor whose gradient autograd keeps (MXNet's `attach_grad`, PyTorch's
// `requires_grad_`). `Devices.TryGpu()` is d2l's `try_gpu()`: a GPU when there is one, else the CPU.

int numInputs = vocabSize, numHiddens = 512, numOutputs = vocabSize;
var device = Devices.TryGpu();

IReadOnlyList<Parameter> get_params(int vocabSize, int numHiddens, Device device)
{
    Parameter Normal(params long[] shape) => nn.Parameter(randn(shape, device: device) * 0.01);

    // Hidden layer parameters
    var W_xh = Normal(vocabSize, numHiddens);
    var W_hh = Normal(numHiddens, numHiddens);
    var b_h = nn.Parameter(zeros(numHiddens, device: device));
    // Output layer parameters
    var W_hq = Normal(numHiddens, vocabSize);
    var b_q = nn.Parameter(zeros(vocabSize, device: device));
    return [W_xh, W_hh, b_h, W_hq, b_q];
}

Console.WriteLine("== 4. The model");
// The state before the first step is all zeros, one row of 512 per sequence. It is a tuple in the lesson so that later
// models can carry more than one tensor (the LSTM carries two); here it is an `RnnState` holding `H`.

RnnState init_rnn_state(int batchSize, int numHiddens, Device device) =>
    new(zeros(batchSize, numHiddens, device: device));

// The recurrence: at each time step the hidden state combines the step's input with the previous hidden state,
// `H = tanh(X W_xh + H W_hh + b_h)`, and the output layer scores every token of the vocabulary, `Y = H W_hq + b_q`.

(IReadOnlyList<Tensor> Outputs, RnnState State) rnn(IReadOnlyList<Tensor> inputs, RnnState state, IReadOnlyList<Tensor> parameters)
{
    // Both inputs and outputs are lists of num_steps matrices of shape (batch_size, vocab_size).
    var (W_xh, W_hh, b_h, W_hq, b_q) = (parameters[0], parameters[1], parameters[2], parameters[3], parameters[4]);
    var H = state.Hidden;
    var outputs = new List<Tensor>();
    foreach (var X in inputs)
    {
        H = tanh(X.matmul(W_xh) + H.matmul(W_hh) + b_h);
        var Y = H.matmul(W_hq) + b_q;
        outputs.Add(Y);
    }
    return (outputs, new RnnState(H));
}

// A check of the shapes with the minibatch above (2 sequences of 5 steps): 5 inputs of (2, 43) and a state of (2, 512)
// give 5 outputs of (2, 43) and a new state of the same shape.

var state = init_rnn_state((int)X.shape[0], numHiddens, device);
inputs = to_onehot(X.to(device), vocabSize);
manual_seed(0); // the same random parameters in every run of the notebook and of its app
var parameters = get_params(vocabSize, numHiddens, device);
var (outputs, stateNew) = rnn(inputs, state, parameters);
Console.WriteLine($"{inputs.Count} {Shapes.Expect(inputs[0], 2, 43)} {Shapes.Expect(state.Hidden, 2, 512)}");
Console.WriteLine($"{outputs.Count} {Shapes.Expect(outputs[0], 2, 43)} {Shapes.Expect(stateNew.Hidden, 2, 512)}");

Console.WriteLine("== 5. Prediction");
// To continue a prefix, the network first reads it one character at a time from a zero state; its guesses there are
// thrown away (the warm-up loads the state with what the prefix says). Then the most likely next character is fed back
// in as the next input, `numChars` times.

string predict_rnn(string prefix, int numChars, IReadOnlyList<Tensor> parameters)
{
    var state = init_rnn_state(1, numHiddens, device);
    var output = new List<int> { vocab[prefix[0].ToString()] };
    for (var t = 0; t < numChars + prefix.Length - 1; t++)
    {
        // The output of the previous time step is the input of this one.
        var X = to_onehot(tensor(new long[] { output[^1] }, device: device).reshape(1, 1), vocabSize);
        // Calculate the output and update the hidden state.
        (var Y, state) = rnn(X, state, parameters);
        // The next input is the prefix's next character, or the most likely character.
        if (t < prefix.Length - 1) output.Add(vocab[prefix[t + 1].ToString()]);
        else output.Add((int)Y[0].argmax(1).item<long>());
    }
    return string.Concat(output.Select(vocab.ToToken));
}

// The weights are random, so the continuation is noise:

Console.WriteLine(predict_rnn("traveller", 10, parameters));

Console.WriteLine("== 6. Gradient clipping");
// Through many time steps the gradients can explode. Clipping rescales all of them together whenever their joint
// length exceeds θ:
//
// $$\mathbf{g} \leftarrow \min\left(1, \frac{\theta}{\|\mathbf{g}\|}\right) \mathbf{g}.$$

double grad_clipping(IReadOnlyList<Tensor> parameters, double theta)
{
    using var noGrad = no_grad();
    var norm = Math.Sqrt(parameters.Sum(p => p.grad!.square().sum().item<float>()));
    if (norm > theta)
        foreach (var p in parameters) p.grad!.mul_(theta / norm);
    return norm;
}

Console.WriteLine("== 7. Training");
// The training function (the lesson saves it for future use; here it is the library's `Trainer.Train`) does, for every
// minibatch: start the state afresh (random sampling: every minibatch; consecutive sampling: at the start of the epoch,
// then detach it, keeping its values but cutting the graph, so that backpropagation stops at the minibatch), compute the
// outputs and the mean cross-entropy, backpropagate, clip, and update the parameters with minibatch stochastic gradient
// descent. The update is the lesson's `sgd` (d2l's `sgd(params, lr, batch_size)`; the loss is a mean already, so the
// batch size passed is 1):

void sgd(IReadOnlyList<Tensor> parameters, double lr, int batchSize)
{
    using var noGrad = no_grad();
    foreach (var p in parameters) p.sub_(p.grad! * lr / batchSize);
}

// The steps of one minibatch, written out and run on two minibatches of a scratch copy of the parameters (the training
// below does not depend on it). `Loss.CrossEntropy` takes the labels as the loader gives them, (batch, steps), and reads
// them in the outputs' time-major order, as the lesson's `Y.T.reshape((-1,))`:

var scratchParameters = get_params(vocabSize, numHiddens, device);
foreach (var (Xb, Yb) in new SeqDataLoader(corpus.Indices, 32, 64, useRandomIter: true, seed: 1).Take(2))
{
    var fresh = init_rnn_state(32, numHiddens, device);                   // random sampling: a fresh state
    var (outs, _) = rnn(to_onehot(Xb.to(device), vocabSize), fresh, scratchParameters);
    var l = Loss.CrossEntropy(cat(outs.ToArray(), 0), Yb.to(device));     // mean over the 32 × 64 characters
    foreach (var p in scratchParameters) p.grad?.zero_();
    l.backward();
    var norm = grad_clipping(scratchParameters, 0.01);
    var libraryNorm = GradClipping.Clip(scratchParameters, 0.01); // the library's, on the clipped gradients
    sgd(scratchParameters, 100, 1);
    Console.WriteLine($"loss {l.item<float>():F3}, gradient norm {norm:F3} clipped to {libraryNorm:F4}");
}

// The second norm is the library's `GradClipping.Clip` measuring the gradients the cell's `grad_clipping` has just
// clipped: they are θ long.
//
// The library takes the model through d2l's `RNNModelScratch`, from the functions above: `get_params` makes its
// parameters, `init_rnn_state` its begin state, and `rnn` its recurrence (the model one-hot encodes the minibatch into
// the list the function reads, and joins the outputs). Made, the model tries `rnn` once on a small minibatch, so that a
// function returning the wrong shapes is reported at once. The library's `Predictor.Predict` is the `predict_rnn` above:

var model = new RNNModelScratch(vocabSize, numHiddens, device, get_params, init_rnn_state, rnn);
Console.WriteLine(predict_rnn("traveller", 10, model.Params));
Console.WriteLine(Predictor.Predict("traveller", 10, model, vocab));

Console.WriteLine("== 8. Experiments with a sequence model");
// The lesson's settings: sequences of 64 characters, so that the model sees a meaningful amount of context; minibatches
// of 32; learning rate 100 and θ 0.01; 500 epochs; every 50 epochs, 50 characters predicted from "traveller" and
// "time traveller".

int numEpochs = NotebookSettings.Epochs(500), numSteps = 64, batchSize = 32;
double lr = 1e2, clippingTheta = 1e-2;
var options = new TrainOptions
{
    NumEpochs = numEpochs, LearningRate = lr, ClipTheta = clippingTheta, Updater = sgd,
    PredictEvery = 50, PredictPrefixes = ["traveller", "time traveller"], PredictLength = 50,
};

void Print(EpochReport report)
{
    if (report.Predictions.Count == 0) return;
    Console.WriteLine(report);
    foreach (var text in report.Predictions.Values) Console.WriteLine($" - {text}");
}

Console.WriteLine("== Random sampling");
// Each minibatch holds 32 sequences taken at random places of the text, so the state starts afresh for every minibatch.
// The epoch line ends with the path that trained: the library's hand-written "fast path" is for its own `RNNModel`;
// this model trains through autograd (the reference path), as in the lesson.

manual_seed(0);
var randomModel = new RNNModelScratch(vocabSize, numHiddens, device, get_params, init_rnn_state, rnn);
var randomPlot = LivePerplexityPlot.Show();
var random = Trainer.Train(randomModel, new SeqDataLoader(corpus.Indices, batchSize, numSteps, useRandomIter: true, seed: 0),
    vocab, options, report => { randomPlot.Add("random sampling", report); Print(report); }, NotebookSettings.CellCancellation);
Console.WriteLine($"{random.Epochs.Count} epochs, {random.SecondsPerEpoch:F3} s per epoch, {random.TokensPerSecond:F0} tokens/sec");

Console.WriteLine("== Consecutive sampling");
// Consecutive minibatches continue the same 32 streams of text, so each starts from the state the previous one ended
// with (detached): the model carries context across minibatches.

manual_seed(0);
var consecutiveModel = new RNNModelScratch(vocabSize, numHiddens, device, get_params, init_rnn_state, rnn);
var consecutivePlot = LivePerplexityPlot.Show();
var consecutive = Trainer.Train(consecutiveModel, new SeqDataLoader(corpus.Indices, batchSize, numSteps, seed: 0),
    vocab, options, report => { consecutivePlot.Add("consecutive sampling", report); Print(report); }, NotebookSettings.CellCancellation);
Console.WriteLine($"{consecutive.Epochs.Count} epochs, {consecutive.SecondsPerEpoch:F3} s per epoch, {consecutive.TokensPerSecond:F0} tokens/sec");

Console.WriteLine("== 9. Against the published run");
// The lesson's published notebook (MXNet, 2019) printed the perplexity every 50 epochs. Its last three reports, beside
// this run's (the library's tests require every seed's to stay within 10% of them):

var published = new Dictionary<string, double[]>
{
    ["random sampling"] = [1.423053, 1.373718, 1.347638],
    ["consecutive sampling"] = [1.169369, 1.139071, 1.166729],
};
int[] lastThree = [400, 450, 500];
foreach (var (name, run) in new[] { ("random sampling", random), ("consecutive sampling", consecutive) })
{
    var ours = lastThree.Where(e => e <= run.Epochs.Count).Select(e => run.Epochs[e - 1].Perplexity).ToArray();
    Console.WriteLine($"{name,-21} published {string.Join(" / ", published[name].Select(p => p.ToString("F2")))}" +
                      $"   this run {string.Join(" / ", ours.Select(p => p.ToString("F2")))}");
}
var chartFile = PerplexityChart.SaveStandaloneHtml(
    PerplexityChart.Create(new Dictionary<string, IEnumerable<EpochReport>>
    {
        ["random sampling"] = random.Epochs, ["consecutive sampling"] = consecutive.Epochs,
    }),
    NotebookSettings.OutputPath("rnn-scratch-perplexity.html"));
Console.WriteLine($"both curves written to {Repository.Display(chartFile)}");

// Consecutive sampling ends lower: each minibatch starts from a state that has read the text before it, while random
// sampling starts every minibatch from zero and must guess its first characters blind. With consecutive sampling the
// model also sees the same 32 streams in the same order, epoch after epoch, and it learns them almost by heart.
//
Console.WriteLine("== 10. Predicting after training");

foreach (var prefix in new[] { "traveller", "time traveller" })
{
    Console.WriteLine($"random:      {Predictor.Predict(prefix, 50, randomModel, vocab)}");
    Console.WriteLine($"consecutive: {Predictor.Predict(prefix, 50, consecutiveModel, vocab)}");
}

#:project ../lib/D2L.Rnn.Notebooks/D2L.Rnn.Notebooks.csproj

// Generated from notebooks/rnn-gluon.dib by tools/NotebookRunner: change the notebook, not this file, then regenerate it with
//   dotnet run --project tools/NotebookRunner -c Release -- notebooks/rnn-gluon.dib --app notebooks/rnn-gluon.cs
// Runs with the .NET 10 SDK alone: dotnet run notebooks/rnn-gluon.cs. The notebook's cells, in order: it prints
// what they print and the value a cell ends with (which the notebook displays), and writes the charts the
// notebook shows to artifacts/ (or $D2L_OUTPUT_DIR) as standalone HTML files. The notebook's text is in the
// comments; its headings are printed.

using D2L.Rnn;
using D2L.Rnn.Notebooks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

Console.WriteLine("Recurrent neural networks, the concise way");
// This notebook follows the UC Berkeley STAT 157 lecture *Recurrent Neural Networks in Gluon* (Dive into Deep
// Learning, chapter 8) step by step, in C# with TorchSharp. Instead of writing the recurrence by hand, we let a
// ready-made recurrent layer do the work and wrap it in a small block that turns characters into predictions.
//
// Everything heavy lives in the `D2L.Rnn` library next to this folder; the cells below only call it, so each one
// fits in a glance. The first cell builds the library when it is missing or out of date (the first time, this takes
// a minute).

D2L.Rnn.Notebooks.NotebookSetup.Initialize();

Console.WriteLine("== 1. The data");
// As in the lecture we read the first 10,000 characters of H. G. Wells' *The Time Machine*, turn line breaks into
// spaces and lower-case everything. Each distinct character becomes one token; the vocabulary lists them from the
// most to the least frequent. The file is downloaded once (and checked against its SHA-1) into the repository's
// `data/` folder, or read from the folder named by `D2L_DATA_DIR`.

var corpus = TimeMachine.LoadLecture(log: Console.WriteLine);
var vocab = corpus.Vocab;
Console.WriteLine($"{corpus.Indices.Length} characters, vocabulary of {vocab.Count} symbols");
Console.WriteLine($"first characters: \"{corpus.Text[..48]}\"");
Console.WriteLine($"most frequent: {string.Join(" ", vocab.IdxToToken.Take(10).Select(t => $"'{t}'"))}");

Console.WriteLine("== 2. A recurrent layer with 256 hidden units");
// `nn.RNN` is the whole recurrence of the previous lecture in one module: at each time step it combines the input
// with the previous hidden state, `h_t = f(x_t W_xh + h_{t-1} W_hh + b)`. The input of each step is a one-hot
// vector over the vocabulary, so the layer's input size is the vocabulary size.
//
// The lecture's `rnn.RNN(num_hiddens)` is MXNet Gluon's layer, whose activation `f` defaults to ReLU; PyTorch's
// and TorchSharp's `nn.RNN` default to tanh (and so does the PyTorch edition of the book, d2l 0.17). We ask for ReLU
// to train the lecture's model.

manual_seed(0);
int numHiddens = 256;
var rnnLayer = nn.RNN(vocab.Count, numHiddens, nonLinearity: nn.NonLinearities.ReLU);
Console.WriteLine(rnnLayer);

Console.WriteLine("== 3. The state");
// The layer carries a hidden state from one time step to the next. Before the first step it is all zeros, shaped
// (number of layers, batch size, hidden units). With a batch of two sequences:

int batchSize = 2;
var state = zeros(1, batchSize, numHiddens);
Console.WriteLine($"state {Shapes.Expect(state, 1, 2, 256)}");

Console.WriteLine("== 4. One pass over 35 time steps");
// The layer reads a whole sequence at once, time step first: (steps, batch, features). It returns the hidden
// state of every step (what a dense layer will turn into predictions) and the state after the last step (what the
// next minibatch starts from). It does not compute outputs over the vocabulary itself.

int numSteps = 35;
var X = rand(numSteps, batchSize, vocab.Count);
var (Y, stateNew) = rnnLayer.call(X, state);
Console.WriteLine($"input {Shapes.Expect(X, 35, 2, 43)}");
Console.WriteLine($"output {Shapes.Expect(Y, 35, 2, 256)}");
Console.WriteLine($"new state {Shapes.Expect(stateNew, 1, 2, 256)}");

// *The layer, opened.* Nothing else happens inside `nn.RNN` than the recurrence of the previous lecture. Its first
// time step, computed by hand from the layer's own weights (stored as (hidden units, inputs), hence the transposes),
// `relu(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh)`, is the layer's output for that step (here h is the zero state, so its term
// adds nothing; from the second step on, h is the previous step's output):

using (no_grad())
{
    var byHand = (X[0].matmul(rnnLayer.get_weight_ih(0)!.T) + rnnLayer.get_bias_ih(0)!
                  + state[0].matmul(rnnLayer.get_weight_hh(0)!.T) + rnnLayer.get_bias_hh(0)!).relu();
    var difference = (byHand - Y[0]).abs().max().item<float>();
    Console.WriteLine($"first step by hand {Shapes.Of(byHand)}, largest difference from the layer's output: {difference:G2}");
}

Console.WriteLine("== 5. The RNN block");
// The layer gives hidden states, not predictions. The lecture's block wraps it: the input's token indices become
// one-hot vectors, the layer reads them, and a dense layer scores every symbol of the vocabulary at every time step.
// Here it is, as the lecture writes it, as a TorchSharp module (the lecture's dense layer is called `linear` here, as
// in the PyTorch edition of d2l, so that this block and the library's share one state dict):

// `RNNModel` is the library's copy of this block: `model = RNNModel(rnn_layer, vocab_size)`. As in the lecture, every
// weight is then re-initialised from a normal distribution with standard deviation 0.01 and every bias set to zero.
// Given the library's weights (and the same layer), the block above scores a minibatch exactly as `RNNModel` does:

var model = new RNNModel(rnnLayer, vocab.Count);
model.Initialize(WeightInit.Normal001);
foreach (var (name, p) in model.named_parameters())
    Console.WriteLine($"{name,-20} {Shapes.Of(p)}");
using (var begin = model.BeginState(batchSize))
    Console.WriteLine($"begin state {Shapes.Expect(begin.Hidden, 1, 2, 256)}");

var block = new RNNBlock(rnnLayer, vocab.Count);
block.load_state_dict(model.state_dict());
using (no_grad())
{
    var tokens = tensor(corpus.Indices[..(batchSize * numSteps)].Select(i => (long)i).ToArray(), [batchSize, numSteps]);
    var (byBlock, _) = block.call(tokens, block.BeginState(batchSize));
    var (byLibrary, _) = model.call(tokens, model.BeginState(batchSize));
    Console.WriteLine($"scores {Shapes.Expect(byBlock, 70, 43)}, largest difference from RNNModel's: {(byBlock - byLibrary).abs().max().item<float>():G2}");
}

Console.WriteLine("== 6. Predicting before training");
// To continue a prefix such as `traveller`, the model first reads the prefix one character at a time. Its
// guesses during this warm-up are thrown away: the point is to load the hidden state with what the prefix says,
// so the first real prediction depends on every character of it. Then each predicted character is fed back in
// as the next input:

string predict_rnn_gluon(string prefix, int numChars, RNNBlock model)
{
    // The model's begin state for one sequence.
    var state = model.BeginState(1);
    var output = new List<int> { vocab[prefix[0].ToString()] };
    for (var t = 0; t < numChars + prefix.Length - 1; t++)
    {
        var X = tensor(new long[] { output[^1] }).reshape(1, 1);
        (var Y, state) = model.call(X, state);
        // Inside the prefix, the next input is its next character; after it, the most likely one.
        if (t < prefix.Length - 1) output.Add(vocab[prefix[t + 1].ToString()]);
        else output.Add((int)Y.argmax(1).item<long>());
    }
    return string.Concat(output.Select(vocab.ToToken));
}

// The weights are still random, so the continuation is noise: usually one character repeated, or a jumble. The
// library's `Predictor.Predict` (d2l's `predict_ch8`) writes the same:

Console.WriteLine(predict_rnn_gluon("traveller", 10, block));
Console.WriteLine(Predictor.Predict("traveller", 10, model, vocab));

Console.WriteLine("== 7. Training");
// The lecture's settings: 200 epochs, minibatches of 32 sequences of 35 characters, stochastic gradient descent
// with learning rate 100, gradients clipped to norm 0.01, consecutive (sequential) sampling.
//
// *Why detach the state?* Consecutive minibatches continue the same text, so each minibatch starts from the
// state the previous one ended with. Its values are useful; its history is not. Detaching keeps the values and
// cuts the computation graph, so backpropagation stops at the start of the minibatch instead of reaching back to
// the beginning of the epoch (which would be slow and would make gradients explode or vanish).
//
// *Why clip?* Through 35 steps of repeated multiplication by the same matrix, gradients can become huge. Clipping
// rescales all gradients together whenever their joint length exceeds θ, so a single step can never throw the
// weights far away. That is what makes a learning rate as large as 100 usable.

int numEpochs = NotebookSettings.Epochs(200);
batchSize = 32; // and numSteps = 35, as above
double lr = 1e2, clippingTheta = 1e-2;

// This is what `Trainer.Train` does for every minibatch. The next cell runs it by hand for two minibatches, on a
// scratch copy of the block (optional: the training further down does not depend on it).

var scratch = new RNNModel(nn.RNN(vocab.Count, numHiddens, nonLinearity: nn.NonLinearities.ReLU), vocab.Count);
scratch.Initialize(WeightInit.Normal001);
var sgd = optim.SGD(scratch.parameters(), lr);
var h = scratch.BeginState(batchSize);
foreach (var (x, y) in new SeqDataLoader(corpus.Indices, batchSize, numSteps, seed: 1).Take(2))
{
    var (scores, hNext) = scratch.call(x, h);                      // forward: (steps × batch, vocab) scores
    var loss = nn.functional.cross_entropy(scores, y.T.reshape(-1)); // mean over characters, labels time-major
    sgd.zero_grad();
    loss.backward();                                                // gradients of every parameter
    var norm = GradClipping.Clip(scratch.parameters(), clippingTheta); // rescale all gradients to norm ≤ θ
    sgd.step();                                                     // w ← w − lr · gradient
    h = hNext.Detach();                                             // keep the values, cut the graph
    Console.WriteLine($"loss {loss.item<float>():F3}, gradient norm {norm:F4} before clipping to {clippingTheta}");
}

// Now the real run with `Trainer.Train`. Perplexity is `exp` of the average cross-entropy per character: 43 would
// mean a uniform guess over the vocabulary, 1 a perfect prediction. The chart below redraws while training runs. The
// epoch lines end with "fast path": for the library's own `RNNModel`, `Trainer.Train` computes the gradients with a
// hand-written backward pass split over the cores, the same numbers as autograd's to float32 rounding (the library's
// tests compare them), only faster.

var options = new TrainOptions
{
    NumEpochs = numEpochs, LearningRate = lr, ClipTheta = clippingTheta,
    PredictEvery = 50, PredictPrefixes = ["traveller", "time traveller"], PredictLength = 50,
    RecordGradientNorms = true, // for section 9
};
var data = new SeqDataLoader(corpus.Indices, batchSize, numSteps, seed: 0);
var plot = LivePerplexityPlot.Show();
var result = Trainer.Train(model, data, vocab, options, report =>
{
    plot.Add(report);
    if (report.Predictions.Count == 0) return;
    Console.WriteLine(report);
    foreach (var text in report.Predictions.Values) Console.WriteLine($" - {text}");
}, NotebookSettings.CellCancellation);
Console.WriteLine($"{result.Epochs.Count} epochs, {result.SecondsPerEpoch:F3} s per epoch, {result.TokensPerSecond:F0} tokens/sec");

// The chart also goes to a standalone HTML file (plotly.js embedded, so it opens offline in any browser):

var chartFile = PerplexityChart.SaveStandaloneHtml(plot.Chart, NotebookSettings.OutputPath("rnn-gluon-perplexity.html"));
Console.WriteLine($"chart written to {Repository.Display(chartFile)}");
foreach (var e in result.Epochs.Where(e => e.Epoch % 50 == 0 || e.Epoch == result.Epochs.Count))
    Console.WriteLine($"epoch {e.Epoch,3}: perplexity {e.Perplexity:F2}");

Console.WriteLine("== 8. Predicting after training");
// The same two prefixes as in the lecture. The model has only seen 10,000 characters, so it reproduces phrases
// of the book more than it invents new ones, but the words and spaces are now in the right places.

foreach (var prefix in new[] { "traveller", "time traveller" })
    Console.WriteLine(Predictor.Predict(prefix, 50, model, vocab));

Console.WriteLine("== 9. Why clip?");
// Training kept the length of the whole gradient of every minibatch before it was clipped
// (`RecordGradientNorms = true` above). On a log axis, with θ as a dashed line:

Console.WriteLine(GradientNormChart.Summary(result.Epochs, clippingTheta));
GradientNormChart.Show(result.Epochs, clippingTheta);

// Every point above the line was scaled down to θ before the update. Here that is every minibatch, by a factor of ten
// and more (the line above the chart gives the range), and the raw norms grow as training goes on. So each update moved
// the weights by exactly lr · θ = 100 · 0.01 = 1 (the length of the step over all parameters together), however large
// the raw gradient was: with a learning rate of 100 and no clipping, every step would have been that many times longer.
//
Console.WriteLine("== 10. What did the hidden state learn?");
// The model reads the story's opening words from a zero state; after each character we look at the 256 hidden units.
// Most of them barely move over a short passage, so we show the five whose activation varies most over it (the
// largest standard deviation over the passage's characters), one row per unit: each character is coloured by the
// unit's value right after reading it, from the unit's lowest value on the passage (white) to its highest (blue); the
// label gives that range. Look for units that light up at spaces, at the start of words, or after particular letters.

var passage = "the time traveller (for so it will be convenient to speak of him)";
var states = HiddenStates.Of(model, vocab, passage);
var units = HiddenStateChart.MostVariableUnits(states, 5);
Console.WriteLine($"hidden states {Shapes.Expect(states, passage.Length, numHiddens)}");
Console.WriteLine($"the 5 most variable units: {string.Join(", ", units)}");
HiddenStateChart.Show(passage, states, units);

// The lecture saves this block for future use: the library's RNNModel is it.
class RNNBlock : nn.Module<Tensor, Tensor, (Tensor Output, Tensor State)>
{
    private readonly RNN rnn;
    private readonly Linear linear;
    private readonly int vocabSize;

    public RNNBlock(RNN rnnLayer, int vocabSize) : base(nameof(RNNBlock))
    {
        rnn = rnnLayer;
        this.vocabSize = vocabSize;
        linear = nn.Linear(rnnLayer.get_weight_hh(0)!.shape[1], vocabSize); // reads the hidden units
        RegisterComponents();
    }

    public override (Tensor Output, Tensor State) forward(Tensor inputs, Tensor state)
    {
        // One-hot vectors of the transposed input: (num_steps, batch_size, vocab_size).
        var X = nn.functional.one_hot(inputs.T, vocabSize).to(float32);
        var (Y, newState) = rnn.call(X, state);
        // The dense layer sees (num_steps * batch_size, num_hiddens); its output is (num_steps * batch_size, vocab_size).
        var output = linear.call(Y.reshape(-1, Y.shape[^1]));
        return (output, newState);
    }

    public Tensor BeginState(int batchSize) => zeros(1, batchSize, linear.in_features);
}

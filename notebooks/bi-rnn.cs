#:project ../lib/D2L.Rnn.Notebooks/D2L.Rnn.Notebooks.csproj

// Generated from notebooks/bi-rnn.dib by tools/NotebookRunner: change the notebook, not this file, then regenerate it with
//   dotnet run --project tools/NotebookRunner -c Release -- notebooks/bi-rnn.dib --app notebooks/bi-rnn.cs
// Runs with the .NET 10 SDK alone: dotnet run notebooks/bi-rnn.cs. The notebook's cells, in order: it prints
// what they print and the value a cell ends with (which the notebook displays), and writes the charts the
// notebook shows to artifacts/ (or $D2L_OUTPUT_DIR) as standalone HTML files. The notebook's text is in the
// comments; its headings are printed.

using D2L.Rnn;
using D2L.Rnn.Notebooks;
using TorchSharp;
using static TorchSharp.torch;

Console.WriteLine("Bidirectional recurrent networks, and how not to use them");
// This notebook follows the UC Berkeley STAT 157 lesson *Bidirectional Recurrent Neural Networks* (Dive into Deep
// Learning, chapter 8) in C# with TorchSharp. To fill in a blank, the words after it matter as much as those before:
//
// ```
// I am _____
// I am _____ very hungry,
// I am _____ very hungry, I could eat half a pig.
// ```
//
// A bidirectional layer runs two recurrences over the sequence, one forward in time and one backward, and the output
// at each step reads both:
//
// $$\begin{aligned}
// \overrightarrow{\mathbf{H}}_t &= \phi(\mathbf{X}_t \mathbf{W}_{xh}^{(f)} + \overrightarrow{\mathbf{H}}_{t-1} \mathbf{W}_{hh}^{(f)} + \mathbf{b}_h^{(f)})\\
// \overleftarrow{\mathbf{H}}_t &= \phi(\mathbf{X}_t \mathbf{W}_{xh}^{(b)} + \overleftarrow{\mathbf{H}}_{t+1} \mathbf{W}_{hh}^{(b)} + \mathbf{b}_h^{(b)})\\
// \mathbf{O}_t &= [\overrightarrow{\mathbf{H}}_t, \overleftarrow{\mathbf{H}}_t] \mathbf{W}_{hq} + \mathbf{b}_q
// \end{aligned}$$
//
// The lesson then does it wrong on purpose: it trains such a network as a language model, to predict the next
// character, and watches what happens.

D2L.Rnn.Notebooks.NotebookSetup.Initialize();

Console.WriteLine("== 1. Doing it wrong");
// The lecture's text (the first 10,000 characters of *The Time Machine*, 43 symbols) and the lesson's model: a
// two-layer LSTM of 256 hidden units in each direction (`bidirectional: true`), wrapped in the lecture's block, whose
// dense layer now reads both directions (512 features), and whose state has one row per layer and direction.

var corpus = TimeMachine.LoadLecture(log: Console.WriteLine);
var vocab = corpus.Vocab;
int vocabSize = vocab.Count, numHiddens = 256, numLayers = 2;

manual_seed(0);
var lstmLayer = nn.LSTM(vocabSize, numHiddens, numLayers: numLayers, bidirectional: true);
var model = new RNNModel(lstmLayer, vocabSize);
model.Initialize(WeightInit.Normal001);
Console.WriteLine(model.Config);
Console.WriteLine($"dense layer {Shapes.Expect(model.Linear.weight!, 43, 512)}");
using (var begin = model.BeginState(32))
    Console.WriteLine($"begin state H {Shapes.Expect(begin.Hidden, 4, 32, 256)}, C {Shapes.Expect(begin.Cell!, 4, 32, 256)}");

// The lesson's settings: 1,000 epochs of consecutive sampling, minibatches of 32 sequences of 35 characters, learning
// rate 100, θ = 0.01, predictions every 200 epochs. The library's hand-written fast path runs one direction only, so
// this model trains through autograd (the epoch line says "reference path").

int numEpochs = NotebookSettings.Epochs(1000), numSteps = 35, batchSize = 32;
var options = new TrainOptions
{
    NumEpochs = numEpochs, LearningRate = 1e2, ClipTheta = 1e-2,
    PredictEvery = 200, PredictPrefixes = ["traveller", "time traveller"], PredictLength = 50,
};
var plot = LivePerplexityPlot.Show();
var result = Trainer.Train(model, new SeqDataLoader(corpus.Indices, batchSize, numSteps, seed: 0), vocab, options, report =>
{
    plot.Add("bidirectional LSTM", report);
    if (report.Predictions.Count == 0) return;
    Console.WriteLine(report);
    foreach (var text in report.Predictions.Values) Console.WriteLine($" - {text}");
}, NotebookSettings.CellCancellation);
Console.WriteLine($"{result.Epochs.Count} epochs, {result.SecondsPerEpoch:F3} s per epoch, {result.TokensPerSecond:F0} tokens/sec");
Console.WriteLine(result.FastPathDeclined);

Console.WriteLine("== 2. Why the perplexity falls to 1");
// The published run (MXNet, 2019) printed these perplexities every 200 epochs, beside this run's:

int[] reported = [200, 400, 600, 800, 1000];
double[] published = [1.120558, 1.054240, 1.007709, 1.009584, 1.005260];
Console.WriteLine($"published {string.Join(" / ", published.Select(p => p.ToString("F3")))}");
Console.WriteLine($"this run  {string.Join(" / ", reported.Where(e => e <= result.Epochs.Count).Select(e => result.Epochs[e - 1].Perplexity.ToString("F3")))}");
var chartFile = PerplexityChart.SaveStandaloneHtml(plot.Chart, NotebookSettings.OutputPath("bi-rnn-perplexity.html"));
Console.WriteLine($"chart written to {Repository.Display(chartFile)}");

// A perplexity of 1 means the model is never in doubt about the next character. It is not clever: it cheats. The
// backward direction reads the sequence from its end, so at step t its state has already read the characters t + 1,
// t + 2, …, which are exactly the labels the model is asked to predict. Training rewards it for copying the next
// character out of the backward state.
//
// The leak, measured: change one character of a sequence and look at which steps' scores move. For a model that reads
// forward only, a change at step 20 can only move the scores of steps 20 and after; here it moves the scores of the
// steps before it too.

using (no_grad())
{
    var original = tensor(corpus.Indices[..35].Select(i => (long)i).ToArray(), [1, 35]);
    var changed = original.clone();
    changed[0, 20] = tensor((original[0, 20].item<long>() + 1) % vocabSize);
    var (before, _) = model.call(original, model.BeginState(1));
    var (after, _) = model.call(changed, model.BeginState(1));
    var moved = (after - before).abs().amax(1); // largest change of each step's scores
    var earlier = moved[..20].max().item<float>();
    Console.WriteLine($"changing step 20 moves the scores of steps 0 to 19 by up to {earlier:F3}");
}

Console.WriteLine("== 3. It cannot write");
// Writing text means predicting one character at a time, from the left, with nothing after it: exactly what the model
// never had to do. Fed a prefix, its backward direction sees only the one character it is given, and its predictions
// are nonsense (the published run wrote "travellererererer…" and "time travellerererer brecededed…"):

foreach (var prefix in new[] { "traveller", "time traveller" })
    Console.WriteLine(Predictor.Predict(prefix, 50, model, vocab));

// Bidirectional layers are for tasks where the whole sequence is given and each position is labelled from all of it
// (filling in a blank, tagging words, encoding a sentence to translate), not for language models that write.

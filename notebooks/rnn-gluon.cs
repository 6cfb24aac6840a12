#:project ../lib/D2L.Rnn.Notebooks/D2L.Rnn.Notebooks.csproj

// The lecture "Recurrent Neural Networks in Gluon" as a .NET 10 file-based app: `dotnet run notebooks/rnn-gluon.cs`.
// The same steps as notebooks/rnn-gluon.dib, printed to the terminal; the charts go to artifacts/ (or $D2L_OUTPUT_DIR)
// as standalone HTML files.
using D2L.Rnn;
using D2L.Rnn.Notebooks;
using TorchSharp;
using static TorchSharp.torch;

var here = AppContext.GetData("EntryPointFileDirectoryPath") as string ?? Environment.CurrentDirectory;
Repository.UseDataDirectory(here);
TorchSetup.Initialize();
// Writes a chart as a standalone HTML file (plotly.js embedded) and returns what to print for it.
string Written(Plotly.NET.GenericChart chart, string name) =>
    Repository.Display(PerplexityChart.SaveStandaloneHtml(chart, NotebookSettings.OutputPath(name, here)), here);

Console.WriteLine("== 1. The data");
var corpus = TimeMachine.LoadLecture(log: Console.WriteLine);
var vocab = corpus.Vocab;
Console.WriteLine($"{corpus.Indices.Length} characters, vocabulary of {vocab.Count} symbols");

Console.WriteLine("== 2-4. A recurrent layer with 256 hidden units (ReLU, as Gluon's default), its state, one pass over 35 steps");
manual_seed(0);
int numHiddens = 256, batchSize = 2, numSteps = 35;
var rnnLayer = nn.RNN(vocab.Count, numHiddens, nonLinearity: nn.NonLinearities.ReLU);
var state = zeros(1, batchSize, numHiddens);
var X = rand(numSteps, batchSize, vocab.Count);
var (Y, stateNew) = rnnLayer.call(X, state);
Console.WriteLine($"state {Shapes.Expect(state, 1, 2, 256)}");
Console.WriteLine($"input {Shapes.Expect(X, 35, 2, 43)}");
Console.WriteLine($"output {Shapes.Expect(Y, 35, 2, 256)}");
Console.WriteLine($"new state {Shapes.Expect(stateNew, 1, 2, 256)}");
using (no_grad())
{
    // The layer, opened: its first step by hand from its own weights.
    var byHand = (X[0].matmul(rnnLayer.get_weight_ih(0)!.T) + rnnLayer.get_bias_ih(0)!
                  + state[0].matmul(rnnLayer.get_weight_hh(0)!.T) + rnnLayer.get_bias_hh(0)!).relu();
    var difference = (byHand - Y[0]).abs().max().item<float>();
    Console.WriteLine($"first step by hand {Shapes.Of(byHand)}, largest difference from the layer's output: {difference:G2}");
}

Console.WriteLine("== 5. The RNN block");
var model = new RNNModel(rnnLayer, vocab.Count);
model.Initialize(WeightInit.Normal001);
using (var begin = model.BeginState(batchSize))
    Console.WriteLine($"begin state {Shapes.Expect(begin.Hidden, 1, 2, 256)}");

Console.WriteLine("== 6. Prediction before training");
Console.WriteLine(Predictor.Predict("traveller", 10, model, vocab));

Console.WriteLine("== 7. Training");
int numEpochs = NotebookSettings.Epochs(200);
batchSize = 32;
double lr = 1e2, clippingTheta = 1e-2;
var options = new TrainOptions
{
    NumEpochs = numEpochs, LearningRate = lr, ClipTheta = clippingTheta,
    PredictEvery = 50, PredictPrefixes = ["traveller", "time traveller"], PredictLength = 50,
    RecordGradientNorms = true, // for section 9
};
var data = new SeqDataLoader(corpus.Indices, batchSize, numSteps, seed: 0);
var progress = new TerminalProgress();
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); }; // Ctrl+C: stop after this minibatch
var result = Trainer.Train(model, data, vocab, options, progress.Report, stop.Token);
Console.WriteLine($"{result.Epochs.Count} epochs{(result.Cancelled ? " (stopped early)" : "")}, " +
                  $"{result.SecondsPerEpoch:F3} s per epoch, {result.TokensPerSecond:F0} tokens/sec");
Console.WriteLine($"chart written to {Written(PerplexityChart.Create(result.Epochs), "rnn-gluon-perplexity.html")}");

Console.WriteLine("== 8. Prediction after training");
foreach (var prefix in new[] { "traveller", "time traveller" })
    Console.WriteLine(Predictor.Predict(prefix, 50, model, vocab));

Console.WriteLine("== 9. Why clip?");
Console.WriteLine(GradientNormChart.Summary(result.Epochs, clippingTheta));
Console.WriteLine($"chart written to {Written(GradientNormChart.Create(result.Epochs, clippingTheta), "rnn-gluon-gradient-norms.html")}");

Console.WriteLine("== 10. What did the hidden state learn?");
var passage = "the time traveller (for so it will be convenient to speak of him)";
var states = HiddenStates.Of(model, vocab, passage);
var units = HiddenStateChart.MostVariableUnits(states, 5);
Console.WriteLine($"hidden states {Shapes.Expect(states, passage.Length, numHiddens)}");
Console.WriteLine($"the 5 most variable units: {string.Join(", ", units)}");
Console.WriteLine($"chart written to {Written(HiddenStateChart.Create(passage, states, units), "rnn-gluon-hidden-states.html")}");

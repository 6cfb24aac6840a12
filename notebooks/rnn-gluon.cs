#:project ../lib/D2L.Rnn.Notebooks/D2L.Rnn.Notebooks.csproj

// The lecture "Recurrent Neural Networks in Gluon" as a .NET 10 file-based app: `dotnet run notebooks/rnn-gluon.cs`.
// The same steps as notebooks/rnn-gluon.dib, printed to the terminal; the chart goes to artifacts/.
using D2L.Rnn.Data;
using D2L.Rnn.Model;
using D2L.Rnn.Notebooks;
using D2L.Rnn.Prediction;
using D2L.Rnn.Training;
using TorchSharp;
using static TorchSharp.torch;

var here = AppContext.GetData("EntryPointFileDirectoryPath") as string ?? Environment.CurrentDirectory;

Console.WriteLine("== 1. The data");
var corpus = TimeMachine.LoadLecture(log: Console.WriteLine);
var vocab = corpus.Vocab;
Console.WriteLine($"{corpus.Indices.Length} characters, vocabulary of {vocab.Count} symbols");

Console.WriteLine("== 2-4. A recurrent layer with 256 hidden units, its state, one pass over 35 steps");
manual_seed(0);
int numHiddens = 256, batchSize = 2, numSteps = 35;
var rnnLayer = nn.RNN(vocab.Count, numHiddens);
var state = zeros(1, batchSize, numHiddens);
var X = rand(numSteps, batchSize, vocab.Count);
var (Y, stateNew) = rnnLayer.call(X, state);
Console.WriteLine($"state {Shapes.Expect(state, 1, 2, 256)}");
Console.WriteLine($"input {Shapes.Expect(X, 35, 2, 43)}");
Console.WriteLine($"output {Shapes.Expect(Y, 35, 2, 256)}");
Console.WriteLine($"new state {Shapes.Expect(stateNew, 1, 2, 256)}");

Console.WriteLine("== 5. The RNN block");
manual_seed(0);
var model = new RNNModel(new ModelConfig(CellKind.Rnn, vocab.Count, numHiddens), WeightInit.Normal001);
using (var begin = model.BeginState(batchSize))
    Console.WriteLine($"begin state {Shapes.Expect(begin.Hidden, 1, 2, 256)}");

Console.WriteLine("== 6. Prediction before training");
Console.WriteLine(Predictor.Predict("traveller", 10, model, vocab));

Console.WriteLine("== 7. Training");
// One intra-op thread, as in the notebook: the fastest setting for this small model on a small machine.
set_num_threads(1);
var options = TrainOptions.Lecture2019 with { NumEpochs = NotebookSettings.Epochs(200) };
var data = new SeqDataLoader(corpus.Indices, batchSize: 32, numSteps: 35, seed: 0);
var progress = new TerminalProgress();
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); }; // Ctrl+C: stop after this minibatch
var result = Trainer.Train(model, data, vocab, options, progress.Report, stop.Token);
Console.WriteLine($"{result.Epochs.Count} epochs{(result.Cancelled ? " (stopped early)" : "")}, " +
                  $"{result.SecondsPerEpoch:F3} s per epoch, {result.TokensPerSecond:F0} tokens/sec");
var chartFile = PerplexityChart.SaveStandaloneHtml(PerplexityChart.Create(result.Epochs),
    Path.Combine(here, "..", "artifacts", "rnn-gluon-perplexity.html"));
Console.WriteLine($"chart written to {chartFile}");

Console.WriteLine("== 8. Prediction after training");
foreach (var prefix in new[] { "traveller", "time traveller" })
    Console.WriteLine(Predictor.Predict(prefix, 50, model, vocab));

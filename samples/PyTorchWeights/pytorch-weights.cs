#:project /path/to/repo/lib/D2L.Rnn/D2L.Rnn.csproj
// Weights in PyTorch's format, as a .NET 10 file-based app: `dotnet run pytorch-weights.cs [-- gru.pt]`
// (replace /path/to/repo above with where you cloned this repository).
// With a file that d2l's PyTorch code saved (torch.save(net.state_dict(), "gru.pt") for
// d2l.RNNModel(nn.GRU(len(vocab), 256), len(vocab))), training continues from it; without, it starts afresh.
// Either way the trained weights go to gru.pt, which PyTorch loads with net.load_state_dict(torch.load("gru.pt")).
using D2L.Rnn;

TorchSetup.Initialize();
var corpus = TimeMachine.LoadD2l(maxTokens: 10_000); // d2l's load_corpus_time_machine(10000): the same vocabulary
var model = new RNNModel(new ModelConfig(CellKind.Gru, corpus.Vocab.Count, NumHiddens: 256));
if (args.Length > 0)
{
    PyTorchStateDict.LoadInto(model, args[0]);
    Console.WriteLine($"loaded {args[0]}: perplexity {Evaluator.Perplexity(model, corpus.Indices):F2}");
}
var data = new SeqDataLoader(corpus.Indices, batchSize: 32, numSteps: 35);
var result = Trainer.Train(model, data, corpus.Vocab, new TrainOptions { NumEpochs = 2, PredictEvery = 0 });
Console.WriteLine($"perplexity {result.FinalPerplexity:F2}");
Console.WriteLine(Predictor.Predict("time traveller", 30, model, corpus.Vocab));
PyTorchStateDict.Save("gru.pt", model);
Console.WriteLine("saved gru.pt");

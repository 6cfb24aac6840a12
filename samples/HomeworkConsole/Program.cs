using D2L.Rnn;

var corpus = TimeMachine.LoadD2l(maxTokens: 10_000); // reads $D2L_DATA_DIR, else downloads
var model = new RNNModel(new ModelConfig(CellKind.Rnn, corpus.Vocab.Count, NumHiddens: 256));
var data = new SeqDataLoader(corpus.Indices, batchSize: 32, numSteps: 35);
var result = Trainer.Train(model, data, corpus.Vocab, new TrainOptions { NumEpochs = 2, PredictEvery = 0 });
Console.WriteLine($"perplexity {result.FinalPerplexity:F2}");
Console.WriteLine(Predictor.Predict("time traveller", 30, model, corpus.Vocab));

using D2L.Rnn;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests;

/// <summary>The lecture's and d2l 0.17's full configurations on the real Time Machine text.</summary>
public class LectureTrainingTests(ITestOutputHelper output)
{
    [Fact]
    public void LectureConfigurationLearnsTheTimeMachine()
    {
        manual_seed(0);
        var corpus = TimeMachine.LoadLecture(dataDirectory: TestData.Directory);
        var model = new RNNModel(new ModelConfig(CellKind.Rnn, corpus.Vocab.Count, 256), WeightInit.Normal001);
        var data = new SeqDataLoader(corpus.Indices, batchSize: 32, numSteps: 35, seed: 0);

        var result = Trainer.Train(model, data, corpus.Vocab, TrainOptions.Lecture2019, report =>
        {
            if (report.Predictions.Count == 0) return;
            output.WriteLine(report.ToString());
            foreach (var (prefix, text) in report.Predictions) output.WriteLine($" - {text}");
        });

        output.WriteLine($"{result}; {result.SecondsPerEpoch:F3} s/epoch");
        Assert.Equal(200, result.Epochs.Count);
        Assert.All(result.Epochs, e => Assert.Equal(8 * 32 * 35, e.Tokens));
        // Perplexity starts near the vocabulary size (43) and must fall far below it.
        Assert.InRange(result.Epochs[0].Perplexity, 10, 45);
        Assert.True(result.FinalPerplexity < 2.0, $"final perplexity {result.FinalPerplexity}");
        Assert.StartsWith("time traveller", Predictor.Predict("time traveller", 10, model, corpus.Vocab));
    }

    [Fact]
    public void D2l017ConcisePresetLearnsTheTimeMachine()
    {
        // d2l 0.17 section 8.6: load_data_time_machine(32, 35) (10,000 tokens), nn.RNN(28, 256) with PyTorch's
        // default init, train_ch8(net, train_iter, vocab, lr=1, num_epochs=500).
        manual_seed(0);
        var corpus = TimeMachine.LoadD2l(maxTokens: 10_000, dataDirectory: TestData.Directory);
        var model = new RNNModel(new ModelConfig(CellKind.Rnn, corpus.Vocab.Count, 256));
        var data = new SeqDataLoader(corpus.Indices, batchSize: 32, numSteps: 35, seed: 0);

        var result = Trainer.Train(model, data, corpus.Vocab, TrainOptions.D2l017 with { PredictEvery = 100 }, report =>
        {
            if (report.Predictions.Count > 0) output.WriteLine($"{report} | {report.Predictions["time traveller"]}");
        });

        output.WriteLine($"{result}; {result.SecondsPerEpoch:F3} s/epoch");
        Assert.Equal(500, result.Epochs.Count);
        Assert.All(result.Epochs, e => Assert.Equal(8 * 32 * 35, e.Tokens));
        Assert.True(result.FinalPerplexity < 1.6, $"final perplexity {result.FinalPerplexity}");
    }
}

using D2L.Rnn;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests;

/// <summary>The lecture's and d2l 0.17's full configurations on the real Time Machine text.</summary>
[Trait("Category", "Slow")]
public class LectureTrainingTests(ITestOutputHelper output)
{
    /// <summary>The perplexities the lecture printed at epochs 50, 100, 150 and 200 (MXNet Gluon, ReLU RNN).</summary>
    private static readonly (int Epoch, double Perplexity)[] PublishedCurve = [(50, 4.20), (100, 2.00), (150, 1.51), (200, 1.30)];

    [Fact]
    public void LectureConfigurationFollowsThePublishedCurve()
    {
        var seed = int.Parse(Environment.GetEnvironmentVariable("D2L_LECTURE_SEED") ?? "0");
        manual_seed(seed);
        var corpus = TimeMachine.LoadLecture(dataDirectory: TestData.Directory);
        var model = new RNNModel(ModelConfig.Lecture2019(corpus.Vocab.Count), WeightInit.Normal001);
        var data = new SeqDataLoader(corpus.Indices, batchSize: 32, numSteps: 35, seed: seed);

        var result = Trainer.Train(model, data, corpus.Vocab, TrainOptions.Lecture2019, report =>
        {
            if (report.Predictions.Count == 0) return;
            output.WriteLine(report.ToString());
            foreach (var (prefix, text) in report.Predictions) output.WriteLine($" - {text}");
        });

        output.WriteLine($"{result}; {result.SecondsPerEpoch:F3} s/epoch");
        output.WriteLine("seed " + seed + ": " + string.Join(" / ", PublishedCurve.Select(p => result.Epochs[p.Epoch - 1].Perplexity.ToString("F2"))));
        Assert.Equal(200, result.Epochs.Count);
        Assert.All(result.Epochs, e => Assert.Equal(8 * 32 * 35, e.Tokens));
        foreach (var (epoch, published) in PublishedCurve)
            Assert.InRange(result.Epochs[epoch - 1].Perplexity, published * 0.9, published * 1.1);
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

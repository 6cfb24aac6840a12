using D2L.Rnn;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests;

public class TrainerTests
{
    private static readonly CharCorpus Corpus = TimeMachine.LoadD2l(maxTokens: 10_000, dataDirectory: TestData.Directory);

    private static (RNNModel, SeqDataLoader) Setup(int seed, bool random = false, CellKind kind = CellKind.Rnn, int layers = 1)
    {
        manual_seed(seed);
        return (new RNNModel(new ModelConfig(kind, Corpus.Vocab.Count, 32, layers)),
                new SeqDataLoader(Corpus.Indices, 32, 35, random, seed));
    }

    private static readonly TrainOptions Short = new() { NumEpochs = 3, LearningRate = 1, ClipTheta = 1, PredictEvery = 0 };

    [Fact]
    public void TheSameSeedGivesTheSameCurve()
    {
        var (m1, d1) = Setup(9);
        var (m2, d2) = Setup(9);
        var a = Trainer.Train(m1, d1, Corpus.Vocab, Short).Epochs.Select(e => e.Perplexity);
        var b = Trainer.Train(m2, d2, Corpus.Vocab, Short).Epochs.Select(e => e.Perplexity);
        Assert.Equal(a, b);
    }

    [Theory]
    [InlineData(false, CellKind.Rnn)]
    [InlineData(true, CellKind.Rnn)]
    [InlineData(false, CellKind.Lstm)]
    [InlineData(true, CellKind.Gru)]
    public void PerplexityFallsForEverySamplingAndCell(bool random, CellKind kind)
    {
        var (model, data) = Setup(1, random, kind);
        var result = Trainer.Train(model, data, Corpus.Vocab, Short with { NumEpochs = 8 });
        Assert.Equal(8, result.Epochs.Count);
        Assert.True(result.Epochs[^1].Perplexity < result.Epochs[0].Perplexity * 0.8,
            $"{result.Epochs[0].Perplexity} -> {result.Epochs[^1].Perplexity}");
        Assert.All(result.Epochs, e => Assert.True(e.Tokens > 0 && e.Seconds > 0));
    }

    [Fact]
    public void ReportsEveryEpochWithPredictionsOnTheirEpochs()
    {
        var (model, data) = Setup(2);
        var seen = new List<EpochReport>();
        Trainer.Train(model, data, Corpus.Vocab, Short with { NumEpochs = 4, PredictEvery = 2, PredictPrefixes = ["time traveller"], PredictLength = 7 }, seen.Add);
        Assert.Equal([1, 2, 3, 4], seen.Select(r => r.Epoch));
        Assert.Empty(seen[0].Predictions);
        Assert.Equal(21, seen[1].Predictions["time traveller"].Length);
        Assert.Matches(@"^epoch 2, perplexity \d+\.\d{6}, time \d+\.\d\d sec$", seen[1].ToString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void RecordsTheGradientNormOfEveryMinibatchBeforeClipping(bool fast)
    {
        var (model, data) = Setup(4);
        var epochs = Trainer.Train(model, data, Corpus.Vocab, Short with { NumEpochs = 2, ClipTheta = 0.01, RecordGradientNorms = true, UseFastPath = fast }).Epochs;
        // 10,000 tokens, batch 32, 35 steps: 8 minibatches per epoch at every offset.
        Assert.All(epochs, e => Assert.Equal(e.Tokens / (32 * 35), e.GradientNorms.Count));
        Assert.All(epochs.SelectMany(e => e.GradientNorms), n => Assert.True(double.IsFinite(n) && n > 0.01, $"norm {n}"));

        // The first minibatch's norm is the one GradClipping computes on the same model's first gradients.
        var (fresh, freshData) = Setup(4);
        var (x, y) = freshData.First();
        var (scores, _) = fresh.call(x, fresh.BeginState(32));
        nn.functional.cross_entropy(scores, y.T.reshape(-1)).backward();
        Assert.Equal(GradClipping.Clip(fresh.parameters(), 1e9), epochs[0].GradientNorms[0], 1e-4 * epochs[0].GradientNorms[0]);
    }

    [Fact]
    public void RecordsNoGradientNormsUnlessAsked()
    {
        var (model, data) = Setup(4);
        Assert.All(Trainer.Train(model, data, Corpus.Vocab, Short with { NumEpochs = 1 }).Epochs, e => Assert.Empty(e.GradientNorms));
    }

    [Fact]
    public void CancellationStopsAtAMinibatchBoundaryAndKeepsTheFinishedEpochs()
    {
        var (model, data) = Setup(3);
        using var cts = new CancellationTokenSource();
        var result = Trainer.Train(model, data, Corpus.Vocab, Short with { NumEpochs = 50 }, r => { if (r.Epoch == 2) cts.Cancel(); }, cts.Token);
        Assert.True(result.Cancelled);
        Assert.Equal(2, result.Epochs.Count);
        // The model is still usable after a cancelled run.
        Assert.Equal(20, Predictor.Predict("time", 16, model, Corpus.Vocab).Length);
    }

    [Theory]
    [InlineData(false, CellKind.Rnn, false)]
    [InlineData(true, CellKind.Lstm, false)]
    [InlineData(false, CellKind.Rnn, true)] // the fused step, with its shard threads
    [InlineData(true, CellKind.Rnn, true)]
    [InlineData(false, CellKind.Gru, true)]
    [InlineData(false, CellKind.Lstm, true)]
    [InlineData(false, CellKind.Lstm, true, 2)]
    [InlineData(true, CellKind.Gru, true, 2)]
    public void TrainingAndPredictingLeaveNoTensorAlive(bool random, CellKind kind, bool fastPath, int layers = 1)
    {
        var (model, data) = Setup(7, random, kind, layers);
        var options = Short with { UseFastPath = fastPath };
        Trainer.Train(model, data, Corpus.Vocab, options with { NumEpochs = 1 }); // gradients now exist
        var before = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Trainer.Train(model, data, Corpus.Vocab, options with { NumEpochs = 4, PredictEvery = 2, PredictLength = 20 });
        Evaluator.Perplexity(model, Corpus.Indices[..500]);
        Assert.Equal(before, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Theory]
    [InlineData(false, 1e37, 1e37)]
    [InlineData(true, 1e37, 1e37)] // the fused step checks the loss before its update too
    // The loss stays finite in float32 while its perplexity overflows: divergence all the same.
    [InlineData(false, 1e30, double.PositiveInfinity)]
    [InlineData(true, 1e30, double.PositiveInfinity)]
    public void ADivergingRunStopsWithAnErrorThatSaysWhatToChange(bool fastPath, double learningRate, double theta)
    {
        var (model, data) = Setup(4);
        var e = Assert.Throws<TrainingDivergedException>(() => Trainer.Train(model, data, Corpus.Vocab,
            Short with { NumEpochs = 20, LearningRate = learningRate, ClipTheta = theta, UseFastPath = fastPath }));
        Assert.Contains("learning rate", e.Message);
        Assert.Contains("epoch", e.Message);
        foreach (var p in model.parameters()) // the bad update was never applied
            Assert.True(p.isfinite().all().item<bool>());
    }

    [Theory]
    [InlineData(0, 1.0, 1.0, "NumEpochs")]
    [InlineData(1, 0.0, 1.0, "LearningRate")]
    [InlineData(1, double.NaN, 1.0, "LearningRate")]
    [InlineData(1, 1e300, 1.0, "LearningRate")]
    [InlineData(1, 1.0, 0.0, "ClipTheta")]
    [InlineData(1, 1.0, 1.0, "Threads", 0)]
    public void BadOptionsAreNamedBeforeAnyWork(int epochs, double lr, double theta, string name, int? threads = null)
    {
        var (model, data) = Setup(5);
        var e = Assert.ThrowsAny<ArgumentException>(() =>
            Trainer.Train(model, data, Corpus.Vocab, new TrainOptions { NumEpochs = epochs, LearningRate = lr, ClipTheta = theta, Threads = threads }));
        Assert.Equal(name, e.ParamName);
    }

    [Fact]
    public void AVocabularyOfAnotherSizeIsRejected()
    {
        var (model, data) = Setup(6);
        var e = Assert.Throws<ArgumentException>(() => Trainer.Train(model, data, new Vocab(["a"]), Short));
        Assert.Equal("vocab", e.ParamName);
    }
}

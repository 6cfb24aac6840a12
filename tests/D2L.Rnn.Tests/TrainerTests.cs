using D2L.Rnn.Data;
using D2L.Rnn.Model;
using D2L.Rnn.Training;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests;

public class TrainerTests
{
    private static readonly CharCorpus Corpus = TimeMachine.LoadD2l(maxTokens: 10_000, dataDirectory: TestData.Directory);

    private static (RNNModel, SeqDataLoader) Setup(int seed, bool random = false, CellKind kind = CellKind.Rnn,
        InputEncoding encoding = InputEncoding.OneHot)
    {
        manual_seed(seed);
        return (new RNNModel(new ModelConfig(kind, Corpus.Vocab.Count, 32)) { InputEncoding = encoding },
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

    [Fact]
    public void CancellationStopsAtAMinibatchBoundaryAndKeepsTheFinishedEpochs()
    {
        var (model, data) = Setup(3);
        using var cts = new CancellationTokenSource();
        var result = Trainer.Train(model, data, Corpus.Vocab, Short with { NumEpochs = 50 }, r => { if (r.Epoch == 2) cts.Cancel(); }, cts.Token);
        Assert.True(result.Cancelled);
        Assert.Equal(2, result.Epochs.Count);
        // The model is still usable after a cancelled run.
        Assert.Equal(20, Prediction.Predictor.Predict("time", 16, model, Corpus.Vocab).Length);
    }

    [Theory]
    [InlineData(false, CellKind.Rnn, InputEncoding.OneHot)]
    [InlineData(true, CellKind.Lstm, InputEncoding.OneHot)]
    [InlineData(false, CellKind.Rnn, InputEncoding.Gather)] // the fused step, with its shard threads
    [InlineData(true, CellKind.Rnn, InputEncoding.Gather)]
    public void TrainingAndPredictingLeaveNoTensorAlive(bool random, CellKind kind, InputEncoding encoding)
    {
        var (model, data) = Setup(7, random, kind, encoding);
        Trainer.Train(model, data, Corpus.Vocab, Short with { NumEpochs = 1 }); // gradients now exist
        var before = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Trainer.Train(model, data, Corpus.Vocab, Short with { NumEpochs = 4, PredictEvery = 2, PredictLength = 20 });
        Evaluation.Evaluator.Perplexity(model, Corpus.Indices[..500]);
        Assert.Equal(before, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Theory]
    [InlineData(InputEncoding.OneHot)]
    [InlineData(InputEncoding.Gather)] // the fused step checks the loss before its update too
    public void ADivergingLossStopsWithAnErrorThatSaysWhatToChange(InputEncoding encoding)
    {
        var (model, data) = Setup(4, encoding: encoding);
        var e = Assert.Throws<TrainingDivergedException>(() =>
            Trainer.Train(model, data, Corpus.Vocab, Short with { NumEpochs = 20, LearningRate = 1e37, ClipTheta = 1e37 }));
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
    public void BadOptionsAreNamedBeforeAnyWork(int epochs, double lr, double theta, string name)
    {
        var (model, data) = Setup(5);
        var e = Assert.ThrowsAny<ArgumentException>(() =>
            Trainer.Train(model, data, Corpus.Vocab, new TrainOptions { NumEpochs = epochs, LearningRate = lr, ClipTheta = theta }));
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

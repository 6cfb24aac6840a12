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
        Assert.Matches(@"^epoch 2, perplexity \d+\.\d{6}, time \d+\.\d\d sec, fast path$", seen[1].ToString());
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
    [InlineData(false, CellKind.Rnn, true)] // the fast step, with its shard threads
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
    [InlineData(true, 1e37, 1e37)] // the fast step checks the loss before its update too
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
        Assert.Contains("The model holds the weights it had before this run.", e.Message);
        foreach (var p in model.parameters()) // the bad updates were undone
            Assert.True(p.isfinite().all().item<bool>());
    }

    [Theory]
    [InlineData(true, CellKind.Rnn)]
    [InlineData(false, CellKind.Rnn)]
    [InlineData(true, CellKind.Lstm)]
    [InlineData(false, CellKind.Gru)]
    public void AfterADivergedContinuationTheModelHoldsTheWeightsOfItsLastFinishedEpoch(bool fastPath, CellKind kind)
    {
        var (model, data) = Setup(12, kind: kind);
        Trainer.Train(model, data, Corpus.Vocab, Short with { UseFastPath = fastPath });
        var trained = Evaluator.Perplexity(model, Corpus.Indices[..2000]);
        var before = model.parameters().Select(p => p.data<float>().ToArray()).ToArray();

        // A learning rate far too large, without clipping: the first update ruins the finite weights, a later loss is
        // infinite. The model must come back as it was.
        var e = Assert.Throws<TrainingDivergedException>(() => Trainer.Train(model, data, Corpus.Vocab,
            Short with { NumEpochs = 5, LearningRate = 1e8, ClipTheta = double.PositiveInfinity, UseFastPath = fastPath }));
        Assert.Contains("The model holds the weights it had before this run.", e.Message);
        Assert.Equal(before, model.parameters().Select(p => p.data<float>().ToArray()).ToArray());
        Assert.Equal(trained, Evaluator.Perplexity(model, Corpus.Indices[..2000]));
    }

    [Fact]
    public void ARunThatDivergesLaterKeepsTheLastFinishedEpoch()
    {
        var (model, data) = Setup(13);
        var finished = new List<float[][]>();
        // From epoch 3 the rate becomes absurd; the loss then blows up within that epoch or the next.
        var options = Short with
        {
            NumEpochs = 6, ClipTheta = double.PositiveInfinity,
            Schedule = o => TorchSharp.torch.optim.lr_scheduler.LambdaLR(o, epoch => epoch < 2 ? 1.0 : 1e9),
        };
        var e = Assert.Throws<TrainingDivergedException>(() => Trainer.Train(model, data, Corpus.Vocab, options,
            _ => finished.Add(model.parameters().Select(p => p.data<float>().ToArray()).ToArray())));
        Assert.True(finished.Count >= 2, $"only {finished.Count} epochs finished");
        Assert.Contains($"The model holds the weights of the end of epoch {finished.Count}.", e.Message);
        Assert.Equal(finished[^1], model.parameters().Select(p => p.data<float>().ToArray()).ToArray());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ATokenIndexOutsideTheVocabularyIsNamedBeforeTraining(bool fastPath)
    {
        var (model, _) = Setup(14);
        var indices = Corpus.Indices.ToArray();
        indices[4321] = Corpus.Vocab.Count + 2;
        var epochs = 0;
        var e = Assert.Throws<ArgumentException>(() => Trainer.Train(model, new SeqDataLoader(indices, 32, 35, seed: 1), Corpus.Vocab,
            Short with { UseFastPath = fastPath }, _ => epochs++));
        Assert.Equal("data", e.ParamName);
        Assert.Contains($"Token index {Corpus.Vocab.Count + 2} at position 4,321 of the training data", e.Message);
        Assert.Contains($"vocabulary of {Corpus.Vocab.Count} tokens", e.Message);
        Assert.Equal(0, epochs);

        var held = Corpus.Indices[..500].ToArray();
        held[7] = -1;
        e = Assert.Throws<ArgumentException>(() => Trainer.Train(model, new SeqDataLoader(Corpus.Indices, 32, 35), Corpus.Vocab,
            Short with { UseFastPath = fastPath, Validation = held }));
        Assert.Contains("Token index -1 at position 7 of TrainOptions.Validation", e.Message);
    }

    [Fact]
    public void APredictionPrefixTheVocabularyCannotReadFailsBeforeTheFirstEpoch()
    {
        var lecture = TimeMachine.LoadLecture(dataDirectory: TestData.Directory); // no <unk>, lower case only
        manual_seed(1);
        using var model = new RNNModel(ModelConfig.Lecture2019(lecture.Vocab.Count));
        var epochs = 0;
        var e = Assert.Throws<ArgumentException>(() => Trainer.Train(model, new SeqDataLoader(lecture.Indices, 32, 35), lecture.Vocab,
            TrainOptions.Lecture2019 with { NumEpochs = 3, PredictEvery = 2, PredictPrefixes = ["time traveller", "Time Traveller"] }, _ => epochs++));
        Assert.Equal(0, epochs);
        Assert.Contains("TrainOptions.PredictPrefixes", e.Message);
        Assert.Contains("\"Time Traveller\" has characters that are not in the vocabulary ('T')", e.Message);
        Assert.DoesNotContain("time traveller\"", e.Message);
    }

    [Fact]
    public void TheDefaultsPredictNothingSoAnyCorpusTrains()
    {
        var letters = CharCorpus.FromText("abc ab cab bca " + string.Concat(Enumerable.Repeat("abcab cba ", 400)), TextPreset.Lecture2019);
        manual_seed(1);
        using var model = new RNNModel(new ModelConfig(CellKind.Rnn, letters.Vocab.Count, 16));
        var result = Trainer.Train(model, new SeqDataLoader(letters.Indices, 8, 10), letters.Vocab, new TrainOptions { NumEpochs = 10 });
        Assert.Equal(10, result.Epochs.Count);
        Assert.All(result.Epochs, e => Assert.Empty(e.Predictions));
    }

    [Fact]
    public void TheResultSaysWhichPathTrainedAndWhyTheFastOneDeclined()
    {
        var (model, data) = Setup(15);
        var fast = Trainer.Train(model, data, Corpus.Vocab, Short with { NumEpochs = 1 });
        Assert.Equal(TrainingPath.Fast, fast.Path);
        Assert.Null(fast.FastPathDeclined);
        Assert.All(fast.Epochs, e => Assert.Equal(TrainingPath.Fast, e.Path));
        Assert.EndsWith("tokens/sec on cpu (fast path)", fast.ToString());

        var asked = Trainer.Train(model, data, Corpus.Vocab, Short with { NumEpochs = 1, UseFastPath = false });
        Assert.Equal(TrainingPath.Reference, asked.Path);
        Assert.Null(asked.FastPathDeclined); // not asked for, so not declined
        Assert.EndsWith("reference path", asked.Epochs[0].ToString());

        manual_seed(15);
        using var embedded = new RNNModel(new ModelConfig(CellKind.Gru, Corpus.Vocab.Count, 16, EmbeddingSize: 8));
        var declined = Trainer.Train(embedded, data, Corpus.Vocab, Short with { NumEpochs = 1 });
        Assert.Equal(TrainingPath.Reference, declined.Path);
        Assert.Contains("embedding", declined.FastPathDeclined);
        Assert.Contains("(reference path: the model has an embedding", declined.ToString());

        manual_seed(15);
        using var bidirectional = new RNNModel(new ModelConfig(CellKind.Lstm, Corpus.Vocab.Count, 16, Bidirectional: true));
        var twoWays = Trainer.Train(bidirectional, data, Corpus.Vocab, Short with { NumEpochs = 1 });
        Assert.Equal(TrainingPath.Reference, twoWays.Path);
        Assert.Contains("(reference path: the model is bidirectional: the hand-written pass runs one direction", twoWays.ToString());
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

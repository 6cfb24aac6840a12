using D2L.Rnn;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests;

/// <summary>Any optimizer and schedule, on both paths: the fast path computes gradients only, the optimizer steps.</summary>
public class OptimizerTests
{
    private static readonly CharCorpus Corpus = TimeMachine.LoadD2l(maxTokens: 10_000, dataDirectory: TestData.Directory);

    private static (float[][] Parameters, TrainResult Result) Train(CellKind kind, bool fast, TrainOptions options)
    {
        manual_seed(3);
        using var model = new RNNModel(new ModelConfig(kind, Corpus.Vocab.Count, 32));
        var result = Trainer.Train(model, new SeqDataLoader(Corpus.Indices, 32, 35, seed: 3), Corpus.Vocab, options with { UseFastPath = fast });
        return (model.parameters().Select(p => p.data<float>().ToArray()).ToArray(), result);
    }

    // Two epochs of 8 minibatches; the schedule halves the rate after the first.
    private static readonly TrainOptions AdamWithSchedule = new()
    {
        NumEpochs = 2, LearningRate = 0.01, ClipTheta = 1, PredictEvery = 0,
        Optimizer = Optimizers.Adam, Schedule = optimizer => optim.lr_scheduler.StepLR(optimizer, 1, 0.5),
    };

    [Theory]
    [InlineData(CellKind.Rnn)]
    [InlineData(CellKind.Gru)]
    [InlineData(CellKind.Lstm)]
    public void AdamWithAStepScheduleGivesTheSameParametersOnBothPaths(CellKind kind)
    {
        var (reference, referenceRun) = Train(kind, fast: false, AdamWithSchedule);
        var (fast, fastRun) = Train(kind, fast: true, AdamWithSchedule);
        Assert.Equal(TrainingPath.Reference, referenceRun.Path);
        Assert.Equal(TrainingPath.Fast, fastRun.Path);
        for (var i = 0; i < reference.Length; i++) FloatAssert.Close(reference[i], fast[i], $"parameter {i}", atol: 1e-5, rtol: 1e-3);

        // The schedule ran: the second epoch used half the rate.
        Assert.Equal([0.01, 0.005], fastRun.Epochs.Select(e => e.LearningRate));
        Assert.Equal([0.01, 0.005], referenceRun.Epochs.Select(e => e.LearningRate));

        // And the optimizer really is Adam: plain SGD at the same rate lands elsewhere.
        var (sgd, _) = Train(kind, fast: true, AdamWithSchedule with { Optimizer = null, Schedule = null });
        var largest = reference.Zip(sgd).Max(p => p.First.Zip(p.Second).Max(v => Math.Abs(v.First - v.Second)));
        Assert.True(largest > 1e-3, $"Adam and SGD differ by at most {largest}");
    }

    [Fact]
    public void TheDefaultOptimizerIsSgdAtTheLearningRate()
    {
        var options = new TrainOptions { NumEpochs = 1, LearningRate = 0.5, PredictEvery = 0 };
        var (byDefault, _) = Train(CellKind.Rnn, fast: true, options);
        var (sgd, _) = Train(CellKind.Rnn, fast: true, options with { Optimizer = (p, lr) => optim.SGD(p, lr) });
        Assert.Equal(byDefault, sgd);
    }

    [Fact]
    public void TheFastPathLeavesNoGradientViewBehind()
    {
        manual_seed(1);
        using var model = new RNNModel(new ModelConfig(CellKind.Gru, Corpus.Vocab.Count, 16));
        var data = new SeqDataLoader(Corpus.Indices, 32, 35, seed: 1);
        Trainer.Train(model, data, Corpus.Vocab, new TrainOptions { NumEpochs = 1, PredictEvery = 0 });
        Assert.All(model.parameters(), p => Assert.Null(p.grad)); // the views went with the fast step's buffers
    }
}

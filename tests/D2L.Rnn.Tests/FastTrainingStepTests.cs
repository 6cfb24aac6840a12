using D2L.Rnn;
using D2L.Rnn.FastPath;
using TorchSharp;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests;

/// <summary>
/// The fast training step (hand-written forward and backward for the RNN, the GRU and the LSTM, sharded over threads)
/// against the reference: autograd through the one-hot <see cref="RNNModel"/>, <see cref="GradClipping"/> and
/// TorchSharp's SGD.
/// </summary>
public class FastTrainingStepTests
{
    private const int Vocab = 28, Hiddens = 24, Steps = 7;

    private static RNNModel NewModel(int seed, CellKind kind, Nonlinearity nonlinearity = Nonlinearity.Tanh, int layers = 1)
    {
        manual_seed(seed);
        return new RNNModel(new ModelConfig(kind, Vocab, Hiddens, layers, nonlinearity));
    }

    /// <summary>Reference loss and gradients (parameter order) for one minibatch from <paramref name="state"/>
    /// (not consumed); the final state is detached, as d2l's.</summary>
    private static (float Loss, float[][] Grads, RnnState FinalState) Reference(RNNModel model, Tensor x, Tensor y, RnnState state)
    {
        using var scope = NewDisposeScope();
        model.zero_grad();
        var (output, next) = model.call(x, new RnnState(state.Hidden.clone(), state.Cell?.clone()));
        var loss = nn.functional.cross_entropy(output, y.t().reshape(-1));
        loss.backward();
        var grads = model.parameters().Select(p => p.grad!.data<float>().ToArray()).ToArray();
        return (loss.item<float>(), grads, next.Detach().MoveToOuterDisposeScope());
    }

    private static void AssertClose(float[] expected, float[] actual, string what, double atol = 1e-5, double rtol = 1e-4) =>
        FloatAssert.Close(expected, actual, what, atol, rtol);

    [Theory]
    [InlineData(CellKind.Rnn, 3, 1, Nonlinearity.Tanh)]   // one shard
    [InlineData(CellKind.Rnn, 16, 2, Nonlinearity.Tanh)]  // two shards of 8 sequences
    [InlineData(CellKind.Rnn, 27, 3, Nonlinearity.Tanh)]  // three uneven shards (9 each)
    [InlineData(CellKind.Rnn, 20, 4, Nonlinearity.Tanh)]  // asks for 4, gets 2: every shard keeps at least 8 sequences
    [InlineData(CellKind.Rnn, 3, 1, Nonlinearity.ReLU)]
    [InlineData(CellKind.Rnn, 27, 3, Nonlinearity.ReLU)]
    [InlineData(CellKind.Gru, 3, 1, Nonlinearity.Tanh)]
    [InlineData(CellKind.Gru, 16, 2, Nonlinearity.Tanh)]
    [InlineData(CellKind.Gru, 27, 3, Nonlinearity.Tanh)]
    [InlineData(CellKind.Gru, 20, 4, Nonlinearity.Tanh)]
    [InlineData(CellKind.Lstm, 3, 1, Nonlinearity.Tanh)]
    [InlineData(CellKind.Lstm, 16, 2, Nonlinearity.Tanh)]
    [InlineData(CellKind.Lstm, 27, 3, Nonlinearity.Tanh)]
    [InlineData(CellKind.Lstm, 20, 4, Nonlinearity.Tanh)]
    [InlineData(CellKind.Rnn, 3, 1, Nonlinearity.Tanh, 2)]   // two layers: the second reads the first's hidden states
    [InlineData(CellKind.Rnn, 16, 2, Nonlinearity.Tanh, 2)]
    [InlineData(CellKind.Rnn, 27, 3, Nonlinearity.ReLU, 2)]
    [InlineData(CellKind.Gru, 3, 1, Nonlinearity.Tanh, 2)]
    [InlineData(CellKind.Gru, 27, 3, Nonlinearity.Tanh, 2)]
    [InlineData(CellKind.Lstm, 3, 1, Nonlinearity.Tanh, 2)]
    [InlineData(CellKind.Lstm, 27, 3, Nonlinearity.Tanh, 2)]
    [InlineData(CellKind.Gru, 16, 2, Nonlinearity.Tanh, 3)]  // three layers: a middle layer both reads and hands down
    [InlineData(CellKind.Lstm, 16, 2, Nonlinearity.Tanh, 3)]
    public void SameLossAndGradientsAsAutogradOnRandomInputs(CellKind kind, int batch, int maxShards, Nonlinearity nonlinearity, int layers = 1)
    {
        using var model = NewModel(31, kind, nonlinearity, layers);
        using var x1 = randint(0, Vocab, [batch, Steps], dtype: int64);
        using var y1 = randint(0, Vocab, [batch, Steps], dtype: int64);
        using var x2 = randint(0, Vocab, [batch, Steps], dtype: int64);
        using var y2 = randint(0, Vocab, [batch, Steps], dtype: int64);
        using var zero = model.BeginState(batch);
        // Two minibatches: the first from the zero state, the second carries the first's final state on (for the
        // LSTM both h and c, and every layer's).
        var (loss1, grads1, h1) = Reference(model, x1, y1, zero);
        var (loss2, grads2, h2) = Reference(model, x2, y2, h1);
        using (h1)
        using (h2)
        using (var sgd = optim.SGD(model.parameters(), 1))
        using (var fast = new FastTrainingStep(model, batch, Steps, ParameterUpdate.Through(sgd), clipTheta: 1, maxShards))
        {
            Assert.Equal(loss1, fast.ComputeGradients(x1, y1, freshState: true), 1e-5f);
            var fastGrads1 = fast.SummedGradients();
            Assert.Equal(loss2, fast.ComputeGradients(x2, y2, freshState: false), 1e-5f);
            var fastGrads2 = fast.SummedGradients();
            for (var i = 0; i < grads1.Length; i++)
            {
                Assert.Contains(grads1[i], v => v != 0); // every parameter really receives a gradient
                AssertClose(grads1[i], fastGrads1[i].data<float>().ToArray(), $"minibatch 1, gradient {i}");
                AssertClose(grads2[i], fastGrads2[i].data<float>().ToArray(), $"minibatch 2, gradient {i}");
            }
            foreach (var g in fastGrads1.Concat(fastGrads2)) g.Dispose();
        }
    }

    [Theory]
    [InlineData(CellKind.Rnn, 1e-3, Nonlinearity.Tanh)] // clipping active: the norm is far above θ
    [InlineData(CellKind.Rnn, 1e6, Nonlinearity.Tanh)]  // clipping inactive
    [InlineData(CellKind.Rnn, 1e-3, Nonlinearity.ReLU)]
    [InlineData(CellKind.Rnn, 1e6, Nonlinearity.ReLU)]
    [InlineData(CellKind.Gru, 1e-3, Nonlinearity.Tanh)]
    [InlineData(CellKind.Gru, 1e6, Nonlinearity.Tanh)]
    [InlineData(CellKind.Lstm, 1e-3, Nonlinearity.Tanh)]
    [InlineData(CellKind.Lstm, 1e6, Nonlinearity.Tanh)]
    [InlineData(CellKind.Rnn, 1e-3, Nonlinearity.Tanh, 2)]
    [InlineData(CellKind.Gru, 1e-3, Nonlinearity.Tanh, 2)]
    [InlineData(CellKind.Lstm, 1e-3, Nonlinearity.Tanh, 2)]
    [InlineData(CellKind.Lstm, 1e6, Nonlinearity.Tanh, 2)]
    public void TheUpdateIsClippedSgdAsTheReference(CellKind kind, double theta, Nonlinearity nonlinearity, int layers = 1)
    {
        const int batch = 16;
        using var reference = NewModel(5, kind, nonlinearity, layers);
        using var fast = NewModel(5, kind, nonlinearity, layers);
        using var x = randint(0, Vocab, [batch, Steps], dtype: int64);
        using var y = randint(0, Vocab, [batch, Steps], dtype: int64);
        using (var sgd = optim.SGD(reference.parameters(), 0.5))
        using (var step = new ReferenceTrainingStep(reference, ParameterUpdate.Through(sgd), clipTheta: theta))
        {
            step.ComputeGradients(x, y, freshState: true);
            step.Update();
        }
        using (var sgd = optim.SGD(fast.parameters(), 0.5))
        using (var step = new FastTrainingStep(fast, batch, Steps, ParameterUpdate.Through(sgd), clipTheta: theta, maxShards: 2))
        {
            step.ComputeGradients(x, y, freshState: true);
            step.Update();
        }
        var expected = reference.parameters().Select(p => p.data<float>().ToArray()).ToArray();
        var actual = fast.parameters().Select(p => p.data<float>().ToArray()).ToArray();
        using var untrained = NewModel(5, kind, nonlinearity, layers);
        var before = untrained.parameters().Select(p => p.data<float>().ToArray()).ToArray();
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.NotEqual(before[i], expected[i]); // the step changed every parameter
            AssertClose(expected[i], actual[i], $"parameter {i}", atol: 1e-6, rtol: 1e-5);
        }
    }

    [Theory]
    [MemberData(nameof(FastPathCells.All), MemberType = typeof(FastPathCells))]
    public void Float32ModelsTakeTheFastPathFloat64DoesNot(CellKind kind, Nonlinearity nonlinearity, int layers)
    {
        using var float32 = NewModel(1, kind, nonlinearity, layers);
        using var float64 = NewModel(1, kind, nonlinearity, layers);
        float64.to(ScalarType.Float64);
        Assert.Null(FastTrainingStep.Unsupported(float32));
        Assert.Equal("the parameters are Float64, not float32", FastTrainingStep.Unsupported(float64));
        using var sgd = optim.SGD(float32.parameters(), 1);
        var (step, declined) = FastTrainingStep.TryCreate(float32, 16, Steps, ParameterUpdate.Through(sgd), 1, 2);
        using (step) Assert.IsType<FastTrainingStep>(step);
        Assert.Null(declined);
        Assert.Null(FastTrainingStep.TryCreate(float64, 16, Steps, ParameterUpdate.Through(sgd), 1, 2).Step);
    }

    [Fact]
    public void LayersBuiltWithTheLecturesConstructorTakeTheFastPathUnlessTheyDropUnits()
    {
        // TorchSharp's layers do not tell their dropout between layers, which the fast pass does not apply: the fast
        // path asks the layer itself, and a stacked layer that drops units trains on the reference path.
        using var gru = new RNNModel(nn.GRU(Vocab, Hiddens), Vocab);
        using var deepLstm = new RNNModel(nn.LSTM(Vocab, Hiddens, numLayers: 2), Vocab);
        using var dropping = new RNNModel(nn.LSTM(Vocab, Hiddens, numLayers: 2, dropout: 0.3), Vocab);
        Assert.Null(FastTrainingStep.Unsupported(gru));
        manual_seed(5);
        Assert.Null(FastTrainingStep.Unsupported(deepLstm));
        // Asking a layer without dropout draws no random number: a seeded run is not shifted by it.
        var next = rand(1).item<float>();
        manual_seed(5);
        Assert.Equal(rand(1).item<float>(), next);
        Assert.Contains("dropout", FastTrainingStep.Unsupported(dropping));
        Assert.True(dropping.training); // the layer's mode is as it was
        using var bidirectional = new RNNModel(nn.LSTM(Vocab, Hiddens, numLayers: 2, bidirectional: true), Vocab);
        Assert.Contains("bidirectional", FastTrainingStep.Unsupported(bidirectional));
    }

    [Fact]
    public void AfterTheWeightsArePutBackTheFastStepComputesFromThem()
    {
        // What the fast step derives from the weights (the first layer's input table) must follow a restore, as after
        // divergence or when the best weights are put back, so that training can go on from them.
        using var model = NewModel(7, CellKind.Gru);
        using var x = randint(0, Vocab, [16, Steps], dtype: int64);
        using var y = randint(0, Vocab, [16, Steps], dtype: int64);
        using var zero = model.BeginState(16);
        var (loss, grads, final) = Reference(model, x, y, zero);
        final.Dispose();
        using var snapshot = WeightSnapshot.Of(model.parameters());
        using var sgd = optim.SGD(model.parameters(), 1);
        using var fast = new FastTrainingStep(model, 16, Steps, ParameterUpdate.Through(sgd), clipTheta: 1, maxShards: 2);
        fast.ComputeGradients(x, y, freshState: true);
        fast.Update();
        snapshot.Restore();
        fast.WeightsRestored();
        Assert.Equal(loss, fast.ComputeGradients(x, y, freshState: true), 1e-5f);
        var restored = fast.SummedGradients();
        for (var i = 0; i < grads.Length; i++) AssertClose(grads[i], restored[i].data<float>().ToArray(), $"gradient {i}");
        foreach (var g in restored) g.Dispose();

        // Without the refresh the step would still read the updated weights' input table.
        fast.Update();
        snapshot.Restore();
        Assert.NotEqual(loss, fast.ComputeGradients(x, y, freshState: true), 3);
    }

    [Fact]
    public void TrainingLeavesTheThreadSettingAsItFoundIt()
    {
        var corpus = TimeMachine.LoadD2l(maxTokens: 5_000, dataDirectory: TestData.Directory);
        using var model = new RNNModel(new ModelConfig(CellKind.Rnn, corpus.Vocab.Count, 16));
        var threads = get_num_threads();
        try
        {
            set_num_threads(2); // the caller's setting, which the shard threads must not change
            Trainer.Train(model, new SeqDataLoader(corpus.Indices, 32, 10, seed: 1), corpus.Vocab,
                new TrainOptions { NumEpochs = 1, PredictEvery = 0 });
            Assert.Equal(2, get_num_threads());
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    [Fact]
    public void AMinibatchOfTheWrongShapeIsNamed()
    {
        using var model = NewModel(2, CellKind.Rnn);
        using var sgd = optim.SGD(model.parameters(), 1);
        using var fast = new FastTrainingStep(model, 8, Steps, ParameterUpdate.Through(sgd), 1, 1);
        using var x = zeros([8, Steps + 1], int64);
        var e = Assert.Throws<ArgumentException>(() => fast.ComputeGradients(x, x, freshState: true));
        Assert.Equal("x", e.ParamName);
    }
}

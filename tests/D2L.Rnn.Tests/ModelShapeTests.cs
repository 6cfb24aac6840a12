using D2L.Rnn;
using TorchSharp;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests;

/// <summary>The lecture's shape checks, and the state shapes of every cell kind.</summary>
public class ModelShapeTests
{
    [Fact]
    public void LectureShapes_State_1x2x256_Input_35x2x43_Output_35x2x256()
    {
        using var model = new RNNModel(new ModelConfig(CellKind.Rnn, 43, 256), WeightInit.Normal001);
        using var state = model.BeginState(2);
        Assert.Equal([1L, 2L, 256L], state.Hidden.shape);
        Assert.Null(state.Cell);

        using var x = rand(35, 2, 43);
        var (y, newState) = model.Recur(x, state);
        using (y)
        using (newState)
        {
            Assert.Equal([35L, 2L, 256L], y.shape);
            Assert.Equal([1L, 2L, 256L], newState.Hidden.shape);
        }

        using var tokens = randint(0, 43, [2, 35], dtype: int64);
        var (scores, s2) = model.call(tokens, state);
        using (scores)
        using (s2)
            Assert.Equal([35L * 2, 43L], scores.shape);
    }

    [Theory]
    [InlineData(CellKind.Rnn, 1)]
    [InlineData(CellKind.Gru, 1)]
    [InlineData(CellKind.Lstm, 1)]
    [InlineData(CellKind.Lstm, 2)]
    public void BeginStateShapes(CellKind kind, int layers)
    {
        using var model = new RNNModel(new ModelConfig(kind, 28, 16, layers));
        using var state = model.BeginState(3);
        Assert.Equal([(long)layers, 3L, 16L], state.Hidden.shape);
        Assert.Equal(0, state.Hidden.abs().sum().item<float>());
        if (kind == CellKind.Lstm) Assert.Equal([(long)layers, 3L, 16L], state.Cell!.shape);
        else Assert.Null(state.Cell);

        using var tokens = randint(0, 28, [3, 5], dtype: int64);
        var (y, next) = model.call(tokens, state);
        using (y)
        using (next)
        {
            Assert.Equal([15L, 28L], y.shape);
            Assert.Equal(state.Hidden.shape, next.Hidden.shape);
        }
    }

    [Fact]
    public void Normal001InitialisesWeightsWithSmallSpreadAndZeroBiases()
    {
        manual_seed(1);
        using var model = new RNNModel(new ModelConfig(CellKind.Rnn, 43, 256), WeightInit.Normal001);
        foreach (var (name, p) in model.named_parameters())
        {
            if (name.Contains("bias")) Assert.Equal(0, p.abs().max().item<float>());
            else Assert.InRange(p.std().item<float>(), 0.009, 0.011);
        }
        using var defaults = new RNNModel(new ModelConfig(CellKind.Rnn, 43, 256));
        var w = defaults.named_parameters().First(p => p.name.Contains("weight")).parameter;
        Assert.True(w.abs().max().item<float>() <= 1 / MathF.Sqrt(256) + 1e-6);
        Assert.True(w.std().item<float>() > 0.03);
    }

    [Fact]
    public void TheOneHotInputMatchesAnExplicitOneHotThroughTheLayer()
    {
        manual_seed(2);
        using var model = new RNNModel(new ModelConfig(CellKind.Gru, 10, 8));
        using var tokens = tensor(new long[] { 1, 4, 9, 0, 3, 3 }, [2, 3]);
        using var state = model.BeginState(2);
        var (scores, s) = model.call(tokens, state);
        s.Dispose();
        using var oneHot = nn.functional.one_hot(tokens.T, 10).to(float32);
        var (y, s2) = model.Recur(oneHot, state);
        s2.Dispose();
        using var expected = model.Linear.call(y.reshape(-1, 8));
        Assert.True(scores.allclose(expected));
    }

    [Theory]
    [InlineData(0, 256, 1, "VocabSize")]
    [InlineData(43, 0, 1, "NumHiddens")]
    [InlineData(43, 256, 0, "NumLayers")]
    public void BadConfigurationsAreNamed(int vocab, int hiddens, int layers, string name)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => new RNNModel(new ModelConfig(CellKind.Rnn, vocab, hiddens, layers)));
        Assert.Equal(name, e.ParamName);
    }

    [Fact]
    public void BatchSizeZeroIsNamed()
    {
        using var model = new RNNModel(new ModelConfig(CellKind.Rnn, 5, 4));
        Assert.Equal("batchSize", Assert.ThrowsAny<ArgumentException>(() => model.BeginState(0)).ParamName);
    }

    [Fact]
    public void AnLstmGivenAStateWithoutAMemoryCellSaysWhereToGetOne()
    {
        using var model = new RNNModel(new ModelConfig(CellKind.Lstm, 5, 4));
        using var x = zeros([1, 3], dtype: int64);
        using var hiddenOnly = new RnnState(zeros([1, 1, 4]));
        var e = Assert.Throws<ArgumentException>(() => model.call(x, hiddenOnly));
        Assert.Equal("state", e.ParamName);
        Assert.Contains("An LSTM needs a state with a memory cell: start from model.BeginState(batchSize).", e.Message);
    }
}

public class DevicesTests
{
    [Fact]
    public void TryGpuIsTheFirstGpuWhenCudaHasOneElseTheCpu()
    {
        // Whichever build runs the tests (the CPU build here, a CUDA build on a GPU machine), the answer follows the
        // setup's choice (D2L_DEVICE) and CUDA.
        TorchSetup.Initialize();
        var expected = TorchSetup.Choice!.Device == DeviceType.CUDA && cuda.is_available() && cuda.device_count() > 0
            ? DeviceType.CUDA : DeviceType.CPU;
        Assert.Equal(expected, Devices.TryGpu().type);
        Assert.Equal(DeviceType.CPU, Devices.TryGpu(cuda.is_available() ? cuda.device_count() : 0).type); // past the last GPU
        using var model = new RNNModel(new ModelConfig(CellKind.Rnn, 5, 4));
        model.to(Devices.TryGpu());
        Assert.Equal(expected, model.Device.type);
        Assert.Throws<ArgumentOutOfRangeException>(() => Devices.TryGpu(-1));
    }
}

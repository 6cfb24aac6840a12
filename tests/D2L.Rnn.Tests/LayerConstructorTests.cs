using TorchSharp;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests;

/// <summary>The lecture's <c>model = RNNModel(rnn_layer, vocab_size)</c>: the model wraps and trains the layer it is given.</summary>
public class LayerConstructorTests
{
    [Theory]
    [InlineData(Nonlinearity.ReLU)]
    [InlineData(Nonlinearity.Tanh)]
    public void TheConfigurationNonlinearityIncludedIsReadFromTheLayer(Nonlinearity nonlinearity)
    {
        manual_seed(0);
        var layer = nn.RNN(43, 256, nonLinearity: nonlinearity == Nonlinearity.ReLU ? nn.NonLinearities.ReLU : nn.NonLinearities.Tanh);
        using var model = new RNNModel(layer, 43);
        Assert.Equal(new ModelConfig(CellKind.Rnn, 43, 256, 1, nonlinearity), model.Config);
        Assert.Same(layer, model.Rnn); // the layer the student built and inspected is the one that trains
    }

    [Fact]
    public void GruAndStackedLstmLayersAreDescribedToo()
    {
        using var gru = new RNNModel(nn.GRU(28, 32), 28);
        Assert.Equal(new ModelConfig(CellKind.Gru, 28, 32), gru.Config);
        using var lstm = new RNNModel(nn.LSTM(28, 16, numLayers: 2), 28);
        Assert.Equal(new ModelConfig(CellKind.Lstm, 28, 16, 2), lstm.Config);
        using var state = lstm.BeginState(3);
        Assert.Equal([2L, 3L, 16L], state.Cell!.shape);
    }

    [Fact]
    public void TheModelComputesWithTheLayersOwnParameters()
    {
        manual_seed(4);
        var layer = nn.RNN(10, 8, nonLinearity: nn.NonLinearities.ReLU);
        using var model = new RNNModel(layer, 10);
        using var tokens = tensor(new long[] { 1, 4, 9, 0, 3, 3 }, [2, 3]);
        using var h0 = zeros(1, 2, 8);
        var (scores, state) = model.call(tokens, new RnnState(h0.clone()));
        using var oneHot = nn.functional.one_hot(tokens.T, 10).to(float32);
        var (y, h) = layer.call(oneHot, h0);
        using var expected = model.Linear.call(y.reshape(-1, 8));
        Assert.True(scores.allclose(expected));
        Assert.True(state.Hidden.allclose(h));
        Assert.True(y.min().item<float>() >= 0); // ReLU outputs
    }

    [Fact]
    public void StateDictKeysAreD2lNames()
    {
        using var model = new RNNModel(new ModelConfig(CellKind.Rnn, 5, 4));
        Assert.Equal(["rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "linear.weight", "linear.bias"],
            model.state_dict().Keys);
    }

    [Fact]
    public void UnusableLayersAreRefusedWithAReason()
    {
        ArgumentException Refused(nn.Module layer, int vocab) => Assert.ThrowsAny<ArgumentException>(() => new RNNModel(layer, vocab));
        Assert.Contains("28 features", Refused(nn.RNN(28, 8), 43).Message);
        Assert.Contains("5 features", Refused(nn.GRU(5, 4, bidirectional: true), 7).Message); // bidirectional is taken (BidirectionalTests)
        Assert.Contains("biases", Refused(nn.LSTM(5, 4, bias: false), 5).Message);
        Assert.Contains("batchFirst", Refused(nn.RNN(5, 4, batchFirst: true), 5).Message);
        Assert.Contains("nn.RNN, nn.GRU or nn.LSTM", Refused(nn.Linear(5, 4), 5).Message);
        Assert.Equal("vocabSize", Assert.ThrowsAny<ArgumentException>(() => new RNNModel(nn.RNN(5, 4), 0)).ParamName);
    }

    [Fact]
    public void InitializeNormal001ResetsEveryParameterAsGluonsInitialize()
    {
        manual_seed(1);
        using var model = new RNNModel(nn.RNN(43, 256), 43);
        model.Initialize(WeightInit.Normal001);
        foreach (var (name, p) in model.named_parameters())
        {
            if (name.Contains("bias")) Assert.Equal(0, p.abs().max().item<float>());
            else Assert.InRange(p.std().item<float>(), 0.009, 0.011);
        }
    }

    [Fact]
    public void OnlyAPlainRnnTakesANonlinearity()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => new RNNModel(new ModelConfig(CellKind.Gru, 5, 4, Nonlinearity: Nonlinearity.ReLU)));
        Assert.Equal("Nonlinearity", e.ParamName);
        Assert.Contains("a GRU has its own gates: leave Nonlinearity at Tanh (the default)", e.Message);
        Assert.Equal(new ModelConfig(CellKind.Rnn, 43, 256, 1, Nonlinearity.ReLU), ModelConfig.Lecture2019(43));
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests;

/// <summary>Parameter and multiply-add counts against the formulas written out by hand.</summary>
public class ModelCostTests
{
    private const long V = 28, H = 16;

    private static long Parameters(nn.Module m) => m.parameters().Sum(p => p.numel());

    [Theory]
    [InlineData(NGramEncoding.Sequential, 5 * V)]
    [InlineData(NGramEncoding.BagOfCharacters, V)]
    public void MlpWithOneHiddenLayerOf256(NGramEncoding encoding, long inputs)
    {
        using var mlp = NGramMlp.Create((int)V, encoding);
        var cost = ModelCost.Of(mlp);
        // hidden: inputs·256 weights + 256 biases; output: 256·V weights + V biases.
        Assert.Equal(inputs * 256 + 256 + 256 * V + V, cost.Parameters);
        Assert.Equal(inputs * 256 + 256 * V, cost.MultiplyAdds);
        Assert.Equal(Parameters(mlp), cost.Parameters);
    }

    [Theory]
    [InlineData(CellKind.Rnn, 1)]
    [InlineData(CellKind.Gru, 3)]
    [InlineData(CellKind.Lstm, 4)]
    public void OneLayerRecurrentModelsWithOneHotInput(CellKind kind, long gates)
    {
        using var model = new RNNModel(new ModelConfig(kind, (int)V, (int)H));
        var cost = ModelCost.Of(model);
        // Recurrent layer: g·(h(i+h) + 2h) weights and biases, g·h(i+h) multiply-adds with i = V (one-hot, dense);
        // output layer: h·V + V parameters, h·V multiply-adds.
        Assert.Equal(gates * (H * (V + H) + 2 * H) + H * V + V, cost.Parameters);
        Assert.Equal(gates * H * (V + H) + H * V, cost.MultiplyAdds);
        Assert.Equal(Parameters(model), cost.Parameters);
    }

    [Fact]
    public void TwoLayerLstm()
    {
        using var model = new RNNModel(new ModelConfig(CellKind.Lstm, (int)V, (int)H, 2));
        var cost = ModelCost.Of(model);
        // The second layer reads the first's h outputs.
        Assert.Equal(4 * (H * (V + H) + 2 * H) + 4 * (H * (H + H) + 2 * H) + H * V + V, cost.Parameters);
        Assert.Equal(4 * H * (V + H) + 4 * H * (H + H) + H * V, cost.MultiplyAdds);
        Assert.Equal(Parameters(model), cost.Parameters);
    }

    [Fact]
    public void AnEmbeddingIsALookupWithWeightsButNoMultiplyAdds()
    {
        const long e = 8;
        using var model = new RNNModel(new ModelConfig(CellKind.Gru, (int)V, (int)H, EmbeddingSize: (int)e));
        var cost = ModelCost.Of(model);
        Assert.Equal(V * e + 3 * (H * (e + H) + 2 * H) + H * V + V, cost.Parameters);
        Assert.Equal(3 * H * (e + H) + H * V, cost.MultiplyAdds);
        Assert.Equal(Parameters(model), cost.Parameters);
    }

    [Fact]
    public void AnMlpWithParametersOutsideLinearLayersIsRefused()
    {
        using var mlp = nn.Sequential(nn.Linear(4, 3), nn.LayerNorm(3));
        Assert.Equal("mlp", Assert.Throws<ArgumentException>(() => ModelCost.Of(mlp)).ParamName);
        using var bare = nn.Sequential(nn.Linear(4, 3, hasBias: false), nn.ReLU(), nn.Linear(3, 2));
        Assert.Equal(new CostEstimate(4 * 3 + 3 * 2 + 2, 4 * 3 + 3 * 2), ModelCost.Of(bare));
    }
}

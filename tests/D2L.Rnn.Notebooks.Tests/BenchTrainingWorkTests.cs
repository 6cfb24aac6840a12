using D2L.Rnn.Bench;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>
/// The bench's count of a training step's matrix work (TrainingWork) against the products written out by hand, per
/// minibatch of T steps and then per token.
/// </summary>
public class BenchTrainingWorkTests
{
    private const int V = 28, H = 256, T = 35;

    public BenchTrainingWorkTests() => TorchSetup.Initialize();

    [Fact]
    public void OneLayerRnnOfTheBench()
    {
        using var model = new RNNModel(new ModelConfig(CellKind.Rnn, V, H));
        // Per sequence and minibatch: W_hh (H×H) forward at T steps, back through time at T − 1 (not into the
        // detached state), its weight gradient over T; W_out (V×H) forward, input and weight gradient over T each;
        // the one-hot W_ih product is a gather and its gradient a scatter: nothing.
        const long perMinibatch = T * H * H + (T - 1) * H * H + T * H * H + 3 * T * V * H;
        Assert.Equal(7_568_384, perMinibatch);
        Assert.Equal(perMinibatch / (double)T, TrainingWork.MultiplyAddsPerToken(model, T), 6);
    }

    [Fact]
    public void TwoLayerLstmCountsTheUpperLayersInputProduct()
    {
        using var model = new RNNModel(new ModelConfig(CellKind.Lstm, V, H, 2));
        const long gates = 4 * H; // rows of every LSTM weight matrix
        // Both layers' W_hh (4H×H): 3T − 1 products each; the second layer's W_ih (4H×H) reads the first layer's h:
        // forward, its weight gradient and the gradient handed down, 3T; the output layer 3T.
        const long perMinibatch = 2 * (3 * T - 1) * gates * H + 3 * T * gates * H + 3 * T * V * H;
        Assert.Equal(perMinibatch / (double)T, TrainingWork.MultiplyAddsPerToken(model, T), 6);
    }

    [Fact]
    public void AnEmbeddingMakesTheFirstInputProductReal()
    {
        const int e = 8;
        using var model = new RNNModel(new ModelConfig(CellKind.Gru, V, H, EmbeddingSize: e));
        // W_ih (3H×e) now multiplies dense vectors: forward, weight gradient and the gradient into the embedding.
        const long perMinibatch = 3 * T * 3 * H * e + (3 * T - 1) * 3 * H * H + 3 * T * V * H;
        Assert.Equal(perMinibatch / (double)T, TrainingWork.MultiplyAddsPerToken(model, T), 6);
    }

    [Fact]
    public void GflopsCountTwoFlopsPerMultiplyAddAndTheLimitIsTheMeanProbeOnEveryCore()
    {
        Assert.Equal(100_000.0 * 2 * 216_000 / 1e9, TrainingWork.Gflops(100_000, 216_000), 9);
        Assert.Equal(150, TrainingWork.LimitGflops(70, 80, 2), 9);
        Assert.Equal(75, TrainingWork.LimitGflops(70, 80, 1), 9);
        using var model = new RNNModel(new ModelConfig(CellKind.Rnn, V, H));
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainingWork.MultiplyAddsPerToken(model, 0));
    }
}

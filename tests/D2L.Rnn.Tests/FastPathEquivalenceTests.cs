using D2L.Rnn.Data;
using D2L.Rnn.Model;
using D2L.Rnn.Prediction;
using D2L.Rnn.Training;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests;

/// <summary>
/// The fast path (<see cref="InputEncoding.Gather"/>) must compute what the reference one-hot path computes:
/// same outputs, states, loss and gradients on the same parameters, and the same training curve.
/// </summary>
public class FastPathEquivalenceTests
{
    private static readonly CharCorpus Corpus = TimeMachine.LoadD2l(maxTokens: 10_000, dataDirectory: TestData.Directory);

    private sealed record Pass(float[] Output, float[] Hidden, float[]? Cell, float Loss, Dictionary<string, float[]> Grads, float[]? GradH0);

    /// <summary>One forward + backward on the given model and inputs; the initial state requires a gradient.</summary>
    private static Pass Run(RNNModel model, InputEncoding encoding, Tensor x, Tensor y, Tensor h0, Tensor? c0)
    {
        using var scope = NewDisposeScope();
        model.InputEncoding = encoding;
        model.zero_grad();
        var h = h0.detach().clone().requires_grad_(true);
        var c = c0?.detach().clone();
        var (output, state) = model.call(x, new RnnState(h, c));
        // Also let the final state reach the loss, so its gradient path is checked too.
        var loss = nn.functional.cross_entropy(output, y.T.reshape(-1)) + state.Hidden.square().mean() * 0.1;
        loss.backward();
        var grads = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.data<float>().ToArray());
        return new Pass(output.data<float>().ToArray(), state.Hidden.data<float>().ToArray(), state.Cell?.data<float>().ToArray(),
            loss.item<float>(), grads, h.grad?.data<float>().ToArray());
    }

    private static void AssertClose(float[] expected, float[] actual, string what, double atol = 2e-5, double rtol = 1e-4) =>
        FloatAssert.Close(expected, actual, what, atol, rtol);

    [Theory]
    [InlineData(CellKind.Rnn, 1)]
    [InlineData(CellKind.Gru, 1)]
    [InlineData(CellKind.Lstm, 1)]
    [InlineData(CellKind.Rnn, 2)]
    [InlineData(CellKind.Lstm, 2)]
    public void SameOutputsStatesLossAndGradientsOnRandomInputs(CellKind kind, int layers)
    {
        manual_seed(123 + (int)kind);
        const int vocab = 28, hiddens = 16, batch = 3, steps = 9;
        using var model = new RNNModel(new ModelConfig(kind, vocab, hiddens, layers));
        using var x = randint(0, vocab, [batch, steps], dtype: int64);
        using var y = randint(0, vocab, [batch, steps], dtype: int64);
        using var h0 = randn(layers, batch, hiddens) * 0.5;
        using var c0 = kind == CellKind.Lstm ? randn(layers, batch, hiddens) * 0.5 : null;

        var reference = Run(model, InputEncoding.OneHot, x, y, h0, c0);
        var fast = Run(model, InputEncoding.Gather, x, y, h0, c0);

        Assert.Equal(reference.Loss, fast.Loss, 1e-5f);
        AssertClose(reference.Output, fast.Output, "output");
        AssertClose(reference.Hidden, fast.Hidden, "hidden");
        if (kind == CellKind.Lstm) AssertClose(reference.Cell!, fast.Cell!, "cell");
        Assert.NotNull(reference.GradH0);
        AssertClose(reference.GradH0!, fast.GradH0!, "grad h0");
        Assert.Equal(reference.Grads.Keys.Order(), fast.Grads.Keys.Order());
        foreach (var (name, g) in reference.Grads)
        {
            Assert.Contains(g, v => v != 0); // every parameter really receives a gradient
            AssertClose(g, fast.Grads[name], "grad " + name);
        }
    }

    [Theory]
    [InlineData(CellKind.Rnn, 1)]
    [InlineData(CellKind.Gru, 1)]
    [InlineData(CellKind.Lstm, 1)]
    [InlineData(CellKind.Gru, 2)]
    public void WithoutAutogradTheGatherLoopsGiveTheSameOutputsAndStates(CellKind kind, int layers)
    {
        // Generation and evaluation run without autograd; there every kind uses the gather + per-step loop.
        manual_seed(77 + (int)kind);
        const int vocab = 28, hiddens = 16, batch = 2, steps = 6;
        using var model = new RNNModel(new ModelConfig(kind, vocab, hiddens, layers));
        using var x = randint(0, vocab, [batch, steps], dtype: int64);
        using var h0 = randn(layers, batch, hiddens) * 0.5;
        using var c0 = kind == CellKind.Lstm ? randn(layers, batch, hiddens) * 0.5 : null;
        (float[] Output, float[] Hidden, float[]? Cell) Eval(InputEncoding encoding)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            model.InputEncoding = encoding;
            var (output, state) = model.call(x, new RnnState(h0.clone(), c0?.clone()));
            return (output.data<float>().ToArray(), state.Hidden.data<float>().ToArray(), state.Cell?.data<float>().ToArray());
        }
        var reference = Eval(InputEncoding.OneHot);
        var fast = Eval(InputEncoding.Gather);
        AssertClose(reference.Output, fast.Output, "output");
        AssertClose(reference.Hidden, fast.Hidden, "hidden");
        if (kind == CellKind.Lstm) AssertClose(reference.Cell!, fast.Cell!, "cell");
    }

    [Fact]
    public void TheGradientOfTheInputWeightIsARowScatterOfTheSameParameter()
    {
        // Tokens that never occur leave their column of weight_ih_l0 without gradient, in both paths.
        manual_seed(5);
        using var model = new RNNModel(new ModelConfig(CellKind.Rnn, 10, 8));
        using var x = tensor(new long[] { 1, 2, 2, 1, 3, 1 }, [2, 3]);
        using var y = tensor(new long[] { 2, 2, 1, 3, 1, 4 }, [2, 3]);
        using var h0 = zeros(1, 2, 8);
        var fast = Run(model, InputEncoding.Gather, x, y, h0, null);
        var reference = Run(model, InputEncoding.OneHot, x, y, h0, null);
        var gW = fast.Grads["_rnn.weight_ih_l0"]; // (hiddens 8, vocab 10), row-major
        for (var row = 0; row < 8; row++)
        foreach (var unused in new[] { 0, 5, 6, 7, 8, 9 })
            Assert.Equal(0f, gW[row * 10 + unused]);
        AssertClose(reference.Grads["_rnn.weight_ih_l0"], gW, "grad weight_ih_l0");
    }

    [Theory]
    [InlineData(CellKind.Rnn)]
    [InlineData(CellKind.Gru)]
    [InlineData(CellKind.Lstm)]
    public void ShortTrainingRunsGiveTheSamePerplexityCurve(CellKind kind)
    {
        var options = new TrainOptions { NumEpochs = 4, LearningRate = 1, ClipTheta = 1, PredictEvery = 0 };
        double[] Curve(InputEncoding encoding, out RNNModel model)
        {
            manual_seed(11);
            model = new RNNModel(new ModelConfig(kind, Corpus.Vocab.Count, 32)) { InputEncoding = encoding };
            var data = new SeqDataLoader(Corpus.Indices, 32, 35, useRandomIter: false, seed: 11);
            return Trainer.Train(model, data, Corpus.Vocab, options).Epochs.Select(e => e.Perplexity).ToArray();
        }

        var reference = Curve(InputEncoding.OneHot, out var m1);
        var fast = Curve(InputEncoding.Gather, out var m2);
        using (m1)
        using (m2)
        {
            Assert.Equal(reference.Length, fast.Length);
            Assert.True(reference[^1] < reference[0], "the reference run should learn something");
            for (var i = 0; i < reference.Length; i++)
                Assert.True(Math.Abs(reference[i] - fast[i]) <= 1e-3 * reference[i],
                    $"epoch {i + 1}: one-hot perplexity {reference[i]} vs gather {fast[i]}");

            // The trained parameters agree, so the two models predict the same text.
            var p1 = m1.parameters().Select(p => p.data<float>().ToArray()).ToList();
            var p2 = m2.parameters().Select(p => p.data<float>().ToArray()).ToList();
            for (var i = 0; i < p1.Count; i++) AssertClose(p1[i], p2[i], $"parameter {i}", atol: 1e-4, rtol: 1e-3);
            Assert.Equal(Predictor.Predict("time traveller", 20, m1, Corpus.Vocab),
                Predictor.Predict("time traveller", 20, m2, Corpus.Vocab));
        }
    }

    [Fact]
    public void TheEncodingIsNotPartOfTheParametersSoCheckpointsStayCompatible()
    {
        manual_seed(3);
        using var a = new RNNModel(new ModelConfig(CellKind.Gru, 28, 16));
        using var b = new RNNModel(new ModelConfig(CellKind.Gru, 28, 16)) { InputEncoding = InputEncoding.Gather };
        Assert.Equal(a.named_parameters().Select(p => (p.name, string.Join(",", p.parameter.shape))),
                     b.named_parameters().Select(p => (p.name, string.Join(",", p.parameter.shape))));
        Assert.Equal(InputEncoding.OneHot, a.InputEncoding);
    }
}

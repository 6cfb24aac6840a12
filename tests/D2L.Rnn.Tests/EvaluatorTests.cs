using D2L.Rnn;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests;

public class EvaluatorTests
{
    [Fact]
    public void EqualsExpOfMeanCrossEntropyComputedIndependently()
    {
        manual_seed(8);
        using var model = new RNNModel(new ModelConfig(CellKind.Lstm, 6, 12));
        int[] text = [1, 2, 3, 4, 5, 0, 1, 2, 2, 3, 5];
        var before = model.parameters().Select(p => p.clone()).ToList();

        // By hand: one pass over tokens 0..n-2, log-softmax, pick the log-probability of each next token.
        using var state = model.BeginState(1);
        using var x = tensor(text[..^1].Select(i => (long)i).ToArray(), [1, text.Length - 1]);
        var (scores, s) = model.call(x, state);
        s.Dispose();
        var logp = nn.functional.log_softmax(scores, 1).to(float64).data<double>().ToArray();
        var nll = 0.0;
        for (var t = 0; t < text.Length - 1; t++) nll -= logp[t * 6 + text[t + 1]];
        var expected = Math.Exp(nll / (text.Length - 1));

        Assert.Equal(expected, Evaluator.Perplexity(model, text), 5);
        Assert.Equal(expected, Evaluator.Perplexity(model, text, chunkSteps: 3), 5);
        // Nothing was updated.
        Assert.All(model.parameters().Zip(before), pair => Assert.True(pair.First.equal(pair.Second).all().item<bool>()));
    }

    [Fact]
    public void BadInputIsNamed()
    {
        using var model = new RNNModel(new ModelConfig(CellKind.Rnn, 4, 4));
        Assert.Equal("indices", Assert.Throws<ArgumentException>(() => Evaluator.Perplexity(model, [1])).ParamName);
        Assert.Equal("indices", Assert.Throws<ArgumentException>(() => Evaluator.Perplexity(model, [1, 9])).ParamName);
    }
}

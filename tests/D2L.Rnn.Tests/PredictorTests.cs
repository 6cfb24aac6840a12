using D2L.Rnn;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests;

public class PredictorTests
{
    private static readonly Vocab Vocab = new("the time traveller".Select(c => c.ToString()));

    private static RNNModel NewModel(int seed)
    {
        manual_seed(seed);
        return new RNNModel(new ModelConfig(CellKind.Rnn, Vocab.Count, 16));
    }

    [Fact]
    public void WarmsUpOnThePrefixThenAppendsArgmaxTokens()
    {
        using var model = NewModel(3);
        var text = Predictor.Predict("time", 5, model, Vocab);
        Assert.Equal(9, text.Length);
        Assert.StartsWith("time", text);

        // The same by hand: run the whole prefix at once, then one token at a time.
        using var state0 = model.BeginState(1);
        using var prefix = tensor(Vocab.ToIndices("time".Select(c => c.ToString())).Select(i => (long)i).ToArray(), [1, 4]);
        var (scores, state) = model.call(prefix, state0);
        var expected = "time";
        var next = scores[-1].argmax().item<long>();
        for (var i = 0; i < 5; i++)
        {
            expected += Vocab.ToToken((int)next);
            using var x = tensor(new[] { next }, [1, 1]);
            var (y, s) = model.call(x, state);
            state.Dispose();
            state = s;
            next = y.argmax(1).item<long>();
        }
        state.Dispose();
        Assert.Equal(expected, text);
    }

    [Fact]
    public void ZeroPredictionsReturnThePrefix()
    {
        using var model = NewModel(4);
        Assert.Equal("the", Predictor.Predict("the", 0, model, Vocab));
    }

    [Fact]
    public void SamplingIsRepeatableUnderASeedAndNearArgmaxWhenCold()
    {
        using var model = NewModel(5);
        var a = Predictor.Sample("the", 40, model, Vocab, temperature: 1.0, seed: 11);
        var b = Predictor.Sample("the", 40, model, Vocab, temperature: 1.0, seed: 11);
        Assert.Equal(a, b);
        Assert.StartsWith("the", a);
        Assert.NotEqual(a, Predictor.Sample("the", 40, model, Vocab, temperature: 1.0, seed: 12));
        Assert.Equal(Predictor.Predict("the", 40, model, Vocab), Predictor.Sample("the", 40, model, Vocab, temperature: 1e-4, seed: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Predictor.Sample("the", 1, model, Vocab, temperature: 0));
    }

    [Fact]
    public void UnknownPrefixCharactersAreUnkOrAClearError()
    {
        using var model = NewModel(6);
        // This vocabulary has <unk>: 'z' is read as <unk>, as in d2l.
        Assert.StartsWith("zeta", Predictor.Predict("zeta", 3, model, Vocab));

        var lecture = new Vocab("abc ".Select(c => c.ToString()), withUnknown: false);
        using var lectureModel = new RNNModel(new ModelConfig(CellKind.Rnn, lecture.Count, 8));
        var e = Assert.Throws<ArgumentException>(() => Predictor.Predict("abQz", 3, lectureModel, lecture));
        Assert.Equal("prefix", e.ParamName);
        Assert.Contains("'Q', 'z'", e.Message);
        Assert.Contains("This vocabulary has no <unk> to read them as: remove them, or use a LanguageModel", e.Message);
        Assert.Equal("prefix", Assert.Throws<ArgumentException>(() => Predictor.Predict("", 3, lectureModel, lecture)).ParamName);
    }
}

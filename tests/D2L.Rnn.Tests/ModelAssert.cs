using static TorchSharp.torch;

namespace D2L.Rnn.Tests;

/// <summary>Comparisons of two models that should compute exactly the same thing (a model and its reloaded copy).</summary>
public static class ModelAssert
{
    /// <summary>On the same random (2, 9) input from a zero state: identical outputs and identical hidden states (and, for an
    /// LSTM, memory cells).</summary>
    public static void SameOutputsAndStates(RNNModel expected, RNNModel actual, int vocabSize)
    {
        using var scope = NewDisposeScope();
        var x = randint(0, vocabSize, [2, 9], dtype: int64);
        var (a, sa) = expected.call(x, expected.BeginState(2));
        var (b, sb) = actual.call(x, actual.BeginState(2));
        Assert.True(a.equal(b).all().item<bool>());
        Assert.True(sa.Hidden.equal(sb.Hidden).all().item<bool>());
        Assert.Equal(sa.Cell is null, sb.Cell is null);
        if (sa.Cell is not null) Assert.True(sa.Cell.equal(sb.Cell!).all().item<bool>(), "the memory cells differ");
    }
}

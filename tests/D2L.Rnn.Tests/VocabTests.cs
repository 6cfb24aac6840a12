using D2L.Rnn;

namespace D2L.Rnn.Tests;

public class VocabTests
{
    [Fact]
    public void OrdersByDescendingFrequencyWithTiesInFirstSeenOrder()
    {
        // counts: b 3, a 2, c 2, d 1 ; a is seen before c.
        var vocab = new Vocab("babcacbd".Select(c => c.ToString()));
        Assert.Equal(["<unk>", "b", "a", "c", "d"], vocab.IdxToToken);
        Assert.Equal(0, vocab["<unk>"]);
        Assert.Equal(1, vocab["b"]);
        Assert.Equal(0, vocab["z"]); // unknown -> <unk>
        Assert.Equal("c", vocab.ToToken(3));
        Assert.Equal([2, 1, 4], vocab.ToIndices(["a", "b", "d"]));
        Assert.Equal(["d", "a"], vocab.ToTokens([4, 2]));
    }

    [Fact]
    public void ReservedTokensFollowUnknownAndMinFreqDropsRareTokens()
    {
        var vocab = new Vocab("aaabbc".Select(c => c.ToString()), minFreq: 2, reservedTokens: ["<pad>", "<bos>"]);
        Assert.Equal(["<unk>", "<pad>", "<bos>", "a", "b"], vocab.IdxToToken);
        Assert.Equal(0, vocab["c"]);
        Assert.Equal(3, vocab.TokenFrequencies[0].Value);
    }

    [Fact]
    public void WithoutUnknownTheMostFrequentTokenIsIndexZeroAndUnknownTokensAreAnError()
    {
        var vocab = new Vocab("xyy".Select(c => c.ToString()), withUnknown: false);
        Assert.Equal(["y", "x"], vocab.IdxToToken);
        Assert.False(vocab.HasUnknown);
        var e = Assert.Throws<ArgumentException>(() => vocab["q"]);
        Assert.Contains("'q'", e.Message);
    }

    [Fact]
    public void RoundTripsThroughIndexOrder()
    {
        var vocab = new Vocab("hello world".Select(c => c.ToString()));
        var copy = Vocab.FromIndexOrder(vocab.IdxToToken);
        Assert.Equal(vocab.IdxToToken, copy.IdxToToken);
        Assert.Equal(vocab["o"], copy["o"]);
        Assert.Throws<ArgumentOutOfRangeException>(() => vocab.ToToken(vocab.Count));
    }
}

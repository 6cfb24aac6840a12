using static TorchSharp.torch;

namespace D2L.Rnn.Tests.PyTorch;

/// <summary>The scores behind a greedy prediction, to check that exact text equality is a fair demand.</summary>
public static class PredictionScores
{
    /// <summary>
    /// The model's scores at each predicted step of <paramref name="text"/> (its prefix then the prediction), shaped
    /// (predicted characters, vocab). The model reads the text one character at a time from the zero state, the state
    /// carried from call to call: a greedy prediction feeds back exactly these characters, so these are the scores
    /// it chose by. (A one-directional model gives the same reading the text in one call; a bidirectional one does not,
    /// its reverse direction then reading the characters after each step.)
    /// </summary>
    public static Tensor Along(RNNModel model, Vocab vocab, string text, int prefixLength)
    {
        using var scope = NewDisposeScope();
        var state = model.BeginState(1);
        var rows = new List<Tensor>();
        foreach (var c in text[..^1])
        {
            var (scores, next) = model.call(tensor(new[] { (long)vocab[c.ToString()] }, [1, 1]), state);
            rows.Add(scores.detach());
            state = next.Detach();
        }
        // Row t scores the character after text[t]; the first prediction follows the prefix's last character.
        return cat(rows, 0)[(prefixLength - 1)..].MoveToOuterDisposeScope();
    }

    /// <summary>The smallest gap between the best and the second-best score over the steps (rows).</summary>
    public static double SmallestTopTwoGap(Tensor scores)
    {
        using var scope = NewDisposeScope();
        var top = scores.topk(2, dim: 1).values;
        return (top[.., 0] - top[.., 1]).min().to(float64).item<double>();
    }
}

using static TorchSharp.torch;

namespace D2L.Rnn.Tests.PyTorch;

/// <summary>The scores behind a greedy prediction, to check that exact text equality is a fair demand.</summary>
public static class PredictionScores
{
    /// <summary>
    /// The model's scores at each predicted step of <paramref name="text"/> (its prefix then the prediction), shaped
    /// (predicted characters, vocab). The model reads the text one sequence from the zero state: a greedy prediction
    /// feeds back exactly these characters, so these are the scores it chose by.
    /// </summary>
    public static Tensor Along(RNNModel model, Vocab vocab, string text, int prefixLength)
    {
        using var scope = NewDisposeScope();
        var indices = text[..^1].Select(c => (long)vocab[c.ToString()]).ToArray();
        var (scores, state) = model.call(tensor(indices, [1, indices.Length]), model.BeginState(1));
        state.Dispose();
        // Row t scores the character after text[t]; the first prediction follows the prefix's last character.
        return scores.detach()[(prefixLength - 1)..].MoveToOuterDisposeScope();
    }

    /// <summary>The smallest gap between the best and the second-best score over the steps (rows).</summary>
    public static double SmallestTopTwoGap(Tensor scores)
    {
        using var scope = NewDisposeScope();
        var top = scores.topk(2, dim: 1).values;
        return (top[.., 0] - top[.., 1]).min().to(float64).item<double>();
    }
}

using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>The language model's loss, for a training loop of your own.</summary>
public static class Loss
{
    /// <summary>
    /// Mean cross-entropy of <paramref name="scores"/> (steps × batch, vocab), as <see cref="RNNModel"/> returns them
    /// (time-major: row t·batch + b), against <paramref name="y"/> (batch, steps), as <see cref="SeqDataLoader"/> gives
    /// it: the labels are put in the scores' time-major order here (d2l's <c>y.T.reshape(-1)</c>), so that they cannot
    /// silently be read in the wrong order.
    /// </summary>
    /// <exception cref="ArgumentException">The labels are not (batch, steps), or do not match the scores' rows.</exception>
    public static Tensor CrossEntropy(Tensor scores, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(y);
        if (y.dim() != 2)
            throw new ArgumentException(
                $"The labels must be (batch, steps) as the loader gives them, not ({string.Join(", ", y.shape)}): pass y itself, not y.T.reshape(-1).", nameof(y));
        if (scores.dim() != 2 || scores.shape[0] != y.numel())
            throw new ArgumentException(
                $"The scores ({string.Join(", ", scores.shape)}) need one row per label of y ({y.shape[0]} × {y.shape[1]} = {y.numel()}): " +
                "pass the model's output for the same minibatch.", nameof(scores));
        return nn.functional.cross_entropy(scores, y.t().reshape(-1).to(int64));
    }

    /// <summary>
    /// Perplexity, exp of the mean cross-entropy per predicted token: exp(Σ loss·tokens / Σ tokens), from a sum of
    /// per-minibatch mean losses weighted by their tokens (d2l's <c>math.exp(metric[0] / metric[1])</c>).
    /// </summary>
    public static double ToPerplexity(double lossTimesTokens, long tokens) =>
        tokens > 0 ? Math.Exp(lossTimesTokens / tokens)
                   : throw new ArgumentOutOfRangeException(nameof(tokens), tokens, "No tokens were scored.");
}

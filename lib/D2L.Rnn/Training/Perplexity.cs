namespace D2L.Rnn;

/// <summary>Perplexity: exp of the mean cross-entropy per predicted token.</summary>
public static class Perplexity
{
    /// <summary>exp(Σ loss·tokens / Σ tokens), from a sum of per-minibatch mean losses weighted by their tokens.</summary>
    public static double FromLossSum(double lossTimesTokens, long tokens) =>
        tokens > 0 ? Math.Exp(lossTimesTokens / tokens)
                   : throw new ArgumentOutOfRangeException(nameof(tokens), tokens, "No tokens were scored.");
}

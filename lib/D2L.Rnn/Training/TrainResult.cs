namespace D2L.Rnn;

/// <summary>The outcome of <see cref="Trainer.Train"/>.</summary>
/// <param name="Epochs">One report per finished epoch.</param>
/// <param name="Cancelled">Whether training stopped early on request (at a minibatch boundary).</param>
public sealed record TrainResult(IReadOnlyList<EpochReport> Epochs, bool Cancelled)
{
    /// <summary>Perplexity of the last finished epoch (NaN if none finished).</summary>
    public double FinalPerplexity => Epochs.Count > 0 ? Epochs[^1].Perplexity : double.NaN;

    /// <summary>Tokens per second over all finished epochs.</summary>
    public double TokensPerSecond
    {
        get
        {
            var seconds = Epochs.Sum(e => e.Seconds);
            return seconds > 0 ? Epochs.Sum(e => e.Tokens) / seconds : 0;
        }
    }

    /// <summary>Mean seconds per epoch.</summary>
    public double SecondsPerEpoch => Epochs.Count > 0 ? Epochs.Average(e => e.Seconds) : double.NaN;

    /// <summary>d2l's closing line: <c>perplexity P, T tokens/sec</c>.</summary>
    public override string ToString() => $"perplexity {FinalPerplexity:F1}, {TokensPerSecond:F1} tokens/sec";
}

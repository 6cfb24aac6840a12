namespace D2L.Rnn;

/// <summary>What one epoch of training did: sent to the progress callback after every epoch.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="NumEpochs">Epochs planned.</param>
/// <param name="Perplexity">exp(mean cross-entropy) over the epoch's tokens.</param>
/// <param name="Seconds">Wall time of the epoch (without predictions and validation).</param>
/// <param name="Tokens">Tokens predicted in the epoch.</param>
/// <param name="Predictions">Prefix → predicted text, on prediction epochs; else empty.</param>
public sealed record EpochReport(int Epoch, int NumEpochs, double Perplexity, double Seconds, long Tokens,
    IReadOnlyDictionary<string, string> Predictions)
{
    /// <summary>Perplexity of the held-out validation tokens after this epoch (<see cref="Evaluator.Perplexity"/>), or
    /// null when the epoch was not validated.</summary>
    public double? ValidationPerplexity { get; init; }

    /// <summary>The global L2 norm of the gradients of every minibatch, before clipping, in order; empty unless
    /// <see cref="TrainOptions.RecordGradientNorms"/> is set.</summary>
    public IReadOnlyList<double> GradientNorms { get; init; } = [];

    /// <summary>Training speed in tokens per second.</summary>
    public double TokensPerSecond => Seconds > 0 ? Tokens / Seconds : 0;

    /// <summary>The lecture's progress line: <c>epoch N, perplexity P, time T sec</c>.</summary>
    public override string ToString() => $"epoch {Epoch}, perplexity {Perplexity:F6}, time {Seconds:F2} sec";
}

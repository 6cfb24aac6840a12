namespace D2L.Rnn;

/// <summary>The outcome of <see cref="Trainer.Train"/>.</summary>
/// <param name="Epochs">One report per finished epoch.</param>
/// <param name="Cancelled">Whether training stopped early on request (at a minibatch boundary).</param>
public sealed record TrainResult(IReadOnlyList<EpochReport> Epochs, bool Cancelled)
{
    /// <summary>Which training step computed the gradients.</summary>
    public TrainingPath Path { get; init; }

    /// <summary>Why the fast path was not taken although <see cref="TrainOptions.UseFastPath"/> asked for it; null when
    /// it ran or was not asked for.</summary>
    public string? FastPathDeclined { get; init; }

    /// <summary>Where the model trained (<c>cpu</c>, <c>cuda:0</c>).</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>With <see cref="TrainOptions.KeepBestWeights"/>: the epoch whose weights the model holds now (the lowest
    /// validation perplexity); null otherwise.</summary>
    public int? BestEpoch { get; init; }

    /// <summary>Whether training stopped before <see cref="TrainOptions.NumEpochs"/> because validation stopped improving.</summary>
    public bool StoppedEarly { get; init; }

    /// <summary>Where the run checkpoint (<see cref="TrainOptions.RunCheckpoint"/>) this run continued from stood; null when
    /// it started afresh. The epochs before it are in <see cref="Epochs"/> too (<see cref="EpochReport.FromRunCheckpoint"/>).</summary>
    public RunPosition? ContinuedFrom { get; init; }

    /// <summary>Perplexity of the last finished epoch (NaN if none finished).</summary>
    public double FinalPerplexity => Epochs.Count > 0 ? Epochs[^1].Perplexity : double.NaN;

    /// <summary>The lowest validation perplexity of the run (NaN if nothing was validated).</summary>
    public double BestValidationPerplexity =>
        Epochs.Where(e => e.ValidationPerplexity is not null).Select(e => e.ValidationPerplexity!.Value).DefaultIfEmpty(double.NaN).Min();

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

    /// <summary>d2l's closing line, <c>perplexity P, T tokens/sec on cpu</c>, and the path: <c>(fast path)</c>; a continued
    /// run adds where it continued from: <c>, continued from epoch 4, minibatch 20</c>.</summary>
    public override string ToString() =>
        $"perplexity {FinalPerplexity:F1}, {TokensPerSecond:F1} tokens/sec on {Device} " +
        $"({(Path == TrainingPath.Fast ? "fast" : "reference")} path{(FastPathDeclined is { } why ? $": {why}" : "")})" +
        (ContinuedFrom is { } from ? $", continued from {from}" : "");
}

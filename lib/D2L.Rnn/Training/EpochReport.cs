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

    /// <summary>The optimizer's learning rate during this epoch (a schedule changes it between epochs).</summary>
    public double LearningRate { get; init; }

    /// <summary>Which training step computed the gradients.</summary>
    public TrainingPath Path { get; init; }

    /// <summary>Whether this epoch was read back from the run checkpoint a continued run started from (and sent to the
    /// callback again before training went on), rather than trained in this call.</summary>
    public bool FromRunCheckpoint { get; init; }

    /// <summary>On the first epoch a continued run trained: where its run checkpoint stood; else null.</summary>
    public RunPosition? ContinuedFrom { get; init; }

    /// <summary>Training speed in tokens per second.</summary>
    public double TokensPerSecond => Seconds > 0 ? Tokens / Seconds : 0;

    /// <summary>
    /// The lecture's progress line, <c>epoch N, perplexity P, time T sec</c>, with the validation perplexity when there
    /// is one and the path that trained: <c>epoch 3, perplexity 5.366000, validation 6.094000, time 4.02 sec, fast path</c>;
    /// a continued run adds <c>, from the run checkpoint</c> to the epochs read back and <c>, continued from epoch 4,
    /// minibatch 20</c> to the first one it trained.
    /// </summary>
    public override string ToString() =>
        $"epoch {Epoch}, perplexity {Perplexity:F6}{(ValidationPerplexity is { } v ? $", validation {v:F6}" : "")}, time {Seconds:F2} sec, " +
        $"{(Path == TrainingPath.Fast ? "fast" : "reference")} path" +
        (FromRunCheckpoint ? ", from the run checkpoint" : "") + (ContinuedFrom is { } from ? $", continued from {from}" : "");
}

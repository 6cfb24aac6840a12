namespace D2L.Rnn;

/// <summary>
/// Where and how often <see cref="Trainer.Train"/> (and <see cref="NGramTrainer.Train"/>) keep a run checkpoint: all that
/// is needed to continue the run where it stopped — the weights, the optimizer's state (Adam's moments and step counts),
/// the schedule, the epoch and minibatch, where the loader stands and its random state, the carried hidden state, the
/// best weights and the reports so far. It is written at the end of every epoch (and every
/// <see cref="EveryMinibatches"/> minibatches, and when the run is cancelled), atomically; the one before is kept as
/// <c>Path + ".bak"</c>. When the file exists, the run continues from it instead of starting afresh: with the same model,
/// data and options it ends with the same weights and reports as a run that was never interrupted (bit for bit on the
/// same path and number of <see cref="TrainOptions.Threads"/>). A damaged file, or one of another run, is a
/// <see cref="CheckpointException"/> that says which; delete the file to start afresh.
/// </summary>
/// <param name="Path">The file (its folder is created). One file per run: a run of other settings is refused.</param>
public sealed record RunCheckpointOptions(string Path)
{
    /// <summary>Also write it every this many minibatches within an epoch (0: at the end of every epoch only).</summary>
    public int EveryMinibatches { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first bad value.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path)) throw new ArgumentException("RunCheckpoint.Path needs a file name.", nameof(Path));
        if (EveryMinibatches < 0)
            throw new ArgumentOutOfRangeException(nameof(EveryMinibatches), EveryMinibatches, "EveryMinibatches must be 0 (end of every epoch only) or more.");
    }
}

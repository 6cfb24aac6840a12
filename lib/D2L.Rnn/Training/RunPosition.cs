namespace D2L.Rnn;

/// <summary>Where a run stood when its run checkpoint was written: the epochs it had finished and the minibatches of the
/// next one it had trained.</summary>
/// <param name="FinishedEpochs">Epochs finished (reported).</param>
/// <param name="Minibatches">Minibatches of epoch <paramref name="FinishedEpochs"/> + 1 already trained.</param>
public sealed record RunPosition(int FinishedEpochs, int Minibatches)
{
    /// <summary>"the end of epoch 3", "epoch 4, minibatch 20" or "the start of the run".</summary>
    public override string ToString() =>
        Minibatches > 0 ? $"epoch {FinishedEpochs + 1}, minibatch {Minibatches}"
        : FinishedEpochs > 0 ? $"the end of epoch {FinishedEpochs}"
        : "the start of the run";
}

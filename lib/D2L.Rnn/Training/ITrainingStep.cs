using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>One minibatch of <see cref="Trainer.Train"/>, split where d2l checks the loss: gradients, then the update.</summary>
internal interface ITrainingStep : IDisposable
{
    /// <summary>Which path this step is.</summary>
    TrainingPath Path { get; }

    /// <summary>
    /// Forward and backward on (x, y), both (batch, steps) int64 on the model's device. The state starts at zero when
    /// <paramref name="freshState"/>, else carries the previous minibatch's values (gradients stop at the boundary).
    /// Returns the mean cross-entropy. The gradients are in the parameters' <c>grad</c> when <see cref="Update"/> clips
    /// them (the fast path sums its shards' there).
    /// </summary>
    float ComputeGradients(Tensor x, Tensor y, bool freshState);

    /// <summary>Clips the gradients on their joint norm and takes the optimizer's step; returns the norm before clipping.</summary>
    double Update();

    /// <summary>The model's weights were put back (the last finished epoch's, or the best ones): refresh whatever the
    /// step derived from them, so that training can go on from the restored weights.</summary>
    void WeightsRestored();

    /// <summary>A copy of the state the next minibatch continues from (sequential sampling), for a run checkpoint; the
    /// caller disposes it. Null when there is none yet or the step keeps none.</summary>
    RnnState? CopyCarriedState();

    /// <summary>Puts back a state from <see cref="CopyCarriedState"/> (of a run checkpoint): the next minibatch continues
    /// from it unless it starts fresh.</summary>
    void RestoreCarriedState(RnnState state);
}

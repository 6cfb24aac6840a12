using static TorchSharp.torch;

namespace D2L.Rnn.FastPath;

/// <summary>
/// The hand-written forward and backward pass of one cell kind over a slice of the minibatch's sequences (a shard),
/// with its buffers and its own gradient buffer. <see cref="FusedTraining"/> runs one per core.
/// </summary>
internal interface IFusedShard : IDisposable
{
    /// <summary>This shard's gradients, one flat buffer (<see cref="FusedGradients"/>), overwritten by every step.</summary>
    FusedGradients Gradients { get; }

    /// <summary>
    /// Forward and backward for this shard. <paramref name="x"/> and <paramref name="y"/> are (batch, steps) int64.
    /// The state starts at zero, or with <paramref name="continueState"/> from where this shard's previous step ended
    /// (values only: gradients stop at the minibatch boundary). <paramref name="tokensInMinibatch"/> is N, the mean's
    /// divisor. Returns the shard's summed loss (a scalar tensor) and fills <see cref="Gradients"/>. Call with
    /// autograd off.
    /// </summary>
    Tensor Step(Tensor x, Tensor y, bool continueState, long tokensInMinibatch);
}

using static TorchSharp.torch;

namespace D2L.Rnn.FastPath;

/// <summary>
/// The dense output layer and the loss of a shard, forward and backward, for every cell kind:
/// <code>
///   oₜ = hₜ W_outᵀ + b_out      loss = Σ over the shard's tokens of −log softmax(oₜ)[yₜ], divided by N later
///   ∂o = (softmax(o) − onehot(y)) / N      ∂hₜ = ∂oₜ W_out      ∂W_out = Σₜ ∂oₜᵀ hₜ      ∂b_out = Σₜ ∂oₜ
/// </code>
/// where N is the whole minibatch's token count, so that the shards' gradients add up to the mean's.
/// </summary>
internal sealed class FastOutput : IDisposable
{
    private readonly FastParameters _p;
    private readonly Tensor _minusOne; // (1, rows) of −1: subtracts onehot(y) from softmax

    /// <summary>For <paramref name="rows"/> = steps · batch outputs per step of training.</summary>
    public FastOutput(FastParameters parameters, long rows)
    {
        _p = parameters;
        var device = parameters.WeightOut.device;
        _minusOne = full([1, rows], -1f, device: device).DetachFromDisposeScope();
        Ones = ones([rows], device: device).DetachFromDisposeScope();
    }

    /// <summary>(rows) of 1: the layers' column sums as matrix-vector products, faster than sum(0) on their shapes
    /// (docs/performance.md); ∂b_out, a row sum, takes it too, at about the speed of sum(1).</summary>
    public Tensor Ones { get; }

    /// <summary>
    /// Loss and output gradients for the outputs <paramref name="hOut"/> (rows, H), time-major, with targets
    /// <paramref name="yIndex"/> (rows). Writes ∂loss/∂h into <paramref name="dh"/> (rows, H), ∂W_out and ∂b_out into
    /// <paramref name="grads"/>; returns the summed loss (a scalar tensor in the caller's dispose scope).
    /// </summary>
    public Tensor LossAndBackward(Tensor hOut, Tensor yIndex, Tensor dh, FastGradients grads, long tokensInMinibatch)
    {
        var p = _p;
        // Vocabulary-major: scoresᵀ = W_out hᵀ + b_out is (vocab, rows). This layout computes the product and the
        // softmax over 28 scores faster than (rows, vocab) (docs/performance.md).
        var yRow = yIndex.unsqueeze(0);
        var logProbs = addmm(p.BiasOutColumn, p.WeightOut, hOut.t(), 1, 1).log_softmax(0);
        var lossSum = logProbs.gather(0, yRow).sum().neg_();

        // ∂scores = (softmax − onehot(y)) / N, in place of the log-probabilities.
        var dScores = logProbs.exp_();
        dScores.scatter_add_(0, yRow, _minusOne);
        dScores.div_(tokensInMinibatch);
        grads.WeightOut.addmm_(dScores, hOut, 0, 1);
        grads.BiasOut.copy_(dScores.mv(Ones));
        dh.addmm_(dScores.t(), p.WeightOut, 0, 1);
        return lossSum;
    }

    public void Dispose()
    {
        _minusOne.Dispose();
        Ones.Dispose();
    }
}

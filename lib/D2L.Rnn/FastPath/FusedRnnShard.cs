using static TorchSharp.torch;

namespace D2L.Rnn.FastPath;

/// <summary>
/// The forward and backward pass of a one-layer RNN (tanh or ReLU) with its dense output, written out by hand for a
/// slice of the minibatch's sequences (a shard). Same mathematics as autograd through <see cref="RNNModel"/>:
/// <code>
///   forward   hₜ = f(zₜ), zₜ = W_ih[:, xₜ] + b_ih + b_hh + hₜ₋₁ W_hhᵀ      oₜ = hₜ W_outᵀ + b_out
///   loss      Σ over the shard's tokens of −log softmax(oₜ)[yₜ], divided by the whole minibatch's token count N
///   backward  ∂o = (softmax(o) − onehot(y)) / N     ∂hₜ = ∂oₜ W_out + ∂zₜ₊₁ W_hh     ∂zₜ = ∂hₜ ⊙ f′(zₜ)
///             f′ = 1 − hₜ² for tanh, [hₜ &gt; 0] for ReLU
///             ∂W_hh = Σₜ ∂zₜᵀ hₜ₋₁ (one matrix product over all steps)   ∂W_ih[:, v] = Σ_{xₜ = v} ∂zₜ
/// </code>
/// All buffers are allocated once; a step runs about four TorchSharp calls per time step, in place.
/// Gradients stop at the minibatch boundary, as d2l's detached state.
/// </summary>
internal sealed class FusedRnnShard : FusedShard
{
    private static readonly Tensor Half = tensor(0.5f).DetachFromDisposeScope();
    private readonly Tensor _g;       // (steps, batch, hiddens): ∂hₜ, then ∂zₜ in place
    private readonly Tensor _dAct;    // (steps, batch, hiddens): f′(zₜ)
    private readonly Tensor[] _gAt;   // views _g[t]
    private readonly Tensor[] _dAt;   // views _dAct[t]
    private readonly Tensor _gFlat;

    /// <summary>Buffers for <paramref name="batch"/> sequences of <paramref name="steps"/> steps.</summary>
    public FusedRnnShard(FusedParameters parameters, int batch, int steps) : base(parameters, batch, steps)
    {
        var hiddens = _hiddens;
        using var scope = NewDisposeScope(); // frees the intermediate views; the buffers are kept below
        _g = StepBuffer(steps, hiddens);
        _dAct = StepBuffer(steps, hiddens);
        _gAt = _kept.PerStep(_g, steps, v => v);
        _dAt = _kept.PerStep(_dAct, steps, v => v);
        _gFlat = _kept.Keep(_g.view(-1, hiddens));
    }

    public override Tensor Step(Tensor x, Tensor y, bool continueState, long tokensInMinibatch)
    {
        var p = _p;
        var steps = _steps;
        // Time-major indices: row t·batch + b.
        var xIndex = x.t().reshape(-1);
        var yIndex = y.t().reshape(-1);

        // h₀ first: it is the previous minibatch's h_T, which lives in the same buffer as the steps below.
        var relu = p.Nonlinearity == Nonlinearity.ReLU;
        if (!continueState) _hAt[0].fill_(relu ? 0f : 0.5f);
        else if (relu) _hAt[0].copy_(_hAt[steps]);
        else _hAt[0].copy_(_hAt[steps]).add_(One).mul_(Half); // s₀ = (h₀ + 1) / 2, see below
        // The input term of every step is a row of the input table, gathered for all steps at once.
        _hOut.copy_(p.InputTable.index_select(0, xIndex));
        if (relu)
        {
            for (var t = 1; t <= steps; t++)
                _hAt[t].addmm_(_hAt[t - 1], p.WeightHhT, 1, 1).relu_();
        }
        else
        {
            // tanh runs on sₜ = σ(2zₜ), because tanh(z) = 2σ(2z) − 1 and libtorch's sigmoid is about three times
            // faster than its tanh here. With hₜ₋₁ = 2sₜ₋₁ − 1:  2zₜ = 2(W_ih[:, xₜ] + b − W_hh·1) + 4 sₜ₋₁ W_hhᵀ.
            for (var t = 1; t <= steps; t++)
                _hAt[t].addmm_(_hAt[t - 1], p.WeightHhT, 1, 4).sigmoid_();
            _h.mul_(Two).sub_(One); // back to hₜ = 2sₜ − 1, all steps at once
        }

        var grads = Gradients;
        var lossSum = _output.LossAndBackward(_hOut, yIndex, _gFlat, grads, tokensInMinibatch);

        // Back through time: ∂zₜ = ∂hₜ ⊙ f′(zₜ); ∂hₜ₋₁ += ∂zₜ W_hh.
        var dAct = _dAct.view(-1, p.Hiddens);
        if (p.Nonlinearity == Nonlinearity.ReLU) dAct.copy_(_hOut).sign_(); // hₜ ≥ 0: sign is [hₜ > 0]
        else dAct.fill_(1).addcmul_(_hOut, _hOut, -1);
        for (var t = steps; t >= 1; t--)
        {
            var dz = _gAt[t - 1].mul_(_dAt[t - 1]);
            if (t > 1) _gAt[t - 2].addmm_(dz, p.WeightHh);
        }

        // Weight gradients of all steps at once.
        grads.WeightHh.addmm_(_gFlat.t(), _hIn, 0, 1);
        grads.BiasIh.copy_(_gFlat.t().mv(_output.Ones)); // column sums as a product: far faster than sum(0) here
        grads.BiasHh.copy_(grads.BiasIh);
        grads.WeightIhT.zero_().index_add_(0, xIndex, _gFlat, 1);
        return lossSum;
    }
}

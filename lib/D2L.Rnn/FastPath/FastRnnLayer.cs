using static TorchSharp.torch;

namespace D2L.Rnn.FastPath;

/// <summary>
/// The forward and backward pass of an RNN layer (tanh or ReLU), written out by hand for a slice of the minibatch's
/// sequences (a shard). Same mathematics as autograd through <see cref="RNNModel"/>, with xₜ the one-hot token (first
/// layer) or the hidden state of the layer below:
/// <code>
///   forward   hₜ = f(zₜ), zₜ = xₜ W_ihᵀ + b_ih + b_hh + hₜ₋₁ W_hhᵀ
///   backward  ∂hₜ = (from above) + ∂zₜ₊₁ W_hh     ∂zₜ = ∂hₜ ⊙ f′(zₜ)     f′ = 1 − hₜ² for tanh, [hₜ &gt; 0] for ReLU
///             ∂W_hh = Σₜ ∂zₜᵀ hₜ₋₁ (one matrix product over all steps)   ∂W_ih = Σₜ ∂zₜᵀ xₜ   ∂xₜ = ∂zₜ W_ih
/// </code>
/// All buffers are allocated once; a step runs about four TorchSharp calls per time step, in place.
/// Gradients stop at the minibatch boundary, as d2l's detached state.
/// </summary>
internal sealed class FastRnnLayer : FastLayer
{
    private static readonly Tensor Half = tensor(0.5f, device: CPU).DetachFromDisposeScope();
    private readonly Tensor _g;       // (steps, batch, hiddens): ∂hₜ, then ∂zₜ in place
    private readonly Tensor _dAct;    // (steps, batch, hiddens): f′(zₜ)
    private readonly Tensor[] _gAt;   // views _g[t]
    private readonly Tensor[] _dAt;   // views _dAct[t]
    private readonly Tensor _gFlat;

    /// <summary>Buffers for <paramref name="batch"/> sequences of <paramref name="steps"/> steps.</summary>
    public FastRnnLayer(FastLayerParameters parameters, int batch, int steps, Tensor ones) : base(parameters, batch, steps, ones)
    {
        var hiddens = _hiddens;
        using var scope = NewDisposeScope(); // frees the intermediate views; the buffers are kept below
        _g = StepBuffer(steps, hiddens);
        _dAct = StepBuffer(steps, hiddens);
        _gAt = _kept.PerStep(_g, steps, v => v);
        _dAt = _kept.PerStep(_dAct, steps, v => v);
        _gFlat = _kept.Keep(_g.view(-1, hiddens));
    }

    public override Tensor OutputGradient => _gFlat;

    private bool Relu => _p.Nonlinearity == Nonlinearity.ReLU;

    public override void Forward(Tensor xIndex, Tensor? input, bool continueState)
    {
        var (p, steps) = (_p, _steps);
        // h₀ first: it is the previous minibatch's h_T, which lives in the same buffer as the steps below.
        if (!continueState) _hAt[0].fill_(Relu ? 0f : 0.5f);
        else if (Relu) _hAt[0].copy_(_hAt[steps]);
        else _hAt[0].copy_(_hAt[steps]).add_(One).mul_(Half); // s₀ = (h₀ + 1) / 2, see below
        // The input terms of all steps at once.
        p.FillInputTerms(_hOut, xIndex, input);
        if (Relu)
        {
            for (var t = 1; t <= steps; t++)
                _hAt[t].addmm_(_hAt[t - 1], p.WeightHhT, 1, 1).relu_();
        }
        else
        {
            // tanh runs on sₜ = σ(2zₜ), because tanh(z) = 2σ(2z) − 1 and libtorch's sigmoid is much faster than its
            // tanh on these shapes (docs/performance.md). With hₜ₋₁ = 2sₜ₋₁ − 1:
            // 2zₜ = 2(xₜ W_ihᵀ + b − W_hh·1) + 4 sₜ₋₁ W_hhᵀ.
            for (var t = 1; t <= steps; t++)
                _hAt[t].addmm_(_hAt[t - 1], p.WeightHhT, 1, 4).sigmoid_();
            _h.mul_(Two).sub_(One); // back to hₜ = 2sₜ − 1, all steps at once
        }
    }

    public override void Backward(Tensor xIndex, Tensor? input, Tensor? inputGradient, FastLayerGradients grads)
    {
        var p = _p;
        // Back through time: ∂zₜ = ∂hₜ ⊙ f′(zₜ); ∂hₜ₋₁ += ∂zₜ W_hh.
        var dAct = _dAct.view(-1, p.Hiddens);
        if (Relu) dAct.copy_(_hOut).sign_(); // hₜ ≥ 0: sign is [hₜ > 0]
        else dAct.fill_(1).addcmul_(_hOut, _hOut, -1);
        for (var t = _steps; t >= 1; t--)
        {
            var dz = _gAt[t - 1].mul_(_dAt[t - 1]);
            if (t > 1) _gAt[t - 2].addmm_(dz, p.WeightHh);
        }

        // Weight gradients of all steps at once.
        grads.WeightHh.addmm_(_gFlat.t(), _hIn, 0, 1);
        grads.BiasIh.copy_(_gFlat.t().mv(_ones));
        grads.BiasHh.copy_(grads.BiasIh);
        InputBackward(_gFlat, xIndex, input, inputGradient, grads);
    }
}

using static TorchSharp.torch;

namespace D2L.Rnn.FastPath;

/// <summary>
/// The forward and backward pass of a GRU layer, written out by hand for a slice of the minibatch's sequences (a
/// shard). Same mathematics as autograd through TorchSharp's GRU (PyTorch's equations, gates r, z, n), with xₜ the
/// one-hot token (first layer, where xₜ W_irᵀ is the column W_ir[:, xₜ]) or the hidden state of the layer below:
/// <code>
///   forward   rₜ = σ(xₜ W_irᵀ + b_ir + b_hr + hₜ₋₁ W_hrᵀ)      zₜ = σ(xₜ W_izᵀ + b_iz + b_hz + hₜ₋₁ W_hzᵀ)
///             aₜ = hₜ₋₁ W_hnᵀ + b_hn      nₜ = tanh(xₜ W_inᵀ + b_in + rₜ ⊙ aₜ)      hₜ = nₜ + zₜ ⊙ (hₜ₋₁ − nₜ)
///   backward  ∂n̂ₜ = ∂hₜ ⊙ (1 − zₜ)(1 − nₜ²)        ∂ẑₜ = ∂hₜ ⊙ (hₜ₋₁ − nₜ) zₜ(1 − zₜ)
///             ∂aₜ = ∂n̂ₜ ⊙ rₜ      ∂r̂ₜ = ∂n̂ₜ ⊙ aₜ rₜ(1 − rₜ)        (x̂ is the argument of the gate's σ or tanh)
///             ∂hₜ₋₁ = ∂hₜ ⊙ zₜ + [∂r̂ₜ, ∂ẑₜ, ∂aₜ] W_hh       plus what comes from above at step t − 1
///             ∂W_hh = Σₜ [∂r̂ₜ, ∂ẑₜ, ∂aₜ]ᵀ hₜ₋₁      ∂b_hh = Σₜ [∂r̂ₜ, ∂ẑₜ, ∂aₜ]
///             ∂W_ih = Σₜ [∂r̂ₜ, ∂ẑₜ, ∂n̂ₜ]ᵀ xₜ      ∂b_ih = Σₜ [∂r̂ₜ, ∂ẑₜ, ∂n̂ₜ]      ∂xₜ = [∂r̂ₜ, ∂ẑₜ, ∂n̂ₜ] W_ih
/// </code>
/// The factors that multiply ∂hₜ and ∂n̂ₜ are computed for all steps at once after the forward pass, so that a step
/// back through time is four TorchSharp calls and a step forward eight, all in place in buffers allocated once.
/// Gradients stop at the minibatch boundary, as d2l's detached state.
/// </summary>
internal sealed class FastGruLayer : FastLayer
{
    private readonly Tensor _gates;    // (steps, batch, 4H): [rₜ, zₜ, aₜ, nₜ]
    private readonly Tensor _dh;       // (steps, batch, H): ∂hₜ
    private readonly Tensor _gatesFlat, _dhFlat; // (steps·batch, 4H) and (steps·batch, H) views
    private readonly Tensor _dGates;   // (steps, batch, 4H): [∂r̂ₜ, ∂ẑₜ, ∂aₜ, ∂n̂ₜ], first the factors that make them
    private readonly Tensor? _dGatesByToken; // first layer: (vocab, 4H), _dGates summed by input token
    private readonly Tensor[] _dhAt, _dhAt3;                  // _dh[t], and _dh[t] as (batch, 1, H)
    private readonly Tensor[] _rza, _rz, _r, _z, _a, _n;     // blocks of _gates[t]
    private readonly Tensor[] _dRza, _dN3, _dZn, _dRa;       // blocks of _dGates[t]: [∂r̂, ∂ẑ, ∂a]; ∂n̂ (batch, 1, H); {∂ẑ, ∂n̂}; {∂r̂, ∂a}

    /// <summary>Buffers for <paramref name="batch"/> sequences of <paramref name="steps"/> steps.</summary>
    public FastGruLayer(FastLayerParameters parameters, int batch, int steps, Tensor ones) : base(parameters, batch, steps, ones)
    {
        var h = _hiddens;
        var device = parameters.WeightHh.device;
        using var scope = NewDisposeScope(); // frees the intermediate views; the buffers are kept below
        _gates = StepBuffer(steps, 4 * h);
        _dh = StepBuffer(steps, h);
        _dGates = StepBuffer(steps, 4 * h);
        _gatesFlat = _kept.Keep(_gates.view(-1, 4 * h));
        _dhFlat = _kept.Keep(_dh.view(-1, h));
        if (parameters.InputTable is { } table) _dGatesByToken = _kept.Keep(zeros([table.shape[0], 4 * h], device: device));
        _dhAt = _kept.PerStep(_dh, steps, d => d);
        _dhAt3 = _kept.PerStep(_dh, steps, d => d.unsqueeze(1));
        _rza = _kept.PerStep(_gates, steps, g => g.narrow(1, 0, 3 * h));
        _rz = _kept.PerStep(_gates, steps, g => g.narrow(1, 0, 2 * h));
        _r = _kept.PerStep(_gates, steps, g => g.narrow(1, 0, h));
        _z = _kept.PerStep(_gates, steps, g => g.narrow(1, h, h));
        _a = _kept.PerStep(_gates, steps, g => g.narrow(1, 2 * h, h));
        _n = _kept.PerStep(_gates, steps, g => g.narrow(1, 3 * h, h));
        _dRza = _kept.PerStep(_dGates, steps, d => d.narrow(1, 0, 3 * h));
        _dN3 = _kept.PerStep(_dGates, steps, d => d.narrow(1, 3 * h, h).unsqueeze(1));
        // Blocks 1 and 3, and 0 and 2, of the (batch, 4, H) view: each pair is multiplied by the same vector.
        _dZn = _kept.PerStep(_dGates, steps, d => d.view(batch, 4, h).slice(1, 1, 4, 2));
        _dRa = _kept.PerStep(_dGates, steps, d => d.view(batch, 4, h).slice(1, 0, 4, 2));
    }

    public override Tensor OutputGradient => _dhFlat;

    public override void Forward(Tensor xIndex, Tensor? input, bool continueState)
    {
        var p = _p;
        var steps = _steps;
        // h₀ first: it is the previous minibatch's h_T, which lives in the same buffer as the steps below.
        if (continueState) _hAt[0].copy_(_hAt[steps]);
        else _hAt[0].zero_();
        // Every step's input terms, [r̂ and ẑ without hₜ₋₁'s part, b_hn, 2(xₜ W_inᵀ + b_in)] (see
        // FastLayerParameters.InputBias), for all steps at once.
        p.FillInputTerms(_gatesFlat, xIndex, input);
        for (var t = 1; t <= steps; t++)
        {
            var i = t - 1;
            _rza[i].addmm_(_hAt[t - 1], p.WeightHhT, 1, 1); // r̂, ẑ and aₜ = hₜ₋₁ W_hnᵀ + b_hn
            _rz[i].sigmoid_();
            // nₜ = tanh(n̂) = 2σ(2n̂) − 1: libtorch's sigmoid is so much faster than its tanh on these shapes that it
            // wins with the two extra calls (docs/performance.md).
            _n[i].addcmul_(_r[i], _a[i], FastConstants.Two).sigmoid_().mul_(Two).sub_(One);
            _hAt[t].copy_(_n[i]).lerp_(_hAt[t - 1], _z[i]); // n + z(hₜ₋₁ − n)
        }
    }

    public override void Backward(Tensor xIndex, Tensor? input, Tensor? inputGradient, FastLayerGradients grads)
    {
        var p = _p;
        var h = (long)_hiddens;
        // The factors, for all steps at once: [aₜ rₜ(1 − rₜ), (hₜ₋₁ − nₜ) zₜ(1 − zₜ), rₜ, (1 − zₜ)(1 − nₜ²)].
        var gates = _gatesFlat;
        var dGates = _dGates.view(-1, 4 * h);
        Tensor Block(Tensor m, int k) => m.narrow(1, k * h, h);
        var (r, z, a, n) = (Block(gates, 0), Block(gates, 1), Block(gates, 2), Block(gates, 3));
        Block(dGates, 0).copy_(r).addcmul_(r, r, -1).mul_(a);
        Block(dGates, 1).copy_(z).addcmul_(z, z, -1).mul_(_hIn - n);
        Block(dGates, 2).copy_(r);
        Block(dGates, 3).fill_(1).addcmul_(n, n, -1).mul_(1 - z);

        // Back through time.
        for (var t = _steps; t >= 1; t--)
        {
            var i = t - 1;
            _dZn[i].mul_(_dhAt3[i]);  // ∂ẑₜ, ∂n̂ₜ
            _dRa[i].mul_(_dN3[i]);    // ∂r̂ₜ, ∂aₜ
            if (t > 1) _dhAt[i - 1].addcmul_(_dhAt[i], _z[i], FastConstants.One).addmm_(_dRza[i], p.WeightHh);
        }

        // Weight gradients of all steps at once; column sums as products with ones, faster than sum(0) on these shapes
        // (docs/performance.md).
        var dRza = dGates.narrow(1, 0, 3 * h);
        var dRz = dGates.narrow(1, 0, 2 * h);
        var dN = Block(dGates, 3);
        grads.WeightHh.addmm_(dRza.t(), _hIn, 0, 1);
        grads.BiasHh.copy_(dRza.t().mv(_ones));
        grads.BiasIh.narrow(0, 0, 2 * h).copy_(grads.BiasHh.narrow(0, 0, 2 * h));
        grads.BiasIh.narrow(0, 2 * h, h).copy_(dN.t().mv(_ones));
        // W_ih's rows are [r, z, n]: the gradients' blocks 0, 1 and 3.
        if (_dGatesByToken is { } byToken)
        {
            // index_add_ of whole contiguous rows, then the blocks W_ih has: much faster than index_add_ of the
            // column blocks, which are strided (docs/performance.md).
            byToken.zero_().index_add_(0, xIndex, dGates, 1);
            grads.WeightIhT.narrow(1, 0, 2 * h).copy_(byToken.narrow(1, 0, 2 * h));
            grads.WeightIhT.narrow(1, 2 * h, h).copy_(Block(byToken, 3));
            return;
        }
        grads.WeightIh.narrow(0, 0, 2 * h).addmm_(dRz.t(), input!, 0, 1);
        grads.WeightIh.narrow(0, 2 * h, h).addmm_(dN.t(), input!, 0, 1);
        if (inputGradient is null) return;
        inputGradient.addmm_(dRz, p.WeightIh.narrow(0, 0, 2 * h), 0, 1);
        inputGradient.addmm_(dN, p.WeightIh.narrow(0, 2 * h, h), 1, 1);
    }
}

using static TorchSharp.torch;

namespace D2L.Rnn.FastPath;

/// <summary>
/// The forward and backward pass of an LSTM layer, written out by hand for a slice of the minibatch's sequences (a
/// shard). Same mathematics as autograd through TorchSharp's LSTM (PyTorch's equations, gates i, f, g, o; x̂ is the
/// argument of the gate's σ or tanh), with xₜ the one-hot token (first layer) or the hidden state of the layer below:
/// <code>
///   forward   [îₜ, f̂ₜ, ĝₜ, ôₜ] = xₜ W_ihᵀ + b_ih + b_hh + hₜ₋₁ W_hhᵀ
///             iₜ, fₜ, oₜ = σ(î, f̂, ô)    gₜ = tanh(ĝₜ)    cₜ = fₜ ⊙ cₜ₋₁ + iₜ ⊙ gₜ    hₜ = oₜ ⊙ tanh(cₜ)
///   backward  ∂ôₜ = ∂hₜ ⊙ tanh(cₜ) oₜ(1 − oₜ)      ∂cₜ = ∂hₜ ⊙ oₜ(1 − tanh²(cₜ)) + ∂cₜ₊₁ ⊙ fₜ₊₁
///             ∂îₜ = ∂cₜ ⊙ gₜ iₜ(1 − iₜ)   ∂f̂ₜ = ∂cₜ ⊙ cₜ₋₁ fₜ(1 − fₜ)   ∂ĝₜ = ∂cₜ ⊙ iₜ(1 − gₜ²)
///             ∂hₜ₋₁ = [∂îₜ, ∂f̂ₜ, ∂ĝₜ, ∂ôₜ] W_hh     plus what comes from above at step t − 1
///             ∂W_hh = Σₜ [∂î, ∂f̂, ∂ĝ, ∂ô]ᵀ hₜ₋₁   ∂W_ih = Σₜ [∂î, ∂f̂, ∂ĝ, ∂ô]ᵀ xₜ   ∂b_ih = ∂b_hh = Σₜ [∂î, ∂f̂, ∂ĝ, ∂ô]
///             ∂xₜ = [∂îₜ, ∂f̂ₜ, ∂ĝₜ, ∂ôₜ] W_ih
/// </code>
/// The factors that multiply ∂hₜ and ∂cₜ are computed for all steps at once after the forward pass, so that a step
/// back through time is five TorchSharp calls, all in place in buffers allocated once. The state is the pair (h, c):
/// both carry over to the next minibatch, and gradients stop at its boundary, as d2l's detached state.
/// </summary>
internal sealed class FastLstmLayer : FastLayer
{
    private readonly Tensor _c;        // (steps + 1, batch, H): c₀ … c_T
    private readonly Tensor _tanhC;    // (steps, batch, H): tanh(cₜ)
    private readonly Tensor _gates;    // (steps, batch, 4H): [iₜ, fₜ, gₜ, oₜ]
    private readonly Tensor _dh, _dc;  // (steps, batch, H): ∂hₜ, ∂cₜ
    private readonly Tensor _dcFactor; // (steps, batch, H): oₜ(1 − tanh²(cₜ)), what ∂hₜ adds to ∂cₜ
    private readonly Tensor _dGates;   // (steps, batch, 4H): [∂î, ∂f̂, ∂ĝ, ∂ô], first the factors that make them
    private readonly Tensor _gatesFlat, _dhFlat; // (steps·batch, 4H) and (steps·batch, H) views
    private readonly Tensor[] _cAt, _tanhCAt, _gatesAt, _i, _f, _g, _o;
    private readonly Tensor[] _dhAt, _dcAt, _dc3, _dcFactorAt, _dGatesAt, _dIfg, _dO;

    /// <summary>Buffers for <paramref name="batch"/> sequences of <paramref name="steps"/> steps.</summary>
    public FastLstmLayer(FastLayerParameters parameters, int batch, int steps, Tensor ones) : base(parameters, batch, steps, ones)
    {
        var h = _hiddens;
        using var scope = NewDisposeScope(); // frees the intermediate views; the buffers are kept below
        _c = StepBuffer(steps + 1, h);
        _tanhC = StepBuffer(steps, h);
        _gates = StepBuffer(steps, 4 * h);
        _dh = StepBuffer(steps, h);
        _dc = StepBuffer(steps, h);
        _dcFactor = StepBuffer(steps, h);
        _dGates = StepBuffer(steps, 4 * h);
        _gatesFlat = _kept.Keep(_gates.view(-1, 4 * h));
        _dhFlat = _kept.Keep(_dh.view(-1, h));
        _cAt = _kept.PerStep(_c, steps + 1, v => v);
        _tanhCAt = _kept.PerStep(_tanhC, steps, v => v);
        _gatesAt = _kept.PerStep(_gates, steps, v => v);
        _i = _kept.PerStep(_gates, steps, v => v.narrow(1, 0, h));
        _f = _kept.PerStep(_gates, steps, v => v.narrow(1, h, h));
        _g = _kept.PerStep(_gates, steps, v => v.narrow(1, 2 * h, h));
        _o = _kept.PerStep(_gates, steps, v => v.narrow(1, 3 * h, h));
        _dhAt = _kept.PerStep(_dh, steps, v => v);
        _dcAt = _kept.PerStep(_dc, steps, v => v);
        _dc3 = _kept.PerStep(_dc, steps, v => v.unsqueeze(1));
        _dcFactorAt = _kept.PerStep(_dcFactor, steps, v => v);
        _dGatesAt = _kept.PerStep(_dGates, steps, v => v);
        _dIfg = _kept.PerStep(_dGates, steps, v => v.view(batch, 4, h).narrow(1, 0, 3)); // the three blocks that ∂cₜ multiplies
        _dO = _kept.PerStep(_dGates, steps, v => v.narrow(1, 3 * h, h));
    }

    public override Tensor OutputGradient => _dhFlat;

    public override Tensor? LastCell => _cAt[_steps];

    public override void Forward(Tensor xIndex, Tensor? input, bool continueState)
    {
        var p = _p;
        var steps = _steps;
        // (h₀, c₀) first: the previous minibatch's (h_T, c_T), which live in the same buffers as the steps below.
        if (continueState)
        {
            _hAt[0].copy_(_hAt[steps]);
            _cAt[0].copy_(_cAt[steps]);
        }
        else
        {
            _hAt[0].zero_();
            _cAt[0].zero_();
        }
        // Every step's input terms, for all steps at once.
        p.FillInputTerms(_gatesFlat, xIndex, input);
        for (var t = 1; t <= steps; t++)
        {
            var k = t - 1;
            _gatesAt[k].addmm_(_hAt[t - 1], p.WeightHhT, 1, 1);
            // One σ for the four blocks: gₜ = tanh(ĝ) = 2σ(2ĝ) − 1, and libtorch's sigmoid is so much faster than its
            // tanh here that this beats σ on three blocks and tanh on the fourth (docs/performance.md).
            _g[k].mul_(Two);
            _gatesAt[k].sigmoid_();
            _g[k].mul_(Two).sub_(One);
            _cAt[t].copy_(_cAt[t - 1]).mul_(_f[k]).addcmul_(_i[k], _g[k], FastConstants.One);
            _tanhCAt[k].copy_(_cAt[t]).mul_(Two).sigmoid_().mul_(Two).sub_(One); // tanh(cₜ), the same way
            _hAt[t].copy_(_tanhCAt[k]).mul_(_o[k]);
        }
    }

    public override void Backward(Tensor xIndex, Tensor? input, Tensor? inputGradient, FastLayerGradients grads)
    {
        var p = _p;
        var (steps, h) = (_steps, (long)_hiddens);
        // The factors, for all steps at once: [gₜ iₜ(1 − iₜ), cₜ₋₁ fₜ(1 − fₜ), iₜ(1 − gₜ²), tanh(cₜ) oₜ(1 − oₜ)] in
        // the gate gradients' buffer, and oₜ(1 − tanh²(cₜ)) for ∂cₜ.
        var gates = _gatesFlat;
        var dGates = _dGates.view(-1, 4 * h);
        Tensor Block(Tensor m, int k) => m.narrow(1, k * h, h);
        var (i, f, g, o) = (Block(gates, 0), Block(gates, 1), Block(gates, 2), Block(gates, 3));
        var tanhC = _tanhC.view(-1, h);
        Block(dGates, 0).copy_(i).addcmul_(i, i, -1).mul_(g);
        Block(dGates, 1).copy_(f).addcmul_(f, f, -1).mul_(_c.narrow(0, 0, steps).view(-1, h));
        Block(dGates, 2).fill_(1).addcmul_(g, g, -1).mul_(i);
        Block(dGates, 3).copy_(o).addcmul_(o, o, -1).mul_(tanhC);
        _dcFactor.view(-1, h).fill_(1).addcmul_(tanhC, tanhC, -1).mul_(o);
        _dc.zero_();

        // Back through time.
        for (var t = steps; t >= 1; t--)
        {
            var k = t - 1;
            _dO[k].mul_(_dhAt[k]);                            // ∂ôₜ
            _dcAt[k].addcmul_(_dhAt[k], _dcFactorAt[k], FastConstants.One);      // ∂cₜ, complete
            _dIfg[k].mul_(_dc3[k]);                           // ∂îₜ, ∂f̂ₜ, ∂ĝₜ
            if (t == 1) break;
            _dcAt[k - 1].addcmul_(_dcAt[k], _f[k], FastConstants.One);
            _dhAt[k - 1].addmm_(_dGatesAt[k], p.WeightHh);
        }

        // Weight gradients of all steps at once; column sums as a product with ones, faster than sum(0) on these shapes
        // (docs/performance.md).
        grads.WeightHh.addmm_(dGates.t(), _hIn, 0, 1);
        grads.BiasIh.copy_(dGates.t().mv(_ones));
        grads.BiasHh.copy_(grads.BiasIh);
        InputBackward(dGates, xIndex, input, inputGradient, grads);
    }
}

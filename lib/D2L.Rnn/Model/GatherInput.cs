using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace D2L.Rnn.Model;

/// <summary>How an <see cref="RNNModel"/> turns token indices into the recurrent layer's input.</summary>
public enum InputEncoding
{
    /// <summary>
    /// The reference (d2l's): one-hot vectors fed to TorchSharp's RNN/GRU/LSTM module. Straightforward and slow.
    /// </summary>
    OneHot,

    /// <summary>
    /// The fast path. one_hot(x) · W_ihᵀ is row x of W_ihᵀ, so the input projection is a row gather of the
    /// layer's own <c>weight_ih_l0</c> (exactly equal, no one-hot tensor, no matrix product). The recurrence is
    /// then run by hand on the same parameters (<c>weight_hh_lk</c>, <c>bias_ih_lk</c>, <c>bias_hh_lk</c>), so
    /// checkpoints are the same either way. For the plain RNN the recurrence is one custom autograd function
    /// (forward: two in-place ops per step, no graph; backward: hand-written BPTT, two in-place ops per step and
    /// one large matrix product for ∂W_hh). GRU and LSTM use the gather and a per-step loop only without autograd
    /// (generation, evaluation); with autograd they keep TorchSharp's module, which measured faster for them.
    /// Results equal <see cref="OneHot"/> to float32 rounding.
    /// </summary>
    Gather,
}

/// <summary>The <see cref="InputEncoding.Gather"/> forward pass of an <see cref="RNNModel"/>.</summary>
internal static class GatherInput
{
    /// <summary>
    /// Same contract as <see cref="RNNModel.forward"/>: <paramref name="inputs"/> (batch, steps) token indices;
    /// returns scores (steps × batch, vocab), time-major, and the new state (layers, batch, hiddens).
    /// </summary>
    public static (Tensor Output, RnnState State) Forward(RNNModel model, Tensor inputs, RnnState state)
    {
        var config = model.Config;
        // Measured (bench/D2L.Rnn.Bench): with autograd on, the per-step GRU/LSTM loops below are slower than
        // TorchSharp's fused C++ loop (~0.6x), so training a GRU/LSTM keeps the module path; only the RNN trains
        // through the gather + hand-written BPTT node. Without autograd (generation) all kinds use the gather loops.
        if (config.Kind != CellKind.Rnn && is_grad_enabled()) return model.ForwardOneHot(inputs, state);
        using var scope = NewDisposeScope();
        var batch = inputs.shape[0];
        var steps = inputs.shape[1];
        var p = new Dictionary<string, Parameter>();
        foreach (var (name, param) in model.RecurrentLayer.named_parameters()) p[name] = param;
        if (!p.ContainsKey("bias_ih_l0"))
            throw new NotSupportedException("The gather input path expects a recurrent layer with biases.");
        if (config.Kind == CellKind.Lstm && state.Cell is null)
            throw new ArgumentException("An LSTM needs a state with a memory cell.", nameof(state));

        // Time-major token indices, one per (step, sequence): row t·batch + b.
        using var index = inputs.T.reshape(-1).to(int64);
        Tensor layerOutput = null!;
        var hiddens = new List<Tensor>();
        var cells = new List<Tensor>();
        for (var layer = 0; layer < config.NumLayers; layer++)
        {
            var wIh = p[$"weight_ih_l{layer}"];
            var wHh = p[$"weight_hh_l{layer}"];
            var bIh = p[$"bias_ih_l{layer}"];
            var bHh = p[$"bias_hh_l{layer}"];
            // (steps·batch, gates·hiddens). Layer 0: W_ihᵀ[index] == one_hot(index) · W_ihᵀ.
            var projected = layer == 0
                ? wIh.t().index_select(0, index)
                : layerOutput.reshape(steps * batch, -1).mm(wIh.t());
            var h0 = state.Hidden[layer];
            switch (config.Kind)
            {
                case CellKind.Rnn:
                {
                    var xw = (projected + (bIh + bHh)).reshape(steps, batch, -1);
                    // Without autograd (generation, evaluation) the custom node would only add overhead.
                    // RnnTanhFunction (one custom autograd node, hand-written BPTT) measured 1.3x the reference
                    // but TorchSharp 0.107's custom-Function machinery made RSS grow ~230 KB per training step
                    // (bench memory run), so training uses the plain per-step autograd loop until that is solved.
                    layerOutput = is_grad_enabled() ? RnnLoop(xw, h0, wHh) : RnnTanhFunction.Recur(xw, h0, wHh);
                    hiddens.Add(layerOutput[steps - 1]);
                    break;
                }
                case CellKind.Gru:
                {
                    var xw = (projected + bIh).reshape(steps, batch, -1);
                    (layerOutput, var h) = GruLoop(xw, h0, wHh, bHh);
                    hiddens.Add(h);
                    break;
                }
                default:
                {
                    var xw = (projected + (bIh + bHh)).reshape(steps, batch, -1);
                    (layerOutput, var h, var c) = LstmLoop(xw, h0, state.Cell![layer], wHh);
                    hiddens.Add(h);
                    cells.Add(c);
                    break;
                }
            }
        }

        var output = model.Dense.call(layerOutput.reshape(steps * batch, -1));
        var newState = config.Kind == CellKind.Lstm
            ? new RnnState(stack(hiddens), stack(cells))
            : new RnnState(stack(hiddens));
        output.MoveToOuterDisposeScope();
        return (output, newState.MoveToOuterDisposeScope());
    }

    // hₜ = tanh(xwₜ + hₜ₋₁ W_hhᵀ) with ordinary autograd ops: two per step (addmm, tanh). xw holds both biases.
    private static Tensor RnnLoop(Tensor xw, Tensor h0, Tensor wHh)
    {
        var steps = xw.shape[0];
        var whhT = wHh.t();
        var h = h0;
        var ys = new Tensor[steps];
        for (var t = 0; t < steps; t++)
        {
            using var inner = NewDisposeScope();
            h = addmm(xw[t], h, whhT, 1, 1).tanh_();
            ys[t] = h.MoveToOuterDisposeScope();
        }
        return stack(ys);
    }

    // PyTorch's GRU, gates (r, z, n): r = σ(x_r + h W_hrᵀ + b_hr), z = σ(...), n = tanh(x_n + r ⊙ (h W_hnᵀ + b_hn)),
    // h' = (1 − z) ⊙ n + z ⊙ h = n + z ⊙ (h − n). xw already holds x W_ihᵀ + b_ih.
    private static (Tensor Y, Tensor H) GruLoop(Tensor xw, Tensor h0, Tensor wHh, Tensor bHh)
    {
        var steps = xw.shape[0];
        var whhT = wHh.t();
        var h = h0;
        var ys = new Tensor[steps];
        for (var t = 0; t < steps; t++)
        {
            using var inner = NewDisposeScope();
            var gh = addmm(bHh, h, whhT, 1, 1).chunk(3, 1);
            var gx = xw[t].chunk(3, 1);
            var r = sigmoid(gx[0] + gh[0]);
            var z = sigmoid(gx[1] + gh[1]);
            var n = tanh(gx[2] + r * gh[2]);
            h = n + z * (h - n);
            ys[t] = h.MoveToOuterDisposeScope();
        }
        return (stack(ys), h);
    }

    // PyTorch's LSTM, gates (i, f, g, o): c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g), h' = σ(o) ⊙ tanh(c').
    // xw already holds x W_ihᵀ + b_ih + b_hh.
    private static (Tensor Y, Tensor H, Tensor C) LstmLoop(Tensor xw, Tensor h0, Tensor c0, Tensor wHh)
    {
        var steps = xw.shape[0];
        var whhT = wHh.t();
        var h = h0;
        var c = c0;
        var ys = new Tensor[steps];
        for (var t = 0; t < steps; t++)
        {
            using var inner = NewDisposeScope();
            var gates = addmm(xw[t], h, whhT, 1, 1).chunk(4, 1);
            c = sigmoid(gates[1]) * c + sigmoid(gates[0]) * tanh(gates[2]);
            h = sigmoid(gates[3]) * tanh(c);
            ys[t] = h.MoveToOuterDisposeScope();
            c.MoveToOuterDisposeScope();
        }
        return (stack(ys), h, c);
    }

    /// <summary>
    /// The tanh recurrence hₜ = tanh(aₜ), aₜ = xwₜ + hₜ₋₁ W_hhᵀ as one autograd node. Inputs: xw (steps, batch,
    /// hiddens) with both biases added, h0 (batch, hiddens), W_hh (hiddens, hiddens). Output: all hₜ (steps,
    /// batch, hiddens). Backward is textbook BPTT: ∂aₜ = (∂hₜ + ∂aₜ₊₁ W_hh) ⊙ (1 − hₜ²), then
    /// ∂W_hh = Σₜ ∂aₜᵀ hₜ₋₁ as one product, ∂xw = ∂a, ∂h0 = ∂a₀ W_hh.
    /// </summary>
    internal sealed class RnnTanhFunction : autograd.SingleTensorFunction<RnnTanhFunction>
    {
        public override string Name => "D2LRnnTanh";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var xw = (Tensor)vars[0];
            var h0 = (Tensor)vars[1];
            var wHh = (Tensor)vars[2];
            // Autograd is off here (the Function machinery runs forward without a graph).
            var y = Recur(xw, h0, wHh);
            // Detached aliases (no grad_fn): saving the output itself would tie the node to itself.
            // They belong to the caller's dispose scope, which outlives the Function's save step.
            ctx.save_for_backward([y.detach(), h0.detach(), wHh.detach()]);
            return y;
        }

        /// <summary>The forward recurrence without a graph: hₜ = tanh(xwₜ + hₜ₋₁ W_hhᵀ), in place in a copy of xw.</summary>
        internal static Tensor Recur(Tensor xw, Tensor h0, Tensor wHh)
        {
            var steps = xw.shape[0];
            var y = xw.contiguous().clone();
            using (NewDisposeScope())
            {
                var whhT = wHh.t();
                var h = h0;
                for (var t = 0; t < steps; t++)
                {
                    var yt = y.select(0, t);
                    yt.addmm_(h, whhT).tanh_();
                    h = yt;
                }
            }
            return y;
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradY)
        {
            using var scope = NewDisposeScope();
            var saved = ctx.get_saved_variables();
            var (y, h0, wHh) = (saved[0], saved[1], saved[2]);
            var steps = y.shape[0];
            var batch = y.shape[1];
            var hiddens = y.shape[2];
            var deriv = y.square().neg_().add_(1); // 1 − hₜ²
            // g starts as ∂L/∂hₜ from the outputs and becomes ∂L/∂aₜ in place, step by step from the end.
            var g = empty([steps, batch, hiddens], dtype: y.dtype, device: y.device);
            g.copy_(gradY);
            for (var t = steps - 1; t >= 0; t--)
            {
                using var inner = NewDisposeScope();
                var gt = g.select(0, t);
                gt.mul_(deriv.select(0, t));
                if (t > 0) g.select(0, t - 1).addmm_(gt, wHh);
            }
            var gradH0 = g.select(0, 0).mm(wHh);
            var hPrev = cat([h0.unsqueeze(0), y.narrow(0, 0, steps - 1)], 0).reshape(steps * batch, hiddens);
            var gradWhh = g.reshape(steps * batch, hiddens).t().mm(hPrev);
            // The autograd engine reads the returned handles after this method returns: keep them alive in the
            // caller's scope (the training step's), which disposes them.
            g.MoveToOuterDisposeScope();
            gradH0.MoveToOuterDisposeScope();
            gradWhh.MoveToOuterDisposeScope();
            return [g, gradH0, gradWhh];
        }
    }
}

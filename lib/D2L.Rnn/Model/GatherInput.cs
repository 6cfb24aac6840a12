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
    /// The fast path. one_hot(x) · W_ihᵀ is row x of W_ihᵀ, so the input projection is a row gather of the layer's own
    /// <c>weight_ih_l0</c> (exactly equal, no one-hot tensor, no matrix product). Generation and evaluation run the
    /// recurrence as a short per-step loop; <see cref="Training.Trainer"/> trains a one-layer RNN with a hand-written
    /// forward and backward pass split over the cores (Training/FusedRnnTraining.cs); a GRU, an LSTM or a deeper RNN
    /// trains through TorchSharp's modules as the reference does. Same parameters, so checkpoints are the same
    /// either way; results equal <see cref="OneHot"/> to float32 rounding (FastPathEquivalenceTests,
    /// FusedRnnTrainingTests).
    /// </summary>
    Gather,
}

/// <summary>The <see cref="InputEncoding.Gather"/> forward pass of an <see cref="RNNModel"/>.</summary>
internal static class GatherInput
{
    // Looked up once per model: enumerating named_parameters() on every step creates fresh wrappers each time.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<RNNModel, Dictionary<string, Parameter>> Parameters = new();

    /// <summary>
    /// Same contract as <see cref="RNNModel.forward"/>: <paramref name="inputs"/> (batch, steps) token indices;
    /// returns scores (steps × batch, vocab), time-major, and the new state (layers, batch, hiddens).
    /// </summary>
    public static (Tensor Output, RnnState State) Forward(RNNModel model, Tensor inputs, RnnState state)
    {
        var config = model.Config;
        // Measured (bench/D2L.Rnn.Bench, 2 cores): with autograd on, these per-step loops train no faster than
        // TorchSharp's fused modules (RNN 1.0x, GRU/LSTM about 0.6x), so training keeps the module path.
        if (is_grad_enabled()) return model.ForwardOneHot(inputs, state);
        using var scope = NewDisposeScope();
        var batch = inputs.shape[0];
        var steps = inputs.shape[1];
        var p = Parameters.GetValue(model, m => m.RecurrentLayer.named_parameters().ToDictionary(x => x.name, x => x.parameter));
        if (p.Values.Any(x => x.IsInvalid)) // the module's parameters were replaced (e.g. moved): look them up again
        {
            Parameters.Remove(model);
            p = Parameters.GetValue(model, m => m.RecurrentLayer.named_parameters().ToDictionary(x => x.name, x => x.parameter));
        }
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
                    layerOutput = RnnLoop((projected + (bIh + bHh)).reshape(steps, batch, -1), h0, wHh);
                    break;
                case CellKind.Gru:
                    layerOutput = GruLoop((projected + bIh).reshape(steps, batch, -1), h0, wHh, bHh);
                    break;
                default:
                    (layerOutput, var c) = LstmLoop((projected + (bIh + bHh)).reshape(steps, batch, -1), h0, state.Cell![layer], wHh);
                    cells.Add(c);
                    break;
            }
            hiddens.Add(layerOutput[steps - 1]);
        }

        var output = model.Dense.call(layerOutput.reshape(steps * batch, -1));
        var newState = config.Kind == CellKind.Lstm
            ? new RnnState(stack(hiddens), stack(cells))
            : new RnnState(stack(hiddens));
        output.MoveToOuterDisposeScope();
        return (output, newState.MoveToOuterDisposeScope());
    }

    // Runs cell(xwₜ, hₜ₋₁) → hₜ for every step, each in its own dispose scope, and stacks the hₜ: (steps, batch, hiddens).
    private static Tensor Unroll(Tensor xw, Tensor h0, Func<Tensor, Tensor, Tensor> cell)
    {
        var h = h0;
        var ys = new Tensor[xw.shape[0]];
        for (var t = 0; t < ys.Length; t++)
        {
            using var inner = NewDisposeScope();
            h = cell(xw[t], h);
            ys[t] = h.MoveToOuterDisposeScope();
        }
        return stack(ys);
    }

    // hₜ = tanh(xwₜ + hₜ₋₁ W_hhᵀ): two ops per step (addmm, tanh). xw holds both biases.
    private static Tensor RnnLoop(Tensor xw, Tensor h0, Tensor wHh)
    {
        var whhT = wHh.t();
        return Unroll(xw, h0, (x, h) => addmm(x, h, whhT, 1, 1).tanh_());
    }

    // PyTorch's GRU, gates (r, z, n): r = σ(x_r + h W_hrᵀ + b_hr), z = σ(...), n = tanh(x_n + r ⊙ (h W_hnᵀ + b_hn)),
    // h' = (1 − z) ⊙ n + z ⊙ h = n + z ⊙ (h − n). xw already holds x W_ihᵀ + b_ih.
    private static Tensor GruLoop(Tensor xw, Tensor h0, Tensor wHh, Tensor bHh)
    {
        var whhT = wHh.t();
        return Unroll(xw, h0, (x, h) =>
        {
            var gh = addmm(bHh, h, whhT, 1, 1).chunk(3, 1);
            var gx = x.chunk(3, 1);
            var r = sigmoid(gx[0] + gh[0]);
            var z = sigmoid(gx[1] + gh[1]);
            var n = tanh(gx[2] + r * gh[2]);
            return n + z * (h - n);
        });
    }

    // PyTorch's LSTM, gates (i, f, g, o): c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g), h' = σ(o) ⊙ tanh(c').
    // xw already holds x W_ihᵀ + b_ih + b_hh. Returns the outputs and the last memory cell.
    private static (Tensor Y, Tensor C) LstmLoop(Tensor xw, Tensor h0, Tensor c0, Tensor wHh)
    {
        var whhT = wHh.t();
        var c = c0;
        var y = Unroll(xw, h0, (x, h) =>
        {
            var gates = addmm(x, h, whhT, 1, 1).chunk(4, 1);
            c = (sigmoid(gates[1]) * c + sigmoid(gates[0]) * tanh(gates[2])).MoveToOuterDisposeScope();
            return sigmoid(gates[3]) * tanh(c);
        });
        return (y, c);
    }
}

using TorchSharp.Modules;
using static TorchSharp.torch;

namespace D2L.Rnn.FastPath;

/// <summary>
/// The six parameters of a one-layer one-hot <see cref="RNNModel"/> (RNN, GRU or LSTM) as the hand-written passes
/// read them (the model's own tensors and transposed views, no copies), plus the input table: what one_hot(v)
/// contributes to a step, with the biases that can be folded in, one row per token, refreshed after every update.
/// </summary>
/// <remarks>
/// The recurrent weights stack G = 1, 3 or 4 blocks of H rows, in PyTorch's gate order: RNN one block, GRU r, z, n,
/// LSTM i, f, g, o.
/// </remarks>
internal sealed class FusedParameters : IDisposable
{
    public FusedParameters(RNNModel model)
    {
        // The input table stands for one-hot input; an embedding model must take the module path.
        if (model.Embedding is not null)
            throw new ArgumentException("The fused step reads one-hot input; a model with an embedding trains on the module path.", nameof(model));
        Kind = model.Config.Kind;
        Nonlinearity = model.Config.Nonlinearity;
        var rnn = model.Rnn.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        WeightIh = rnn["weight_ih_l0"];
        WeightHh = rnn["weight_hh_l0"];
        BiasIh = rnn["bias_ih_l0"];
        BiasHh = rnn["bias_hh_l0"];
        WeightOut = model.Linear.weight!;
        BiasOut = model.Linear.bias!;
        using var scope = NewDisposeScope(); // frees intermediates; what is kept is detached from it
        WeightHhT = WeightHh.t().DetachFromDisposeScope();
        BiasOutColumn = BiasOut.unsqueeze(1).DetachFromDisposeScope();
        Hiddens = (int)WeightHh.shape[1];
        Gates = (int)WeightHh.shape[0];
        // The GRU's table has a fourth block, see RefreshInputTable.
        var width = Kind == CellKind.Gru ? 4 * Hiddens : Gates;
        InputTable = empty([WeightIh.shape[1], width], device: WeightIh.device).DetachFromDisposeScope();
        using var noGrad = no_grad();
        RefreshInputTable();
    }

    /// <summary>RNN, GRU or LSTM.</summary>
    public CellKind Kind { get; }

    /// <summary>Hidden units H.</summary>
    public int Hiddens { get; }

    /// <summary>Rows of the recurrent weights: H for the RNN, 3H for the GRU, 4H for the LSTM.</summary>
    public int Gates { get; }

    /// <summary>tanh or ReLU for the RNN: decides what the input table holds and how the shard runs the recurrence.</summary>
    public Nonlinearity Nonlinearity { get; }
    public Parameter WeightIh { get; }
    public Parameter WeightHh { get; }
    public Parameter BiasIh { get; }
    public Parameter BiasHh { get; }
    public Parameter WeightOut { get; }
    public Parameter BiasOut { get; }
    public Tensor WeightHhT { get; }
    /// <summary>(vocab, 1) view of <see cref="BiasOut"/>.</summary>
    public Tensor BiasOutColumn { get; }

    /// <summary>
    /// Row v is the input term of a step whose token is v:
    /// <list type="bullet">
    /// <item>RNN (vocab, H): W_ih[:, v] + b_ih + b_hh for ReLU, and 2(that − W_hh·1) for tanh, which runs on σ
    /// instead (see <see cref="FusedRnnShard"/>).</item>
    /// <item>GRU (vocab, 4H): [W_ir[:, v] + b_ir + b_hr, W_iz[:, v] + b_iz + b_hz, b_hn, 2(W_in[:, v] + b_in)]. b_hn
    /// is multiplied by r with W_hn h, so it cannot join the input term; it sits in the block that W_hn h is added
    /// to (see <see cref="FusedGruShard"/>).</item>
    /// <item>LSTM (vocab, 4H): W_ih[:, v] + b_ih + b_hh.</item>
    /// </list>
    /// </summary>
    public Tensor InputTable { get; }

    /// <summary>The model's parameters paired with their gradients in <paramref name="grads"/>.</summary>
    public IEnumerable<(Tensor Parameter, Tensor Gradient)> Pairs(FusedGradients grads) =>
    [
        (WeightIh, grads.WeightIh), (WeightHh, grads.WeightHh), (BiasIh, grads.BiasIh), (BiasHh, grads.BiasHh),
        (WeightOut, grads.WeightOut), (BiasOut, grads.BiasOut),
    ];

    /// <summary>Recomputes <see cref="InputTable"/> from the current weights (call with autograd off).</summary>
    public void RefreshInputTable()
    {
        using var scope = NewDisposeScope();
        if (Kind != CellKind.Gru)
        {
            InputTable.copy_(WeightIh.t()).add_(BiasIh).add_(BiasHh);
            if (Kind == CellKind.Rnn && Nonlinearity == Nonlinearity.Tanh) InputTable.sub_(WeightHh.sum(1)).mul_(2);
            return;
        }
        long h = Hiddens;
        InputTable.narrow(1, 0, 2 * h).copy_(WeightIh.t().narrow(1, 0, 2 * h))
            .add_(BiasIh.narrow(0, 0, 2 * h)).add_(BiasHh.narrow(0, 0, 2 * h));
        InputTable.narrow(1, 2 * h, h).copy_(BiasHh.narrow(0, 2 * h, h));
        InputTable.narrow(1, 3 * h, h).copy_(WeightIh.t().narrow(1, 2 * h, h)).add_(BiasIh.narrow(0, 2 * h, h)).mul_(2);
    }

    /// <summary>A zeroed gradient buffer for these parameters.</summary>
    public FusedGradients NewGradientBuffer() => new(WeightIh.shape, WeightHh.shape, WeightOut.shape, WeightIh.device);

    public void Dispose()
    {
        WeightHhT.Dispose();
        BiasOutColumn.Dispose();
        InputTable.Dispose();
    }
}

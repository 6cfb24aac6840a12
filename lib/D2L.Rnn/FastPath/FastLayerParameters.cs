using TorchSharp.Modules;
using static TorchSharp.torch;

namespace D2L.Rnn.FastPath;

/// <summary>
/// One recurrent layer's four parameters as the hand-written passes read them (the model's own tensors and
/// transposed views, no copies), and what its input contributes to a step's gate arguments: x·A + c, where A comes
/// from W_ih and c from the biases (see <see cref="InputBias"/>). The first layer reads one-hot tokens, so its input
/// terms are rows of <see cref="InputTable"/>; a layer above reads the hidden states of the layer below.
/// </summary>
/// <remarks>
/// The weights stack G = 1, 3 or 4 blocks of H rows, in PyTorch's gate order: RNN one block, GRU r, z, n, LSTM i, f,
/// g, o. The GRU's input terms have a fourth block, see <see cref="InputBias"/>.
/// </remarks>
internal sealed class FastLayerParameters : IDisposable
{
    /// <param name="rnn">The recurrent module's parameters by name.</param>
    /// <param name="layer">Which layer: 0 reads one-hot tokens, the others the layer below.</param>
    /// <param name="kind">RNN, GRU or LSTM.</param>
    /// <param name="nonlinearity">tanh or ReLU, for the RNN.</param>
    public FastLayerParameters(IReadOnlyDictionary<string, Parameter> rnn, int layer, CellKind kind, Nonlinearity nonlinearity)
    {
        (Kind, Nonlinearity) = (kind, nonlinearity);
        WeightIh = rnn[$"weight_ih_l{layer}"];
        WeightHh = rnn[$"weight_hh_l{layer}"];
        BiasIh = rnn[$"bias_ih_l{layer}"];
        BiasHh = rnn[$"bias_hh_l{layer}"];
        Hiddens = (int)WeightHh.shape[1];
        var width = kind switch // G, or the GRU's four blocks (see InputBias)
        {
            CellKind.Gru => 4 * Hiddens,
            CellKind.Rnn or CellKind.Lstm => (int)WeightHh.shape[0],
            _ => throw new NotSupportedException($"The input terms of a {kind} layer are not laid out here: say how in InputBias and Refresh."),
        };
        using var scope = NewDisposeScope(); // frees intermediates; what is kept is detached from it
        WeightHhT = WeightHh.t().DetachFromDisposeScope();
        WeightIhT = WeightIh.t().DetachFromDisposeScope();
        // The first layer's input terms are table rows; a layer above adds c to its product with the layer below.
        if (layer == 0) InputTable = empty([WeightIh.shape[1], width], device: WeightIh.device).DetachFromDisposeScope();
        else InputBias = empty([width], device: WeightIh.device).DetachFromDisposeScope();
        using var noGrad = no_grad();
        Refresh();
    }

    public CellKind Kind { get; }
    public Nonlinearity Nonlinearity { get; }

    /// <summary>Hidden units H.</summary>
    public int Hiddens { get; }

    public Parameter WeightIh { get; }
    public Parameter WeightHh { get; }
    public Parameter BiasIh { get; }
    public Parameter BiasHh { get; }
    public Tensor WeightHhT { get; }
    public Tensor WeightIhT { get; }

    /// <summary>
    /// Layers above the first: c, the input terms' constant part (refreshed after every update):
    /// <list type="bullet">
    /// <item>RNN (H): b_ih + b_hh for ReLU, and 2(that − W_hh·1) for tanh, which runs on σ instead (see
    /// <see cref="FastRnnLayer"/>); A is W_ihᵀ, doubled for tanh.</item>
    /// <item>GRU (4H): [b_ir + b_hr, b_iz + b_hz, b_hn, 2b_in], and A = [W_irᵀ, W_izᵀ, 0, 2W_inᵀ]. b_hn is multiplied
    /// by r with W_hn h, so it cannot join the input term; it sits in the block that W_hn h is added to (see
    /// <see cref="FastGruLayer"/>).</item>
    /// <item>LSTM (4H): b_ih + b_hh, and A = W_ihᵀ.</item>
    /// </list>
    /// </summary>
    public Tensor? InputBias { get; }

    /// <summary>First layer only: row v is the input term of a step whose token is v (A's row v plus c).</summary>
    public Tensor? InputTable { get; }

    private bool TanhRnn => Kind == CellKind.Rnn && Nonlinearity == Nonlinearity.Tanh;

    /// <summary>Recomputes <see cref="InputBias"/> and <see cref="InputTable"/> from the current weights (autograd off).</summary>
    public void Refresh()
    {
        using var scope = NewDisposeScope();
        long h = Hiddens;
        // The table starts from A's rows, c from zero; both then add the biases in the order the one-layer table has
        // always used, so that a one-layer model's updates stay what they were, bit for bit.
        var table = InputTable is not null;
        var terms = InputTable ?? InputBias!;
        void Start(Tensor part, Tensor weights)
        {
            if (table) part.copy_(weights);
            else part.zero_();
        }
        if (Kind != CellKind.Gru)
        {
            Start(terms, WeightIhT);
            terms.add_(BiasIh).add_(BiasHh);
            if (TanhRnn) terms.sub_(WeightHh.sum(1)).mul_(2);
            return;
        }
        var (rz, bhn, n) = (terms.narrow(-1, 0, 2 * h), terms.narrow(-1, 2 * h, h), terms.narrow(-1, 3 * h, h));
        Start(rz, WeightIhT.narrow(1, 0, 2 * h));
        rz.add_(BiasIh.narrow(0, 0, 2 * h)).add_(BiasHh.narrow(0, 0, 2 * h));
        bhn.copy_(BiasHh.narrow(0, 2 * h, h));
        Start(n, WeightIhT.narrow(1, 2 * h, h));
        n.add_(BiasIh.narrow(0, 2 * h, h)).mul_(2);
    }

    /// <summary>
    /// Writes every step's input terms into <paramref name="terms"/> (rows, width): the rows of the input table for
    /// the tokens <paramref name="xIndex"/> (first layer), else <paramref name="input"/>·A + c for the hidden states
    /// (rows, H) of the layer below.
    /// </summary>
    public void FillInputTerms(Tensor terms, Tensor xIndex, Tensor? input)
    {
        if (InputTable is not null)
        {
            terms.copy_(InputTable.index_select(0, xIndex));
            return;
        }
        terms.copy_(InputBias!);
        if (Kind != CellKind.Gru)
        {
            terms.addmm_(input!, WeightIhT, 1, TanhRnn ? 2 : 1);
            return;
        }
        long h = Hiddens;
        terms.narrow(1, 0, 2 * h).addmm_(input!, WeightIhT.narrow(1, 0, 2 * h), 1, 1);
        terms.narrow(1, 3 * h, h).addmm_(input!, WeightIhT.narrow(1, 2 * h, h), 1, 2);
    }

    public void Dispose()
    {
        WeightHhT.Dispose();
        WeightIhT.Dispose();
        InputBias?.Dispose();
        InputTable?.Dispose();
    }
}

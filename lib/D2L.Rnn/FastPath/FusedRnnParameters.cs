using TorchSharp.Modules;
using static TorchSharp.torch;

namespace D2L.Rnn.FastPath;

/// <summary>
/// The six parameters of a one-layer <see cref="RNNModel"/> as the hand-written pass reads them (the model's own
/// tensors and transposed views, no copies), plus the input table built from W_ihᵀ + b_ih + b_hh, refreshed after
/// every update.
/// </summary>
internal sealed class FusedRnnParameters : IDisposable
{
    public FusedRnnParameters(RNNModel model)
    {
        // The input table stands for one-hot input; an embedding model must take the module path.
        if (model.Embedding is not null)
            throw new ArgumentException("The fused step reads one-hot input; a model with an embedding trains on the module path.", nameof(model));
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
        Hiddens = (int)WeightHh.shape[0];
        InputTable = empty([WeightIh.shape[1], Hiddens], device: WeightIh.device).DetachFromDisposeScope();
        using var noGrad = no_grad();
        RefreshInputTable();
    }

    /// <summary>Hidden units.</summary>
    public int Hiddens { get; }

    /// <summary>tanh or ReLU: decides what the input table holds and how the shard runs the recurrence.</summary>
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
    /// (vocab, hiddens): row v is one_hot(v) · W_ihᵀ + b_ih + b_hh for ReLU, and 2(that − W_hh·1) for tanh, which
    /// runs on σ instead (see <see cref="FusedRnnShard"/>).
    /// </summary>
    public Tensor InputTable { get; }

    /// <summary>The model's parameters paired with their gradients in <paramref name="grads"/>.</summary>
    public IEnumerable<(Tensor Parameter, Tensor Gradient)> Pairs(FusedRnnGradients grads) =>
    [
        (WeightIh, grads.WeightIh), (WeightHh, grads.WeightHh), (BiasIh, grads.BiasIh), (BiasHh, grads.BiasHh),
        (WeightOut, grads.WeightOut), (BiasOut, grads.BiasOut),
    ];

    /// <summary>Recomputes <see cref="InputTable"/> from the current weights (call with autograd off).</summary>
    public void RefreshInputTable()
    {
        using var scope = NewDisposeScope();
        InputTable.copy_(WeightIh.t()).add_(BiasIh).add_(BiasHh);
        if (Nonlinearity == Nonlinearity.Tanh) InputTable.sub_(WeightHh.sum(1)).mul_(2);
    }

    /// <summary>A zeroed gradient buffer for these parameters.</summary>
    public FusedRnnGradients NewGradientBuffer() => new(WeightIh.shape, WeightHh.shape, WeightOut.shape, WeightIh.device);

    public void Dispose()
    {
        WeightHhT.Dispose();
        BiasOutColumn.Dispose();
        InputTable.Dispose();
    }
}

/// <summary>
/// Gradients of the six parameters in one flat buffer, so that the global norm and the clipping are one call each.
/// </summary>
internal sealed class FusedRnnGradients : IDisposable
{
    private readonly List<Tensor> _views = [];

    public FusedRnnGradients(long[] weightIhShape, long[] weightHhShape, long[] weightOutShape, Device device)
    {
        long hiddens = weightHhShape[0], vocab = weightIhShape[1];
        using var scope = NewDisposeScope(); // frees the intermediate narrow() views
        Flat = zeros(hiddens * vocab + hiddens * hiddens + 2 * hiddens + vocab * hiddens + vocab, device: device).DetachFromDisposeScope();
        long offset = 0;
        Tensor Take(params long[] shape)
        {
            var n = shape.Aggregate(1L, (a, b) => a * b);
            var view = Flat.narrow(0, offset, n).view(shape).DetachFromDisposeScope();
            offset += n;
            _views.Add(view);
            return view;
        }
        WeightIhT = Take(vocab, hiddens);
        WeightIh = WeightIhT.t().DetachFromDisposeScope();
        _views.Add(WeightIh);
        WeightHh = Take(weightHhShape);
        BiasIh = Take(hiddens);
        BiasHh = Take(hiddens);
        WeightOut = Take(weightOutShape);
        BiasOut = Take(vocab);
    }

    /// <summary>All gradients, one after the other.</summary>
    public Tensor Flat { get; }
    public Tensor WeightIh { get; }
    /// <summary>(vocab, hiddens) view of <see cref="WeightIh"/>: row v collects the steps whose input was v.</summary>
    public Tensor WeightIhT { get; }
    public Tensor WeightHh { get; }
    public Tensor BiasIh { get; }
    public Tensor BiasHh { get; }
    public Tensor WeightOut { get; }
    public Tensor BiasOut { get; }

    public void Dispose()
    {
        foreach (var v in _views) v.Dispose();
        Flat.Dispose();
    }
}

using TorchSharp.Modules;
using static TorchSharp.torch;

namespace D2L.Rnn.FastPath;

/// <summary>
/// The parameters of a one-hot <see cref="RNNModel"/> (RNN, GRU or LSTM, one or more layers) as the hand-written
/// passes read them: each recurrent layer's (<see cref="FastLayerParameters"/>) and the dense output's.
/// </summary>
internal sealed class FastParameters : IDisposable
{
    public FastParameters(RNNModel model)
    {
        // The first layer's input table stands for one-hot input; an embedding model takes the reference path.
        if (model.Embedding is not null)
            throw new ArgumentException("The fast step reads one-hot input; a model with an embedding trains on the reference path.", nameof(model));
        Kind = model.Config.Kind;
        var rnn = model.Rnn.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        Layers = Enumerable.Range(0, model.Config.NumLayers)
            .Select(l => new FastLayerParameters(rnn, l, Kind, model.Config.Nonlinearity)).ToArray();
        WeightOut = model.Linear.weight!;
        BiasOut = model.Linear.bias!;
        using var scope = NewDisposeScope();
        BiasOutColumn = BiasOut.unsqueeze(1).DetachFromDisposeScope();
    }

    /// <summary>RNN, GRU or LSTM.</summary>
    public CellKind Kind { get; }

    /// <summary>The recurrent layers, the first reading one-hot tokens.</summary>
    public IReadOnlyList<FastLayerParameters> Layers { get; }

    public Parameter WeightOut { get; }
    public Parameter BiasOut { get; }
    /// <summary>(vocab, 1) view of <see cref="BiasOut"/>.</summary>
    public Tensor BiasOutColumn { get; }

    /// <summary>The model's parameters, in its own order, paired with their gradients in <paramref name="grads"/>.</summary>
    public IEnumerable<(Tensor Parameter, Tensor Gradient)> Pairs(FastGradients grads) =>
        Layers.Zip(grads.Layers).SelectMany(l => new (Tensor, Tensor)[]
        {
            (l.First.WeightIh, l.Second.WeightIh), (l.First.WeightHh, l.Second.WeightHh),
            (l.First.BiasIh, l.Second.BiasIh), (l.First.BiasHh, l.Second.BiasHh),
        }).Append((WeightOut, grads.WeightOut)).Append((BiasOut, grads.BiasOut));

    /// <summary>Recomputes what the layers derive from the weights, after an update (call with autograd off).</summary>
    public void Refresh()
    {
        foreach (var layer in Layers) layer.Refresh();
    }

    /// <summary>A zeroed gradient buffer for these parameters.</summary>
    public FastGradients NewGradientBuffer() =>
        new(Layers.Select(l => (l.WeightIh.shape, l.WeightHh.shape)).ToArray(), WeightOut.shape, WeightOut.device);

    public void Dispose()
    {
        foreach (var layer in Layers) layer.Dispose();
        BiasOutColumn.Dispose();
    }
}

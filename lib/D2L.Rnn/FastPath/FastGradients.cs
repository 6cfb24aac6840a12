using static TorchSharp.torch;

namespace D2L.Rnn.FastPath;

/// <summary>
/// Gradients of all parameters (<see cref="FastParameters"/>) in one flat buffer, so that the global norm and the
/// clipping are one call each, and the shards' sum one addition.
/// </summary>
internal sealed class FastGradients : IDisposable
{
    private readonly List<Tensor> _views = [];
    private long _offset;

    /// <param name="layerShapes">Per recurrent layer, the shapes of W_ih (G, inputs) and W_hh (G, H).</param>
    /// <param name="weightOutShape">(vocab, H).</param>
    /// <param name="device">Where the buffer lives.</param>
    public FastGradients((long[] WeightIh, long[] WeightHh)[] layerShapes, long[] weightOutShape, Device device)
    {
        var size = layerShapes.Sum(s => s.WeightIh[0] * (s.WeightIh[1] + s.WeightHh[1] + 2))
            + weightOutShape[0] * (weightOutShape[1] + 1);
        using var scope = NewDisposeScope(); // frees the intermediate narrow() views
        Flat = zeros(size, device: device).DetachFromDisposeScope();
        Layers = layerShapes.Select(s =>
        {
            var weightIhT = Take(s.WeightIh[1], s.WeightIh[0]);
            return new FastLayerGradients(weightIhT, Keep(weightIhT.t()), Take(s.WeightHh), Take(s.WeightIh[0]), Take(s.WeightIh[0]));
        }).ToArray();
        WeightOut = Take(weightOutShape);
        BiasOut = Take(weightOutShape[0]);
    }

    private Tensor Take(params long[] shape)
    {
        var n = shape.Aggregate(1L, (a, b) => a * b);
        var view = Keep(Flat.narrow(0, _offset, n).view(shape));
        _offset += n;
        return view;
    }

    private Tensor Keep(Tensor view)
    {
        _views.Add(view.DetachFromDisposeScope());
        return view;
    }

    /// <summary>All gradients, one after the other.</summary>
    public Tensor Flat { get; }

    /// <summary>Each recurrent layer's gradients.</summary>
    public IReadOnlyList<FastLayerGradients> Layers { get; }
    public Tensor WeightOut { get; }
    public Tensor BiasOut { get; }

    public void Dispose()
    {
        foreach (var v in _views) v.Dispose();
        Flat.Dispose();
    }
}

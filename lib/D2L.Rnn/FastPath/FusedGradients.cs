using static TorchSharp.torch;

namespace D2L.Rnn.FastPath;

/// <summary>
/// Gradients of the six parameters (<see cref="FusedParameters"/>) in one flat buffer, so that the global norm and the
/// clipping are one call each, and the shards' sum one addition.
/// </summary>
internal sealed class FusedGradients : IDisposable
{
    private readonly List<Tensor> _views = [];

    /// <param name="weightIhShape">(G, vocab): G = H, 3H or 4H gate rows.</param>
    /// <param name="weightHhShape">(G, H).</param>
    /// <param name="weightOutShape">(vocab, H).</param>
    /// <param name="device">Where the buffer lives.</param>
    public FusedGradients(long[] weightIhShape, long[] weightHhShape, long[] weightOutShape, Device device)
    {
        long gates = weightHhShape[0], hiddens = weightHhShape[1], vocab = weightIhShape[1];
        using var scope = NewDisposeScope(); // frees the intermediate narrow() views
        Flat = zeros(gates * vocab + gates * hiddens + 2 * gates + vocab * hiddens + vocab, device: device).DetachFromDisposeScope();
        long offset = 0;
        Tensor Take(params long[] shape)
        {
            var n = shape.Aggregate(1L, (a, b) => a * b);
            var view = Flat.narrow(0, offset, n).view(shape).DetachFromDisposeScope();
            offset += n;
            _views.Add(view);
            return view;
        }
        WeightIhT = Take(vocab, gates);
        WeightIh = WeightIhT.t().DetachFromDisposeScope();
        _views.Add(WeightIh);
        WeightHh = Take(weightHhShape);
        BiasIh = Take(gates);
        BiasHh = Take(gates);
        WeightOut = Take(weightOutShape);
        BiasOut = Take(vocab);
    }

    /// <summary>All gradients, one after the other.</summary>
    public Tensor Flat { get; }
    public Tensor WeightIh { get; }
    /// <summary>(vocab, G) view of <see cref="WeightIh"/>: row v collects the steps whose input was v.</summary>
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

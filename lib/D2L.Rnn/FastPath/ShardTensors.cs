using static TorchSharp.torch;

namespace D2L.Rnn.FastPath;

/// <summary>
/// The tensors a shard keeps for its whole life, its buffers and the views into them: taken out of the dispose
/// scope they are made in, disposed together with the shard.
/// </summary>
internal sealed class ShardTensors : IDisposable
{
    private readonly List<Tensor> _owned = [];

    /// <summary>Keeps <paramref name="tensor"/> until <see cref="Dispose"/>.</summary>
    public Tensor Keep(Tensor tensor)
    {
        _owned.Add(tensor.DetachFromDisposeScope());
        return tensor;
    }

    /// <summary>Keeps <paramref name="view"/>(<paramref name="buffer"/>[t]) for t = 0 … <paramref name="count"/> − 1:
    /// the per-step views that the time loops use without making a tensor per call.</summary>
    public Tensor[] PerStep(Tensor buffer, int count, Func<Tensor, Tensor> view) =>
        Enumerable.Range(0, count).Select(t => Keep(view(buffer[t]))).ToArray();

    public void Dispose()
    {
        foreach (var t in _owned) t.Dispose();
        _owned.Clear();
    }
}

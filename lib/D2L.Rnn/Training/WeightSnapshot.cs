using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>
/// A copy of a model's parameters, taken and put back in place (no tensor is made after the first copy): the weights
/// of the last finished epoch, or of the best one.
/// </summary>
internal sealed class WeightSnapshot : IDisposable
{
    private readonly (Tensor Parameter, Tensor Copy)[] _pairs;

    private WeightSnapshot(IEnumerable<Tensor> parameters)
    {
        using var scope = NewDisposeScope(); // frees the detached aliases; the copies are kept below
        using var noGrad = no_grad();
        _pairs = parameters.Select(p => (p, p.detach().clone().DetachFromDisposeScope())).ToArray();
    }

    /// <summary>A copy of <paramref name="parameters"/> as they are now.</summary>
    public static WeightSnapshot Of(IEnumerable<Tensor> parameters) => new(parameters);

    /// <summary>Overwrites the copy with the model's parameters as they are now.</summary>
    public void Take()
    {
        using var noGrad = no_grad();
        foreach (var (parameter, copy) in _pairs) copy.copy_(parameter);
    }

    /// <summary>The copies, in the parameters' order (what a run checkpoint saves and loads).</summary>
    public IReadOnlyList<Tensor> Copies => _pairs.Select(p => p.Copy).ToArray();

    /// <summary>Puts the copy back into the model.</summary>
    public void Restore()
    {
        using var noGrad = no_grad();
        foreach (var (parameter, copy) in _pairs) parameter.copy_(copy);
    }

    public void Dispose()
    {
        foreach (var (_, copy) in _pairs) copy.Dispose();
    }
}

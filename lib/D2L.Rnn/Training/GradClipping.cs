using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>d2l's <c>grad_clipping</c>: rescale all gradients together when their joint L2 norm exceeds θ.</summary>
public static class GradClipping
{
    /// <summary>
    /// Computes ‖g‖ = sqrt(Σ over every parameter of Σ g²); when ‖g‖ &gt; <paramref name="theta"/>, multiplies
    /// every gradient by θ/‖g‖. Returns the norm before clipping. Parameters without a gradient are skipped.
    /// </summary>
    public static double Clip(IEnumerable<Parameter> parameters, double theta)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return ClipGradients(parameters.Select(p => p.grad).Where(g => g is not null).Select(g => g!).ToList(), theta);
    }

    /// <summary>The same on the gradient tensors themselves (the fast path keeps them in one flat buffer).</summary>
    internal static double ClipGradients(IReadOnlyList<Tensor> grads, double theta)
    {
        if (!(theta > 0)) throw new ArgumentOutOfRangeException(nameof(theta), theta, "The clipping threshold must be positive.");
        if (grads.Count == 0) return 0;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var sumSquares = grads.Select(g => g.square().sum()).Aggregate((a, b) => a + b);
        var norm = Math.Sqrt(sumSquares.to(float64).item<double>());
        if (norm > theta)
        {
            foreach (var g in grads) g.mul_(theta / norm);
        }
        return norm;
    }
}

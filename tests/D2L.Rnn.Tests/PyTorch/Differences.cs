using static TorchSharp.torch;

namespace D2L.Rnn.Tests.PyTorch;

/// <summary>How far the library's numbers are from PyTorch's, one tensor at a time.</summary>
public static class Differences
{
    /// <summary>
    /// max|ours − pytorch| / max|pytorch| over the tensor (float64): the error relative to the tensor's scale, so that
    /// entries near zero are not judged on their own. Shapes must agree.
    /// </summary>
    public static double Relative(Tensor ours, Tensor pytorch)
    {
        Assert.Equal(pytorch.shape, ours.shape);
        using var scope = NewDisposeScope();
        var expected = pytorch.to(float64);
        var scale = expected.abs().max().item<double>();
        Assert.True(scale > 0, "the PyTorch tensor is all zeros: nothing to compare against");
        return (ours.to(float64) - expected).abs().max().item<double>() / scale;
    }

    /// <summary>max|ours − pytorch| over the tensor (float64).</summary>
    public static double Absolute(Tensor ours, Tensor pytorch)
    {
        Assert.Equal(pytorch.shape, ours.shape);
        using var scope = NewDisposeScope();
        return (ours.to(float64) - pytorch.to(float64)).abs().max().item<double>();
    }

    /// <summary>|ours − pytorch| / |pytorch| for one number.</summary>
    public static double Relative(double ours, double pytorch) => Math.Abs(ours - pytorch) / Math.Abs(pytorch);

    /// <summary>Asserts <paramref name="difference"/> ≤ <paramref name="tolerance"/>, naming what was compared.</summary>
    public static void AtMost(double tolerance, double difference, string what) =>
        Assert.True(difference <= tolerance, $"{what}: differs from PyTorch by {difference:E2} (tolerance {tolerance:E0})");
}

using static TorchSharp.torch;

namespace D2L.Rnn.Notebooks;

/// <summary>Shape checks for notebook cells: print a shape the way the lecture does, and fail loudly if it is wrong.</summary>
public static class Shapes
{
    /// <summary>The shape as a tuple, e.g. <c>(35, 2, 256)</c>.</summary>
    public static string Of(Tensor tensor) => "(" + string.Join(", ", tensor.shape) + ")";

    /// <summary>Returns <see cref="Of"/>, or throws when the shape is not <paramref name="expected"/>.</summary>
    public static string Expect(Tensor tensor, params long[] expected)
    {
        var actual = Of(tensor);
        var wanted = "(" + string.Join(", ", expected) + ")";
        return actual == wanted ? actual : throw new InvalidOperationException($"Expected shape {wanted}, got {actual}.");
    }
}

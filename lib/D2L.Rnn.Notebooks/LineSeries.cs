using static TorchSharp.torch;

namespace D2L.Rnn.Notebooks;

/// <summary>One named line of a <see cref="LineChart"/>: its points' x and y values.</summary>
public sealed record LineSeries
{
    /// <summary>A line through the points (<paramref name="x"/>[i], <paramref name="y"/>[i]).</summary>
    public LineSeries(string name, IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
            throw new ArgumentException($"The line '{name}' has {x.Count} x values but {y.Count} y values.", nameof(y));
        if (x.Count == 0) throw new ArgumentException($"The line '{name}' has no points.", nameof(x));
        (Name, X, Y) = (name, x, y);
    }

    /// <summary>The name the legend shows.</summary>
    public string Name { get; }

    /// <summary>The points' x values.</summary>
    public IReadOnlyList<double> X { get; }

    /// <summary>The points' y values.</summary>
    public IReadOnlyList<double> Y { get; }

    /// <summary>
    /// A line from two tensors of the same length, such as a time axis and a series: each is flattened, so a column
    /// (n, 1) is as good as a vector (n). The values are copied (as doubles); the tensors are left as they are.
    /// </summary>
    public static LineSeries Of(string name, Tensor x, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.numel() != y.numel())
            throw new ArgumentException($"The line '{name}' has {x.numel()} x values {Shapes.Of(x)} but {y.numel()} y values {Shapes.Of(y)}.", nameof(y));
        return new LineSeries(name, Values(x), Values(y));
    }

    private static double[] Values(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.detach().cpu().to(ScalarType.Float64).flatten().data<double>().ToArray();
    }
}

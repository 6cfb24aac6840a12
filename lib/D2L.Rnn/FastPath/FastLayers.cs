using static TorchSharp.torch;

namespace D2L.Rnn.FastPath;

/// <summary>The hand-written layer of each cell kind the fast path has one for.</summary>
internal static class FastLayers
{
    /// <summary>Whether the fast path has a hand-written layer for <paramref name="kind"/> (without one, such models train
    /// on the reference path).</summary>
    public static bool Has(CellKind kind) => kind is CellKind.Rnn or CellKind.Gru or CellKind.Lstm;

    /// <summary>The hand-written layer for <paramref name="parameters"/>' kind, for a shard of <paramref name="batch"/> sequences.</summary>
    public static FastLayer Create(FastLayerParameters parameters, int batch, int steps, Tensor ones) => parameters.Kind switch
    {
        CellKind.Rnn => new FastRnnLayer(parameters, batch, steps, ones),
        CellKind.Gru => new FastGruLayer(parameters, batch, steps, ones),
        CellKind.Lstm => new FastLstmLayer(parameters, batch, steps, ones),
        _ => throw new NotSupportedException($"The fast path has no hand-written {Cells.Of(parameters.Kind).Name} layer."),
    };
}

namespace D2L.Rnn;

/// <summary>Everything needed to rebuild an <see cref="RNNModel"/> (saved in checkpoints).</summary>
/// <param name="Kind">RNN, GRU or LSTM.</param>
/// <param name="VocabSize">Number of tokens: the one-hot width and the number of outputs.</param>
/// <param name="NumHiddens">Hidden units per layer.</param>
/// <param name="NumLayers">Stacked recurrent layers.</param>
/// <param name="Nonlinearity">The activation of a plain RNN (GRU and LSTM have their own gates and ignore it).</param>
/// <param name="EmbeddingSize">Null: the recurrent layer reads one-hot vectors (d2l). Else the width of a learned
/// embedding (<c>nn.Embedding(VocabSize, EmbeddingSize)</c>) that replaces them.</param>
public sealed record ModelConfig(CellKind Kind, int VocabSize, int NumHiddens = 256, int NumLayers = 1,
    Nonlinearity Nonlinearity = Nonlinearity.Tanh, int? EmbeddingSize = null)
{
    /// <summary>The features the first recurrent layer reads per step: the embedding size, else the vocabulary size (one-hot).</summary>
    public int InputSize => EmbeddingSize ?? VocabSize;

    /// <summary>
    /// The 2019 lecture's model: one RNN layer of 256 hidden units with ReLU, the default of MXNet Gluon's
    /// <c>rnn.RNN(num_hiddens)</c> (PyTorch and TorchSharp default to tanh).
    /// </summary>
    public static ModelConfig Lecture2019(int vocabSize) => new(CellKind.Rnn, vocabSize, 256, 1, Nonlinearity.ReLU);

    /// <summary>For people: "GRU, 28 tokens, 256 hidden units, 1 layer, one-hot input".</summary>
    public override string ToString()
    {
        var known = Enum.IsDefined(Kind) ? Cells.Of(Kind) : null;
        var cell = known is null ? Kind.ToString()
            : known.TakesNonlinearity ? $"{known.Name} ({Nonlinearity.ToString().ToLowerInvariant()})" : known.Name;
        var input = EmbeddingSize is { } e ? $"embedding of {e}" : "one-hot input";
        return $"{cell}, {VocabSize} tokens, {NumHiddens} hidden units, {NumLayers} layer{(NumLayers == 1 ? "" : "s")}, {input}";
    }

    /// <summary>The settings in which <paramref name="other"/> differs from this one, with both values (readable text).</summary>
    internal IReadOnlyList<(string Name, string Mine, string Theirs)> Differences(ModelConfig other)
    {
        ArgumentNullException.ThrowIfNull(other);
        static string Show(object? value) => value?.ToString() ?? "none (one-hot input)";
        var pairs = new (string Name, object? Mine, object? Theirs)[]
        {
            (nameof(Kind), Kind, other.Kind), (nameof(VocabSize), VocabSize, other.VocabSize),
            (nameof(NumHiddens), NumHiddens, other.NumHiddens), (nameof(NumLayers), NumLayers, other.NumLayers),
            (nameof(Nonlinearity), Nonlinearity, other.Nonlinearity), (nameof(EmbeddingSize), EmbeddingSize, other.EmbeddingSize),
        };
        return pairs.Where(p => !Equals(p.Mine, p.Theirs)).Select(p => (p.Name, Show(p.Mine), Show(p.Theirs))).ToList();
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first bad value.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind)) throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Unknown cell kind.");
        if (VocabSize <= 0) throw new ArgumentOutOfRangeException(nameof(VocabSize), VocabSize, "The vocabulary size must be positive.");
        if (NumHiddens <= 0) throw new ArgumentOutOfRangeException(nameof(NumHiddens), NumHiddens, "The number of hidden units must be positive.");
        if (NumLayers <= 0) throw new ArgumentOutOfRangeException(nameof(NumLayers), NumLayers, "The number of layers must be positive.");
        if (EmbeddingSize is <= 0)
            throw new ArgumentOutOfRangeException(nameof(EmbeddingSize), EmbeddingSize, "The embedding size must be positive (or null for one-hot input).");
        if (!Enum.IsDefined(Nonlinearity)) throw new ArgumentOutOfRangeException(nameof(Nonlinearity), Nonlinearity, "Unknown nonlinearity.");
        if (!Cells.Of(Kind).TakesNonlinearity && Nonlinearity != Nonlinearity.Tanh)
            throw new ArgumentException($"Only a plain RNN takes a nonlinearity; a {Kind.ToString().ToUpperInvariant()} has its own gates: leave Nonlinearity at Tanh (the default).", nameof(Nonlinearity));
    }
}

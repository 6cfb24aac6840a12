namespace D2L.Rnn;

/// <summary>Everything needed to rebuild an <see cref="RNNModel"/> (saved in checkpoints).</summary>
/// <param name="Kind">RNN, GRU or LSTM.</param>
/// <param name="VocabSize">Number of tokens: the one-hot width and the number of outputs.</param>
/// <param name="NumHiddens">Hidden units per layer.</param>
/// <param name="NumLayers">Stacked recurrent layers.</param>
/// <param name="Nonlinearity">The activation of a plain RNN (GRU and LSTM have their own gates and ignore it).</param>
/// <param name="EmbeddingSize">Null: the recurrent layer reads one-hot vectors (d2l). Else the width of a learned
/// embedding (<c>nn.Embedding(VocabSize, EmbeddingSize)</c>) that replaces them.</param>
/// <param name="Bidirectional">Whether every layer also runs backwards in time (PyTorch's <c>bidirectional=True</c>):
/// each layer has a forward and a reverse direction of <paramref name="NumHiddens"/> units each, the layer above and
/// the dense layer read both (2 · hiddens features), and the state holds one layer per direction. Trained as a language
/// model it sees, at every step, the characters it must predict: its training perplexity falls towards 1 while its
/// predictions from a prefix are nonsense (the lecture on bidirectional RNNs shows this).</param>
public sealed record ModelConfig(CellKind Kind, int VocabSize, int NumHiddens = 256, int NumLayers = 1,
    Nonlinearity Nonlinearity = Nonlinearity.Tanh, int? EmbeddingSize = null, bool Bidirectional = false)
{
    /// <summary>The features the first recurrent layer reads per step: the embedding size, else the vocabulary size (one-hot).</summary>
    public int InputSize => EmbeddingSize ?? VocabSize;

    /// <summary>d2l's <c>num_directions</c>: 2 for a bidirectional layer, else 1.</summary>
    public int NumDirections => Bidirectional ? 2 : 1;

    /// <summary>The features the recurrent layer outputs per step, which the dense layer reads: hiddens × directions.</summary>
    public int OutputSize => NumDirections * NumHiddens;

    /// <summary>
    /// The 2019 lecture's model: one RNN layer of 256 hidden units with ReLU, the default of MXNet Gluon's
    /// <c>rnn.RNN(num_hiddens)</c> (PyTorch and TorchSharp default to tanh).
    /// </summary>
    public static ModelConfig Lecture2019(int vocabSize) => new(CellKind.Rnn, vocabSize, 256, 1, Nonlinearity.ReLU);

    /// <summary>For people: "GRU, 28 tokens, 256 hidden units, 1 layer, one-hot input" (", bidirectional" after the
    /// layers when it is).</summary>
    public override string ToString()
    {
        var known = Enum.IsDefined(Kind) ? Cells.Of(Kind) : null;
        var cell = known is null ? Kind.ToString()
            : known.TakesNonlinearity ? $"{known.Name} ({Nonlinearity.ToString().ToLowerInvariant()})" : known.Name;
        var input = EmbeddingSize is { } e ? $"embedding of {e}" : "one-hot input";
        var layers = $"{NumLayers} layer{(NumLayers == 1 ? "" : "s")}{(Bidirectional ? ", bidirectional" : "")}";
        return $"{cell}, {VocabSize} tokens, {NumHiddens} hidden units, {layers}, {input}";
    }

    /// <summary>The settings in which <paramref name="other"/> differs from this one, with both values (readable text).</summary>
    internal IReadOnlyList<(string Name, string Mine, string Theirs)> Differences(ModelConfig other)
    {
        ArgumentNullException.ThrowIfNull(other);
        static string Show(object? value) => value switch
        {
            null => "none (one-hot input)",
            bool b => b ? "true" : "false",
            _ => value.ToString()!,
        };
        var pairs = new (string Name, object? Mine, object? Theirs)[]
        {
            (nameof(Kind), Kind, other.Kind), (nameof(VocabSize), VocabSize, other.VocabSize),
            (nameof(NumHiddens), NumHiddens, other.NumHiddens), (nameof(NumLayers), NumLayers, other.NumLayers),
            (nameof(Nonlinearity), Nonlinearity, other.Nonlinearity), (nameof(EmbeddingSize), EmbeddingSize, other.EmbeddingSize),
            (nameof(Bidirectional), Bidirectional, other.Bidirectional),
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

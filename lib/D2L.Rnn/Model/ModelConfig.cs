namespace D2L.Rnn.Model;

/// <summary>Everything needed to rebuild an <see cref="RNNModel"/> (saved in checkpoints).</summary>
/// <param name="Kind">RNN, GRU or LSTM.</param>
/// <param name="VocabSize">Number of tokens: the one-hot width and the number of outputs.</param>
/// <param name="NumHiddens">Hidden units per layer.</param>
/// <param name="NumLayers">Stacked recurrent layers.</param>
public sealed record ModelConfig(CellKind Kind, int VocabSize, int NumHiddens = 256, int NumLayers = 1)
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming the first bad value.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind)) throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Unknown cell kind.");
        if (VocabSize <= 0) throw new ArgumentOutOfRangeException(nameof(VocabSize), VocabSize, "The vocabulary size must be positive.");
        if (NumHiddens <= 0) throw new ArgumentOutOfRangeException(nameof(NumHiddens), NumHiddens, "The number of hidden units must be positive.");
        if (NumLayers <= 0) throw new ArgumentOutOfRangeException(nameof(NumLayers), NumLayers, "The number of layers must be positive.");
    }
}

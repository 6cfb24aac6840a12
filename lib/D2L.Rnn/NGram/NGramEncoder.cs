using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>Encodes windows of token indices as MLP inputs: one-hot per token, concatenated or summed.</summary>
public static class NGramEncoder
{
    /// <summary>Features per window: length × vocab for <see cref="NGramEncoding.Sequential"/>, vocab for a bag.</summary>
    public static int Width(NGramEncoding encoding, int windowLength, int vocabSize)
    {
        CheckEncoding(encoding);
        if (windowLength < 1) throw new ArgumentOutOfRangeException(nameof(windowLength), windowLength, "A window holds at least one token.");
        if (vocabSize < 1) throw new ArgumentOutOfRangeException(nameof(vocabSize), vocabSize, "The vocabulary size must be positive.");
        return encoding == NGramEncoding.Sequential ? windowLength * vocabSize : vocabSize;
    }

    /// <summary>
    /// float32 inputs for a batch of windows, on the windows' device. Sequential: (batch, length × vocab), where
    /// feature p·vocab + v is 1 when position p holds token v. Bag of characters: (batch, vocab), feature v counts
    /// the v's in the window.
    /// </summary>
    /// <param name="windows">Token indices, (batch, length), of an integer type.</param>
    /// <param name="vocabSize">Number of tokens: the one-hot width.</param>
    /// <param name="encoding">Concatenate or sum the one-hot vectors.</param>
    /// <exception cref="ArgumentException">Not a 2-D integer tensor, or an index outside 0 … vocab − 1.</exception>
    public static Tensor Encode(Tensor windows, int vocabSize, NGramEncoding encoding)
    {
        ArgumentNullException.ThrowIfNull(windows);
        if (windows.dim() != 2 || windows.shape[1] < 1)
            throw new ArgumentException($"Windows are (batch, length) with length ≥ 1, not ({string.Join(", ", windows.shape)}).", nameof(windows));
        if (!is_integral(windows.dtype))
            throw new ArgumentException($"Windows hold token indices of an integer type, not {windows.dtype}.", nameof(windows));
        var width = Width(encoding, (int)windows.shape[1], vocabSize);
        using var scope = NewDisposeScope();
        if (windows.numel() > 0)
        {
            var (min, max) = (windows.min().to(int64).item<long>(), windows.max().to(int64).item<long>());
            if (min < 0 || max >= vocabSize)
                throw new ArgumentException($"Token indices run from {min} to {max}, outside the vocabulary's 0 … {vocabSize - 1}.", nameof(windows));
        }
        var oneHot = nn.functional.one_hot(windows.to(int64), vocabSize).to(float32); // (batch, length, vocab)
        var encoded = encoding == NGramEncoding.Sequential ? oneHot.reshape(windows.shape[0], width) : oneHot.sum(1);
        return encoded.MoveToOuterDisposeScope();
    }

    private static void CheckEncoding(NGramEncoding encoding)
    {
        if (!Enum.IsDefined(encoding)) throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Unknown encoding.");
    }
}

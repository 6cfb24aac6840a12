namespace D2L.Rnn;

/// <summary>Checks that token indices can be read by a model, before any of them reaches TorchSharp.</summary>
internal static class TokenIndices
{
    /// <summary>
    /// Throws an <see cref="ArgumentException"/> (parameter <paramref name="paramName"/>) naming the first index of
    /// <paramref name="tokens"/> outside 0 … <paramref name="vocabSize"/> − 1, its position and the vocabulary size.
    /// </summary>
    public static void EnsureWithin(IReadOnlyList<int> tokens, int vocabSize, string what, string paramName)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            var index = tokens[i];
            if (index >= 0 && index < vocabSize) continue;
            throw new ArgumentException(
                $"Token index {index} at position {i:N0} of {what} is outside the model's vocabulary of {vocabSize} tokens " +
                $"(indices 0 to {vocabSize - 1}). Make the indices with the same Vocab the model was built for.", paramName);
        }
    }
}

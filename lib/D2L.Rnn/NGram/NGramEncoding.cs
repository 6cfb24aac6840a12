namespace D2L.Rnn;

/// <summary>How <see cref="NGramEncoder"/> turns a window of tokens into one input vector for an MLP.</summary>
public enum NGramEncoding
{
    /// <summary>The one-hot vectors of the window's tokens, concatenated in order: length × vocab features.</summary>
    Sequential,

    /// <summary>The sum of the window's one-hot vectors (a bag of characters, order lost): vocab features, each a count.</summary>
    BagOfCharacters,
}

namespace D2L.Rnn;

/// <summary>A corpus is neither on disk nor downloadable; the message says where to put it.</summary>
public sealed class CorpusNotFoundException(string message, Exception? inner = null) : IOException(message, inner);

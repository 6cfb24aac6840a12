namespace D2L.Rnn;

/// <summary>A file's SHA-1 is not the expected one; nothing was written.</summary>
public sealed class ChecksumMismatchException(string message) : IOException(message);

namespace D2L.Rnn;

/// <summary>A checkpoint file is corrupt, not a checkpoint, or does not fit the model it is loaded into.</summary>
public sealed class CheckpointException(string message, Exception? inner = null) : IOException(message, inner);

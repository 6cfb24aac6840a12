namespace D2L.Rnn.Training;

/// <summary>The loss became NaN or infinite; the message says where and what to change.</summary>
public sealed class TrainingDivergedException(string message) : InvalidOperationException(message);

namespace D2L.Rnn;

/// <summary>The loss, or the perplexity it implies, became NaN or infinite; the message says where and what to change.</summary>
public sealed class TrainingDivergedException(string message) : InvalidOperationException(message);

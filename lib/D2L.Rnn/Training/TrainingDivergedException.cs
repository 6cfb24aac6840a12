namespace D2L.Rnn;

/// <summary>The loss, or the perplexity it implies, became NaN or infinite; the message says where, what to change and
/// which weights the model holds now.</summary>
public sealed class TrainingDivergedException(string message) : InvalidOperationException(message)
{
    /// <summary>Which weights a model put back after diverging in <paramref name="epoch"/> holds, as the message says it.</summary>
    internal static string KeptWeights(int epoch) => epoch == 1 ? "it had before this run" : $"of the end of epoch {epoch - 1}";
}

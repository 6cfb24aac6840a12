using Microsoft.DotNet.Interactive;

namespace D2L.Rnn.Notebooks;

/// <summary>Settings a notebook reads from its environment, so a headless run can be shortened.</summary>
public static class NotebookSettings
{
    /// <summary>The environment variable that overrides the number of training epochs.</summary>
    public const string EpochsVariable = "D2L_EPOCHS";

    /// <summary><c>$D2L_EPOCHS</c> when it is set to a positive number, else <paramref name="defaultEpochs"/>.</summary>
    public static int Epochs(int defaultEpochs) =>
        int.TryParse(Environment.GetEnvironmentVariable(EpochsVariable), out var n) && n > 0 ? n : defaultEpochs;

    /// <summary>The environment variable that caps how many tokens of a corpus a notebook loads.</summary>
    public const string MaxTokensVariable = "D2L_MAX_TOKENS";

    /// <summary><c>$D2L_MAX_TOKENS</c> when it is set to a positive number, else <paramref name="defaultMaxTokens"/> (-1: all).</summary>
    public static int MaxTokens(int defaultMaxTokens = -1) =>
        int.TryParse(Environment.GetEnvironmentVariable(MaxTokensVariable), out var n) && n > 0 ? n : defaultMaxTokens;

    /// <summary>
    /// Cancelled when the user interrupts the running cell (the notebook's stop button); training then stops
    /// at the next minibatch and keeps what it has learned.
    /// </summary>
    public static CancellationToken CellCancellation => KernelInvocationContext.Current?.CancellationToken ?? CancellationToken.None;
}

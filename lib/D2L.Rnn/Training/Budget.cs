namespace D2L.Rnn;

/// <summary>
/// How long a run may train, overridable from the environment: a script or a doc example written as
/// <c>NumEpochs = Budget.Epochs(20)</c> trains 20 epochs, or <c>$D2L_EPOCHS</c> when that is set, so a quick check
/// (the tests run every example in the docs this way) needs no edit of the code.
/// </summary>
public static class Budget
{
    /// <summary>The environment variable that overrides the number of training epochs.</summary>
    public const string EpochsVariable = "D2L_EPOCHS";

    /// <summary>The environment variable that caps how many tokens of a corpus are loaded.</summary>
    public const string MaxTokensVariable = "D2L_MAX_TOKENS";

    /// <summary><c>$D2L_EPOCHS</c> when it is set to a positive number, else <paramref name="defaultEpochs"/>.</summary>
    public static int Epochs(int defaultEpochs) => FromEnvironment(EpochsVariable) ?? defaultEpochs;

    /// <summary><c>$D2L_MAX_TOKENS</c> when it is set to a positive number, else <paramref name="defaultMaxTokens"/> (-1: all).</summary>
    public static int MaxTokens(int defaultMaxTokens = -1) => FromEnvironment(MaxTokensVariable) ?? defaultMaxTokens;

    private static int? FromEnvironment(string variable) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), out var n) && n > 0 ? n : null;
}

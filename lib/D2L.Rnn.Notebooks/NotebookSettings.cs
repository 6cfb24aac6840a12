namespace D2L.Rnn.Notebooks;

/// <summary>Settings a notebook reads from its environment, so a headless run can be shortened.</summary>
public static class NotebookSettings
{
    /// <summary>The environment variable that overrides the number of training epochs.</summary>
    public const string EpochsVariable = Budget.EpochsVariable;

    /// <summary><c>$D2L_EPOCHS</c> when it is set to a positive number, else <paramref name="defaultEpochs"/> (see <see cref="Budget"/>).</summary>
    public static int Epochs(int defaultEpochs) => Budget.Epochs(defaultEpochs);

    /// <summary>The environment variable that caps how many tokens of a corpus a notebook loads.</summary>
    public const string MaxTokensVariable = Budget.MaxTokensVariable;

    /// <summary><c>$D2L_MAX_TOKENS</c> when it is set to a positive number, else <paramref name="defaultMaxTokens"/> (-1: all).</summary>
    public static int MaxTokens(int defaultMaxTokens = -1) => Budget.MaxTokens(defaultMaxTokens);

    /// <summary>The environment variable that names the folder notebooks write their files to (charts, models).</summary>
    public const string OutputVariable = "D2L_OUTPUT_DIR";

    /// <summary>
    /// Where a notebook writes <paramref name="relativePath"/>: under <c>$D2L_OUTPUT_DIR</c> when set (tests use a
    /// temporary folder), else under the <c>artifacts/</c> folder of the repository above <paramref name="start"/>
    /// (default: <see cref="Repository.DefaultStart"/>), else under <c>./artifacts</c>.
    /// </summary>
    public static string OutputPath(string relativePath, string? start = null)
    {
        var fromEnv = Environment.GetEnvironmentVariable(OutputVariable);
        var folder = !string.IsNullOrWhiteSpace(fromEnv) ? fromEnv
            : Path.Combine(Repository.FindRoot(start) ?? Environment.CurrentDirectory, "artifacts");
        return Path.GetFullPath(Path.Combine(folder, relativePath));
    }

    /// <summary>The environment variable that sets the random seed of a notebook that reads <see cref="Seed"/>.</summary>
    public const string SeedVariable = "D2L_SEED";

    /// <summary><c>$D2L_SEED</c> when it is set to a whole number, else <paramref name="defaultSeed"/>: draw other random data.</summary>
    public static int Seed(int defaultSeed) =>
        int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), out var seed) ? seed : defaultSeed;

    /// <summary>
    /// Cancelled when the user interrupts the running cell (the notebook's stop button) or, in a file-based app,
    /// presses Ctrl+C (a second Ctrl+C ends the program); training then stops at the next minibatch and keeps what it
    /// has learned.
    /// </summary>
    public static CancellationToken CellCancellation => NotebookKernel.IsRunningCell ? NotebookKernel.CellCancellation : AppOutput.Cancellation;
}

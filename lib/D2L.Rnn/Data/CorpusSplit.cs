namespace D2L.Rnn;

/// <summary>
/// A token sequence cut into three contiguous parts, in text order: what a model trains on, what it is checked on
/// while you choose settings (validation), and what is scored once at the end (test).
/// </summary>
/// <param name="Train">The tokens to train on: everything before the held-out parts.</param>
/// <param name="Validation">The tokens right after the training part (may be empty).</param>
/// <param name="Test">The last tokens of the sequence (may be empty).</param>
public sealed record CorpusSplit(int[] Train, int[] Validation, int[] Test)
{
    /// <summary>
    /// Holds out the tail of <paramref name="tokens"/>: the last <paramref name="testTokens"/> are the test set, the
    /// <paramref name="validationTokens"/> before them the validation set, the rest the training set. Contiguous
    /// parts (not shuffled windows), so no held-out character is ever inside a training sequence, as in the homework.
    /// </summary>
    /// <param name="tokens">Token indices (a corpus' <see cref="CharCorpus.Indices"/>, or any list of your own).</param>
    /// <param name="validationTokens">Size of the validation set; 0 for none.</param>
    /// <param name="testTokens">Size of the test set; 0 for none.</param>
    public static CorpusSplit HoldOutTail(IReadOnlyList<int> tokens, int validationTokens, int testTokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (validationTokens < 0)
            throw new ArgumentOutOfRangeException(nameof(validationTokens), validationTokens, "validationTokens is 0 (no validation set) or more.");
        if (testTokens < 0)
            throw new ArgumentOutOfRangeException(nameof(testTokens), testTokens, "testTokens is 0 (no test set) or more.");
        var heldOut = (long)validationTokens + testTokens;
        if (heldOut >= tokens.Count)
            throw new ArgumentException(
                $"validationTokens {validationTokens:N0} and testTokens {testTokens:N0} hold out {heldOut:N0} of the {tokens.Count:N0} tokens, " +
                "leaving nothing to train on: hold out fewer tokens or use a longer text.",
                validationTokens > 0 && testTokens < tokens.Count ? nameof(validationTokens) : nameof(testTokens));
        var all = tokens as int[] ?? [.. tokens];
        var trainEnd = all.Length - (int)heldOut;
        return new CorpusSplit(all[..trainEnd], all[trainEnd..^testTokens], all[^testTokens..]);
    }
}

using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>
/// Every window of <see cref="Length"/> consecutive tokens with the token that follows it: in "But Brutus" with
/// length 5, "But B" → 'r', "ut Br" → 'u', … (<see cref="Count"/> = tokens − length windows).
/// </summary>
public sealed class NGramWindows
{
    private readonly int[] _tokens;

    /// <summary>The windows of <paramref name="tokens"/>.</summary>
    /// <param name="tokens">Token indices of the text, in order (copied).</param>
    /// <param name="length">Tokens per window (the homework's 5).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is below 1.</exception>
    /// <exception cref="ArgumentException">Fewer than <paramref name="length"/> + 1 tokens: not one window with a target.</exception>
    public NGramWindows(IReadOnlyList<int> tokens, int length = 5)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), length, "A window holds at least one token.");
        if (tokens.Count <= length)
            throw new ArgumentException(
                $"{tokens.Count} tokens give no window of {length} with a token after it: at least {length + 1} are needed.", nameof(tokens));
        _tokens = [.. tokens];
        Length = length;
    }

    /// <summary>Tokens per window.</summary>
    public int Length { get; }

    /// <summary>Number of windows: one per token that has <see cref="Length"/> tokens before it.</summary>
    public int Count => _tokens.Length - Length;

    /// <summary>The token indices this was built from.</summary>
    public IReadOnlyList<int> Tokens => _tokens;

    /// <summary>The tokens of window <paramref name="index"/>: positions index … index + Length − 1.</summary>
    public int[] Window(int index) => _tokens[CheckIndex(index)..(index + Length)];

    /// <summary>The token after window <paramref name="index"/>: what a model should predict from it.</summary>
    public int Target(int index) => _tokens[CheckIndex(index) + Length];

    /// <summary>All windows as int64 tensors: windows (count, length) and targets (count).</summary>
    public (Tensor Windows, Tensor Targets) ToTensors() => Select(Enumerable.Range(0, Count).ToArray());

    /// <summary>The windows <paramref name="indices"/>, in that order, as int64 tensors on the CPU: (n, length) and (n).</summary>
    public (Tensor Windows, Tensor Targets) Select(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var windows = new long[indices.Count * Length];
        var targets = new long[indices.Count];
        for (var row = 0; row < indices.Count; row++)
        {
            var start = CheckIndex(indices[row], nameof(indices));
            for (var t = 0; t < Length; t++) windows[row * Length + t] = _tokens[start + t];
            targets[row] = _tokens[start + Length];
        }
        return (tensor(windows, [indices.Count, Length], device: CPU), tensor(targets, [indices.Count], device: CPU));
    }

    private int CheckIndex(int index, string name = "index") =>
        index >= 0 && index < Count ? index
            : throw new ArgumentOutOfRangeException(name, index, $"There are {Count} windows.");
}

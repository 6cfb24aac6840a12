namespace D2L.Rnn;

/// <summary>
/// A token vocabulary exactly as d2l's <c>Vocab</c>: index 0 is <c>&lt;unk&gt;</c>, then the reserved tokens,
/// then every token seen at least <c>minFreq</c> times by descending frequency (ties keep first-seen order).
/// The 2019 lecture's vocabulary has no <c>&lt;unk&gt;</c> (43 symbols): build it with <c>withUnknown: false</c>.
/// </summary>
public sealed class Vocab
{
    /// <summary>The token for anything not in the vocabulary; always index 0.</summary>
    public const string Unknown = "<unk>";

    private readonly List<string> _idxToToken;
    private readonly Dictionary<string, int> _tokenToIdx;

    /// <summary>Builds the vocabulary of <paramref name="tokens"/>.</summary>
    /// <param name="tokens">The tokens of the corpus, in order.</param>
    /// <param name="minFreq">Tokens seen fewer times than this map to <c>&lt;unk&gt;</c>.</param>
    /// <param name="reservedTokens">Tokens placed right after <c>&lt;unk&gt;</c>, whether seen or not.</param>
    /// <param name="withUnknown">Whether index 0 is <c>&lt;unk&gt;</c> (d2l) or the most frequent token (the lecture).</param>
    public Vocab(IEnumerable<string> tokens, int minFreq = 0, IEnumerable<string>? reservedTokens = null,
        bool withUnknown = true)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        // Python's Counter keeps insertion order and sorted() is stable, so ties stay in first-seen order.
        var counts = new Dictionary<string, int>();
        var firstSeen = new List<string>();
        foreach (var token in tokens)
        {
            if (counts.TryGetValue(token, out var c)) counts[token] = c + 1;
            else { counts[token] = 1; firstSeen.Add(token); }
        }
        TokenFrequencies = firstSeen
            .Select(t => new KeyValuePair<string, int>(t, counts[t]))
            .OrderByDescending(p => p.Value) // OrderBy is stable in .NET
            .ToList();

        HasUnknown = withUnknown;
        _idxToToken = withUnknown ? [Unknown, .. reservedTokens ?? []] : [.. reservedTokens ?? []];
        _tokenToIdx = new Dictionary<string, int>();
        for (var i = 0; i < _idxToToken.Count; i++) _tokenToIdx.TryAdd(_idxToToken[i], i);
        foreach (var (token, freq) in TokenFrequencies)
        {
            if (freq < minFreq) break;
            if (_tokenToIdx.ContainsKey(token)) continue;
            _tokenToIdx[token] = _idxToToken.Count;
            _idxToToken.Add(token);
        }
    }

    /// <summary>Rebuilds a vocabulary from its tokens in index order (as saved in a checkpoint).</summary>
    public static Vocab FromIndexOrder(IReadOnlyList<string> idxToToken)
    {
        ArgumentNullException.ThrowIfNull(idxToToken);
        if (idxToToken.Count == 0)
            throw new ArgumentException("A vocabulary has at least one token.", nameof(idxToToken));
        var vocab = new Vocab([], withUnknown: idxToToken[0] == Unknown);
        vocab._idxToToken.Clear();
        vocab._tokenToIdx.Clear();
        foreach (var token in idxToToken)
        {
            if (!vocab._tokenToIdx.TryAdd(token, vocab._idxToToken.Count))
                throw new ArgumentException($"The token '{token}' appears twice.", nameof(idxToToken));
            vocab._idxToToken.Add(token);
        }
        return vocab;
    }

    /// <summary>Number of tokens, <c>&lt;unk&gt;</c> included.</summary>
    public int Count => _idxToToken.Count;

    /// <summary>Tokens and their counts in the corpus, by descending count (d2l's <c>token_freqs</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, int>> TokenFrequencies { get; private set; }

    /// <summary>All tokens in index order.</summary>
    public IReadOnlyList<string> IdxToToken => _idxToToken;

    /// <summary>Whether index 0 is <c>&lt;unk&gt;</c>, the index of every token not in the vocabulary.</summary>
    public bool HasUnknown { get; }

    /// <summary>
    /// The index of <paramref name="token"/>; an unknown token is 0 (<c>&lt;unk&gt;</c>), or an
    /// <see cref="ArgumentException"/> when the vocabulary has no <c>&lt;unk&gt;</c>.
    /// </summary>
    public int this[string token] =>
        _tokenToIdx.TryGetValue(token, out var i) ? i
        : HasUnknown ? 0
        : throw new ArgumentException($"'{token}' is not in the vocabulary, which has no {Unknown} token.", nameof(token));

    /// <summary>Whether <paramref name="token"/> has an index of its own.</summary>
    public bool Contains(string token) => _tokenToIdx.ContainsKey(token);

    /// <summary>Indices of several tokens.</summary>
    public int[] ToIndices(IEnumerable<string> tokens) => tokens.Select(t => this[t]).ToArray();

    /// <summary>
    /// The index of every character of <paramref name="text"/> (a character vocabulary). A character outside the
    /// vocabulary is <c>&lt;unk&gt;</c> when there is one, else an <see cref="ArgumentException"/> (parameter
    /// <paramref name="paramName"/>) that lists every such character.
    /// </summary>
    internal int[] CharacterIndices(string text, string paramName)
    {
        if (!HasUnknown && Lacks(text) is { Count: > 0 } unknown)
            throw new ArgumentException(
                $"The {paramName} has characters that are not in the vocabulary: {Quoted(unknown)}. " +
                $"This vocabulary has no {Unknown} to read them as: remove them, or use a LanguageModel, " +
                "which first applies the corpus' preprocessing (the lecture's makes the text lower case).",
                paramName);
        return text.Select(c => this[c.ToString()]).ToArray();
    }

    /// <summary>The characters of <paramref name="text"/> that have no index of their own, each once, in the order they
    /// first appear (with &lt;unk&gt;, those it would stand for).</summary>
    internal IReadOnlyList<char> Lacks(string text) => text.Distinct().Where(c => !Contains(c.ToString())).ToList();

    /// <summary>'a', 'b', 'c': characters as a message lists them.</summary>
    internal static string Quoted(IEnumerable<char> characters) => string.Join(", ", characters.Select(c => $"'{c}'"));

    /// <summary>The token at <paramref name="index"/>.</summary>
    public string ToToken(int index) =>
        index >= 0 && index < _idxToToken.Count
            ? _idxToToken[index]
            : throw new ArgumentOutOfRangeException(nameof(index), index, $"The vocabulary has {Count} tokens.");

    /// <summary>Tokens of several indices.</summary>
    public string[] ToTokens(IEnumerable<int> indices) => indices.Select(ToToken).ToArray();
}

namespace D2L.Rnn;

/// <summary>A character-level corpus: the preprocessed text, its vocabulary and the text as token indices.</summary>
/// <param name="Text">The preprocessed text (each character is one token).</param>
/// <param name="Vocab">The vocabulary of the characters.</param>
/// <param name="Indices">The text as vocabulary indices (d2l's <c>corpus</c>).</param>
/// <param name="Preset">How the raw text was preprocessed: what a prompt for a model of this corpus goes through too.</param>
public sealed record CharCorpus(string Text, Vocab Vocab, int[] Indices, TextPreset Preset)
{
    /// <summary>
    /// Preprocesses <paramref name="raw"/> with <paramref name="preset"/> and builds its vocabulary, as d2l's
    /// <c>load_corpus_time_machine</c>.
    /// </summary>
    /// <param name="raw">The raw text of the file.</param>
    /// <param name="preset">How to clean the text; the lecture preset also means a vocabulary without &lt;unk&gt;.</param>
    /// <param name="maxTokens">Keep only the first this many tokens (d2l's <c>max_tokens</c>); -1 keeps all.</param>
    /// <param name="log">Hears when the preset cuts the text (the lecture's keeps 10,000 characters).</param>
    public static CharCorpus FromText(string raw, TextPreset preset, int maxTokens = -1, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(preset);
        if (maxTokens is 0 or < -1)
            throw new ArgumentOutOfRangeException(nameof(maxTokens), maxTokens, "maxTokens is positive, or -1 for all.");
        var text = preset.Apply(raw, log);
        if (text.Length == 0)
            throw new ArgumentException($"The text is empty after preprocessing with the {preset.Name} preset: there is nothing to learn from.", nameof(raw));
        var tokens = text.Select(c => c.ToString()).ToArray();
        // d2l builds the vocabulary from the whole text and only then cuts the index list to max_tokens.
        var vocab = new Vocab(tokens, withUnknown: preset != TextPreset.Lecture2019);
        var indices = vocab.ToIndices(tokens);
        if (maxTokens > 0 && indices.Length > maxTokens)
        {
            indices = indices[..maxTokens];
            text = text[..maxTokens];
        }
        return new CharCorpus(text, vocab, indices, preset);
    }

    /// <summary>Reads a text file of your own (UTF-8 unless it starts with another byte-order mark) and preprocesses it.</summary>
    /// <param name="path">The file.</param>
    /// <param name="preset">How to clean the text: <see cref="TextPreset.Verbatim"/> keeps every character.</param>
    /// <param name="maxTokens">Keep only the first this many tokens; -1 keeps all.</param>
    /// <param name="log">Hears which file was read and when the preset cuts the text.</param>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    public static CharCorpus FromFile(string path, TextPreset preset, int maxTokens = -1, Action<string>? log = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"No text file at '{Path.GetFullPath(path)}'.", path);
        log?.Invoke($"Reading {Path.GetFileName(path)}");
        return FromText(File.ReadAllText(path), preset, maxTokens, log);
    }

    /// <summary>Reads and preprocesses a corpus file (see <see cref="CorpusFiles.Locate"/> for where it is found).</summary>
    public static CharCorpus Load(CorpusSource corpus, TextPreset preset, int maxTokens = -1, string? path = null,
        string? dataDirectory = null, Action<string>? log = null)
    {
        var file = CorpusFiles.Locate(corpus, path, dataDirectory, log: log);
        return FromText(File.ReadAllText(file), preset, maxTokens, log);
    }

    /// <summary>
    /// Training, validation and test parts of the token indices, in text order: the test set is the last
    /// <paramref name="testTokens"/> tokens, the validation set the <paramref name="validationTokens"/> before it.
    /// See <see cref="CorpusSplit.HoldOutTail"/>.
    /// </summary>
    public CorpusSplit Split(int validationTokens, int testTokens) => CorpusSplit.HoldOutTail(Indices, validationTokens, testTokens);
}

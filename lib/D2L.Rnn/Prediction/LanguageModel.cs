namespace D2L.Rnn;

/// <summary>
/// A character language model for text in, text out: a model (<see cref="RNNModel"/>, <see cref="RNNModelScratch"/>, any
/// <see cref="IRecurrentModel"/>) with its <see cref="D2L.Rnn.Vocab"/>
/// and the <see cref="TextPreset"/> of its corpus. Every text it is given goes through the corpus' preprocessing first,
/// so "But Brutus is an honorable man" works on a letters-only, lower-case model, and a character that the vocabulary
/// lacks even then is an <see cref="UnknownCharactersException"/> instead of a silently made-up number.
/// </summary>
/// <remarks>
/// The index-based API (<see cref="Predictor"/>, <see cref="Evaluator"/>) stays as in d2l: it takes text or indices as
/// they are and cannot know which vocabulary made a list of indices. Disposing a language model disposes its model.
/// </remarks>
public sealed class LanguageModel : IDisposable
{
    /// <summary>Bundles a model with the vocabulary and preprocessing of the corpus it was trained on.</summary>
    /// <exception cref="ArgumentException">The vocabulary's size is not the model's.</exception>
    public LanguageModel(IRecurrentModel model, Vocab vocab, TextPreset preset)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(vocab);
        ArgumentNullException.ThrowIfNull(preset);
        ModelContract.EnsureFits(model, vocab);
        Model = model;
        Vocab = vocab;
        Preset = preset;
    }

    /// <summary>Bundles a model with the vocabulary and preprocessing of <paramref name="corpus"/>, its training corpus.</summary>
    public LanguageModel(IRecurrentModel model, CharCorpus corpus)
        : this(model, (corpus ?? throw new ArgumentNullException(nameof(corpus))).Vocab, corpus.Preset)
    {
    }

    /// <summary>The network.</summary>
    public IRecurrentModel Model { get; }

    /// <summary>The vocabulary of its training corpus.</summary>
    public Vocab Vocab { get; }

    /// <summary>The preprocessing of its training corpus, applied to every text given to this object.</summary>
    public TextPreset Preset { get; }

    /// <summary>
    /// The characters of <paramref name="text"/>, after <see cref="Preset"/>'s cleaning, that the vocabulary lacks,
    /// each once, in the order they first appear (empty when the model can read all of it).
    /// </summary>
    public IReadOnlyList<char> UnknownCharacters(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return UnknownIn(Preset.Clean(text));
    }

    /// <summary>
    /// <paramref name="text"/> cleaned by <see cref="Preset"/> as vocabulary indices (no cut to <see cref="TextPreset.MaxChars"/>).
    /// </summary>
    /// <exception cref="UnknownCharactersException">Some cleaned character is not in the vocabulary.</exception>
    public int[] Encode(string text) => Vocab.ToIndices(Prepared(text, nameof(text)).Select(c => c.ToString()));

    /// <summary>
    /// d2l's <c>predict_ch8</c> on the cleaned <paramref name="prefix"/>: warms the state up on it, then appends the most
    /// likely next character <paramref name="numPreds"/> times. Returns the cleaned prefix followed by the prediction.
    /// </summary>
    /// <exception cref="UnknownCharactersException">The cleaned prefix has characters the vocabulary lacks.</exception>
    public string Predict(string prefix, int numPreds) =>
        Predictor.Predict(Prepared(prefix, nameof(prefix)), numPreds, Model, Vocab);

    /// <summary>As <see cref="Predict"/>, drawing each character from softmax(scores / temperature) (see <see cref="Predictor.Sample"/>).</summary>
    /// <exception cref="UnknownCharactersException">The cleaned prefix has characters the vocabulary lacks.</exception>
    public string Sample(string prefix, int numPreds, double temperature = 1.0, int? seed = null) =>
        Predictor.Sample(Prepared(prefix, nameof(prefix)), numPreds, Model, Vocab, temperature, seed);

    /// <summary>
    /// The perplexity of the cleaned <paramref name="text"/>, read from a zero state with no update
    /// (<see cref="Evaluator.Perplexity"/> on <see cref="Encode"/>).
    /// </summary>
    /// <exception cref="UnknownCharactersException">The cleaned text has characters the vocabulary lacks.</exception>
    public double Perplexity(string text, int chunkSteps = 1000)
    {
        var indices = Encode(text);
        if (indices.Length < 2)
            throw new ArgumentException($"Perplexity needs at least two characters after the {Preset.Name} preset; the text has {indices.Length}.", nameof(text));
        return Evaluator.Perplexity(Model, indices, chunkSteps);
    }

    /// <summary>Writes a checkpoint with the model, the vocabulary and the preset's name (see <see cref="Checkpoint.Save"/>).</summary>
    /// <exception cref="NotSupportedException">The model is not an <see cref="RNNModel"/> (checkpoints rebuild one from its
    /// configuration).</exception>
    public void Save(string path, IReadOnlyDictionary<string, string>? notes = null) =>
        Checkpoint.Save(path, Model as RNNModel ?? throw new NotSupportedException(
            $"Checkpoints hold an RNNModel, which they rebuild from its configuration; this language model's model is a {Model.GetType().Name}. " +
            "Save its parameters yourself (torch.save of each tensor) or train an RNNModel."), Vocab, notes, Preset);

    /// <summary>
    /// Reads a checkpoint into a new language model (on the CPU) with the preset the file names. Files saved without
    /// one (written before presets were stored, or by <see cref="Checkpoint.Save"/> without a preset) do not say how
    /// their text was preprocessed: they get <paramref name="preset"/>, or <see cref="TextPreset.Verbatim"/>, which
    /// changes nothing, so a character the vocabulary lacks is reported rather than guessed at.
    /// </summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="preset">The preset for a file without one, or a preset of your own that the file names.</param>
    /// <exception cref="ArgumentException"><paramref name="preset"/> is not the preset the file names.</exception>
    /// <exception cref="CheckpointException">The file is damaged or not a checkpoint, or names a preset that is unknown here.</exception>
    public static LanguageModel Load(string path, TextPreset? preset = null)
    {
        var (model, vocab, _, stored) = Checkpoint.LoadWithPreset(path);
        try
        {
            return new LanguageModel(model, vocab, Resolve(stored, preset, path));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Disposes <see cref="Model"/>.</summary>
    public void Dispose() => (Model as IDisposable)?.Dispose();

    private static TextPreset Resolve(string? stored, TextPreset? given, string path)
    {
        if (stored is null) return given ?? TextPreset.Verbatim;
        if (given is not null)
            return given.Name == stored ? given
                : throw new ArgumentException(
                    $"'{path}' was trained on text preprocessed with the {stored} preset, not {given.Name}: pass that preset, or none.",
                    "preset");
        return TextPreset.All.FirstOrDefault(p => p.Name == stored)
               ?? throw new CheckpointException(
                   $"'{path}' was trained on text preprocessed with a preset named '{stored}', which this library does not have: " +
                   "pass your own preset of that name to LanguageModel.Load(path, preset).");
    }

    private string Prepared(string text, string paramName)
    {
        ArgumentNullException.ThrowIfNull(text, paramName);
        var cleaned = Preset.Clean(text);
        var unknown = UnknownIn(cleaned);
        if (unknown.Count > 0) throw new UnknownCharactersException(unknown, Preset, paramName);
        if (cleaned.Length == 0 && text.Length > 0)
            throw new ArgumentException($"Nothing is left of the text after the {Preset.Name} preset: give it some letters.", paramName);
        return cleaned;
    }

    private IReadOnlyList<char> UnknownIn(string cleaned) => Vocab.Lacks(cleaned);
}

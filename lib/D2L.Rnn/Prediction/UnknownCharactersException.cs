namespace D2L.Rnn;

/// <summary>
/// A text for a <see cref="LanguageModel"/> has characters, after its preprocessing, that the model's vocabulary does
/// not have: the model never saw them in training, so it could read them only as &lt;unk&gt; (or not at all).
/// </summary>
public sealed class UnknownCharactersException : ArgumentException
{
    /// <summary>Describes the characters of the argument <paramref name="paramName"/> that the vocabulary lacks.</summary>
    /// <param name="characters">The characters, each once, in the order they first appear.</param>
    /// <param name="preset">The preprocessing the text went through before the check.</param>
    /// <param name="paramName">The argument that holds the text.</param>
    public UnknownCharactersException(IReadOnlyList<char> characters, TextPreset preset, string paramName)
        : base(Describe(characters, preset), paramName)
    {
        Characters = characters;
    }

    /// <summary>The characters the vocabulary lacks, each once, in the order they first appear in the text.</summary>
    public IReadOnlyList<char> Characters { get; }

    private static string Describe(IReadOnlyList<char> characters, TextPreset preset) =>
        $"After the {preset.Name} preset the text still has characters that the model's vocabulary does not have: " +
        $"{string.Join(", ", characters.Select(Show))}. The model never saw them in training, so any prediction or " +
        "perplexity would be made up for them. Remove them from the text (LanguageModel.UnknownCharacters lists them), " +
        "or train on a corpus that has them.";

    private static string Show(char c) => c switch
    {
        '\n' => @"'\n'",
        '\r' => @"'\r'",
        '\t' => @"'\t'",
        _ when char.IsControl(c) => $"U+{(int)c:X4}",
        _ => $"'{c}'",
    };
}

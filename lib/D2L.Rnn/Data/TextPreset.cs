using System.Text.RegularExpressions;

namespace D2L.Rnn;

/// <summary>How raw corpus text becomes the character sequence a model learns from.</summary>
/// <remarks>
/// A preset has two parts: <see cref="Clean"/>, the per-character preprocessing that any text a model reads must go
/// through (a prompt, a passage to score), and an optional cut to the first <see cref="MaxChars"/> characters, which
/// belongs to building a corpus only. <see cref="Apply"/> does both.
/// </remarks>
public abstract partial record TextPreset
{
    /// <summary>A preset of your own: <paramref name="name"/> is what checkpoints store, so keep it stable.</summary>
    /// <param name="name">A stable name, different from the built-in presets' names.</param>
    /// <param name="maxChars">Cut a corpus to its first this many characters (null: keep all).</param>
    protected TextPreset(string name, int? maxChars = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (maxChars is <= 0) throw new ArgumentOutOfRangeException(nameof(maxChars), maxChars, "maxChars is positive, or null to keep all.");
        Name = name;
        MaxChars = maxChars;
    }

    /// <summary>A stable name (what a checkpoint stores): <see cref="FromName"/> gives the preset back.</summary>
    public string Name { get; }

    /// <summary>The corpus keeps only its first this many characters (null: all of them).</summary>
    public int? MaxChars { get; }

    /// <summary>The per-character preprocessing, without any cut: what a prompt or a passage to score goes through.</summary>
    public string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Transform(text);
    }

    /// <summary>The preprocessing itself (<paramref name="text"/> is not null).</summary>
    protected abstract string Transform(string text);

    /// <summary>
    /// Turns the raw file text into the text whose characters are the tokens: the first <see cref="MaxChars"/>
    /// characters (when set), cleaned. <paramref name="log"/> hears when the text was cut.
    /// </summary>
    public string Apply(string raw, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (MaxChars is { } max && raw.Length > max)
        {
            log?.Invoke($"The {Name} preset keeps the first {max:N0} of the text's {raw.Length:N0} characters.");
            raw = raw[..max];
        }
        return Clean(raw);
    }

    /// <summary>The preset's name.</summary>
    public sealed override string ToString() => Name;

    /// <summary>
    /// The 2019 STAT 157 lecture: the first 10,000 characters, line breaks as spaces, lower case, nothing else
    /// removed (43 symbols on the Time Machine).
    /// </summary>
    public static TextPreset Lecture2019 { get; } = new LecturePreset();

    /// <summary>
    /// d2l 0.17 (<c>read_time_machine</c>): per line every run of non-letters becomes one space, the line is
    /// trimmed and lower-cased, and the lines are joined with nothing between them (28 tokens with &lt;unk&gt;).
    /// </summary>
    public static TextPreset D2l017 { get; } = new D2lPreset();

    /// <summary>
    /// STAT 157 homework 8: every run of non-letters becomes one space, lower case (the whole text, so line
    /// breaks become spaces too).
    /// </summary>
    public static TextPreset LettersOnly { get; } = new LettersOnlyPreset();

    /// <summary>
    /// The text exactly as it is: every character (capitals, punctuation, line breaks) is a token of its own.
    /// </summary>
    public static TextPreset Verbatim { get; } = new VerbatimPreset();

    /// <summary>Every preset, by name.</summary>
    public static IReadOnlyList<TextPreset> All { get; } = [Lecture2019, D2l017, LettersOnly, Verbatim];

    /// <summary>The preset called <paramref name="name"/> (see <see cref="Name"/>).</summary>
    /// <exception cref="ArgumentException">No preset has that name.</exception>
    public static TextPreset FromName(string name) =>
        All.FirstOrDefault(p => p.Name == name)
        ?? throw new ArgumentException(
            $"There is no text preset named '{name}'; the presets are {string.Join(", ", All.Select(p => $"'{p.Name}'"))}.", nameof(name));

    [GeneratedRegex("[^A-Za-z]+")]
    private static partial Regex NonLetters();

    private sealed record LecturePreset() : TextPreset("lecture-2019", 10_000)
    {
        protected override string Transform(string text) => text.Replace('\n', ' ').Replace('\r', ' ').ToLowerInvariant();
    }

    private sealed record D2lPreset() : TextPreset("d2l-0.17")
    {
        protected override string Transform(string text) =>
            string.Concat(text.Split('\n').Select(line => NonLetters().Replace(line, " ").Trim().ToLowerInvariant()));
    }

    private sealed record LettersOnlyPreset() : TextPreset("letters-only")
    {
        protected override string Transform(string text) => NonLetters().Replace(text, " ").ToLowerInvariant();
    }

    private sealed record VerbatimPreset() : TextPreset("verbatim")
    {
        protected override string Transform(string text) => text;
    }
}

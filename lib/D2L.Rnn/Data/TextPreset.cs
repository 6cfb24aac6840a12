using System.Text.RegularExpressions;

namespace D2L.Rnn;

/// <summary>How raw corpus text becomes the character sequence a model learns from.</summary>
public abstract partial record TextPreset
{
    /// <summary>Turns the raw file text into the text whose characters are the tokens.</summary>
    public abstract string Apply(string raw);

    /// <summary>
    /// The 2019 STAT 157 lecture: the first 10,000 characters, line breaks as spaces, lower case, nothing else
    /// removed (43 symbols on the Time Machine).
    /// </summary>
    public static TextPreset Lecture2019 { get; } = new LecturePreset(10_000);

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

    [GeneratedRegex("[^A-Za-z]+")]
    private static partial Regex NonLetters();

    private sealed record LecturePreset(int MaxChars) : TextPreset
    {
        public override string Apply(string raw)
        {
            var head = raw.Length > MaxChars ? raw[..MaxChars] : raw;
            return head.Replace('\n', ' ').Replace('\r', ' ').ToLowerInvariant();
        }
    }

    private sealed record D2lPreset : TextPreset
    {
        public override string Apply(string raw) =>
            string.Concat(raw.Split('\n').Select(line => NonLetters().Replace(line, " ").Trim().ToLowerInvariant()));
    }

    private sealed record LettersOnlyPreset : TextPreset
    {
        public override string Apply(string raw) => NonLetters().Replace(raw, " ").ToLowerInvariant();
    }
}

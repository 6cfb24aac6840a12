using D2L.Rnn;

namespace D2L.Rnn.Tests;

/// <summary>A student's own text: a file loader, a preset that keeps every character, truncation that says so, splits.</summary>
public sealed class OwnTextTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("d2l-own-text-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void FromFileWithTheVerbatimPresetKeepsEveryCharacterAsAToken()
    {
        const string text = "To be, or not to be?\r\nThat is the question.\n";
        var path = Path.Combine(_dir, "hamlet.txt");
        File.WriteAllText(path, text);
        var log = new List<string>();

        var corpus = CharCorpus.FromFile(path, TextPreset.Verbatim, log: log.Add);

        Assert.Equal(text, corpus.Text);
        Assert.Equal(text, string.Concat(corpus.Vocab.ToTokens(corpus.Indices)));
        Assert.Equal(text.Distinct().Count() + 1, corpus.Vocab.Count); // every distinct character, and <unk>
        Assert.True(corpus.Vocab.Contains("T") && corpus.Vocab.Contains("?") && corpus.Vocab.Contains("\r"));
        Assert.Same(TextPreset.Verbatim, corpus.Preset);
        Assert.Equal(["Reading hamlet.txt"], log); // nothing was cut, so nothing else is said
    }

    [Fact]
    public void AMissingFileNamesItsFullPath()
    {
        var missing = Path.Combine(_dir, "nope.txt");
        var e = Assert.Throws<FileNotFoundException>(() => CharCorpus.FromFile(missing, TextPreset.Verbatim));
        Assert.Contains(missing, e.Message);
    }

    [Fact]
    public void TheLecturePresetSaysWhenItCutsTheText()
    {
        var raw = string.Concat(Enumerable.Repeat("abc\n", 3_000)); // 12,000 characters
        var log = new List<string>();
        var corpus = CharCorpus.FromText(raw, TextPreset.Lecture2019, log: log.Add);
        Assert.Equal(10_000, corpus.Text.Length);
        Assert.Equal($"The lecture-2019 preset keeps the first {10_000:N0} of the text's {12_000:N0} characters.", Assert.Single(log));

        log.Clear();
        CharCorpus.FromText(raw[..9_000], TextPreset.Lecture2019, log: log.Add);
        Assert.Empty(log);
        // The cut belongs to building a corpus: cleaning a prompt never cuts it.
        Assert.Equal(12_000, TextPreset.Lecture2019.Clean(raw).Length);
    }

    [Fact]
    public void PresetsHaveStableNamesThatGiveThemBack()
    {
        Assert.Equal(["lecture-2019", "d2l-0.17", "letters-only", "verbatim"], TextPreset.All.Select(p => p.Name));
        Assert.All(TextPreset.All, p => Assert.Same(p, TextPreset.FromName(p.Name)));
        Assert.Equal("letters-only", TextPreset.LettersOnly.ToString());
        var e = Assert.Throws<ArgumentException>(() => TextPreset.FromName("letters"));
        Assert.Equal("name", e.ParamName);
        Assert.Contains("'letters-only'", e.Message);
    }

    [Fact]
    public void HoldOutTailGivesContiguousTrainValidationAndTestPartsInTextOrder()
    {
        var tokens = Enumerable.Range(100, 50).ToArray();
        var split = CorpusSplit.HoldOutTail(tokens, validationTokens: 10, testTokens: 5);
        Assert.Equal(tokens[..35], split.Train);
        Assert.Equal(tokens[35..45], split.Validation);
        Assert.Equal(tokens[45..], split.Test);

        var noValidation = CorpusSplit.HoldOutTail(new List<int>(tokens), validationTokens: 0, testTokens: 5);
        Assert.Empty(noValidation.Validation);
        Assert.Equal(tokens[45..], noValidation.Test);

        var corpus = CharCorpus.FromText("the time machine by h g wells", TextPreset.LettersOnly);
        Assert.Equal(CorpusSplit.HoldOutTail(corpus.Indices, 4, 6), corpus.Split(validationTokens: 4, testTokens: 6), SplitComparer.Instance);
        var trainAndTest = corpus.Split(validationTokens: 0, testTokens: 6);
        Assert.Equal(corpus.Indices[..^6], trainAndTest.Train);
        Assert.Equal(corpus.Indices[^6..], trainAndTest.Test);
    }

    [Theory]
    [InlineData(-1, 5, "validationTokens", "validationTokens is 0")]
    [InlineData(5, -1, "testTokens", "testTokens is 0")]
    [InlineData(30, 20, "validationTokens", "validationTokens 30 and testTokens 20 hold out 50 of the 50 tokens")]
    [InlineData(0, 50, "testTokens", "leaving nothing to train on")]
    public void BadSplitsNameTheArgument(int validation, int test, string name, string message)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => CorpusSplit.HoldOutTail(Enumerable.Range(0, 50).ToArray(), validation, test));
        Assert.Equal(name, e.ParamName);
        Assert.Contains(message, e.Message);
    }

    private sealed class SplitComparer : IEqualityComparer<CorpusSplit>
    {
        public static readonly SplitComparer Instance = new();
        public bool Equals(CorpusSplit? a, CorpusSplit? b) =>
            a!.Train.SequenceEqual(b!.Train) && a.Validation.SequenceEqual(b.Validation) && a.Test.SequenceEqual(b.Test);
        public int GetHashCode(CorpusSplit s) => s.Train.Length;
    }
}

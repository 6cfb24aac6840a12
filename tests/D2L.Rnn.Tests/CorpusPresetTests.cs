using D2L.Rnn;

namespace D2L.Rnn.Tests;

/// <summary>The two presets on the real Time Machine text give d2l's and the lecture's numbers.</summary>
public class CorpusPresetTests
{
    [Fact]
    public void TheTimeMachineFileIsTheOneD2lDownloads() =>
        Assert.Equal(CorpusSource.TimeMachine.Sha1, CorpusFiles.Sha1Of(TestData.TimeMachinePath));

    [Fact]
    public void LecturePresetHas43SymbolsAnd10000Characters()
    {
        var corpus = TimeMachine.LoadLecture(dataDirectory: TestData.Directory);
        Assert.Equal(10_000, corpus.Indices.Length);
        Assert.Equal(43, corpus.Vocab.Count);
        Assert.False(corpus.Vocab.HasUnknown);
        Assert.Equal(" ", corpus.Vocab.ToToken(0)); // space is the most frequent character
        Assert.DoesNotContain('\n', corpus.Text);
        Assert.Equal(corpus.Text.ToLowerInvariant(), corpus.Text);
        Assert.Equal(corpus.Text, string.Concat(corpus.Vocab.ToTokens(corpus.Indices)));
    }

    [Fact]
    public void D2lPresetHas28TokensAnd170580Tokens()
    {
        var corpus = TimeMachine.LoadD2l(dataDirectory: TestData.Directory);
        Assert.Equal(170_580, corpus.Indices.Length);
        Assert.Equal(28, corpus.Vocab.Count);
        // d2l 0.17 prints vocab.token_freqs[:10] starting with (' ', 29927), ('e', 17838).
        Assert.Equal(["<unk>", " ", "e", "t", "a", "i", "n", "o", "s", "h", "r"], corpus.Vocab.IdxToToken.Take(11));
        Assert.Equal(new KeyValuePair<string, int>(" ", 29927), corpus.Vocab.TokenFrequencies[0]);
        Assert.Equal(new KeyValuePair<string, int>("e", 17838), corpus.Vocab.TokenFrequencies[1]);
        Assert.StartsWith("the time machine by h g wells", corpus.Text);

        var ch8 = TimeMachine.LoadD2l(maxTokens: 10_000, dataDirectory: TestData.Directory);
        Assert.Equal(10_000, ch8.Indices.Length);
        Assert.Equal(corpus.Indices[..10_000], ch8.Indices);
    }

    [Fact]
    public void LettersOnlyPresetCollapsesEverythingElseToOneSpace() =>
        Assert.Equal("but brutus is an honorable man ", TextPreset.LettersOnly.Apply("But Brutus,\n is an  honorable man!!"));

    [Fact]
    public void EmptyTextAfterPreprocessingIsAClearError()
    {
        var e = Assert.Throws<ArgumentException>(() => CharCorpus.FromText("123 456\n", TextPreset.D2l017));
        Assert.Equal("raw", e.ParamName);
        Assert.StartsWith("The text is empty after preprocessing with the d2l-0.17 preset", e.Message);
    }
}

using D2L.Rnn;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests;

/// <summary>Text in, text out: the corpus' own preprocessing is applied, and characters the vocabulary lacks are reported.</summary>
public sealed class LanguageModelTests : IDisposable
{
    private const string Brutus = "But Brutus is an honorable man";
    private static readonly CharCorpus Letters =
        CharCorpus.FromText("The quick brown fox jumps over the lazy dog.\nFriends, Romans, countrymen!", TextPreset.LettersOnly);
    private readonly string _dir = Directory.CreateTempSubdirectory("d2l-lm-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static RNNModel NewModel(Vocab vocab, int seed = 3)
    {
        manual_seed(seed);
        return new RNNModel(new ModelConfig(CellKind.Gru, vocab.Count, 16));
    }

    [Fact]
    public void APromptWithCapitalsAndPunctuationGoesThroughTheCorpusPreprocessing()
    {
        using var lm = new LanguageModel(NewModel(Letters.Vocab), Letters);
        Assert.Empty(lm.UnknownCharacters(Brutus + "!"));
        var predicted = lm.Predict(Brutus + "!", 25);
        Assert.Equal(Predictor.Predict("but brutus is an honorable man ", 25, lm.Model, Letters.Vocab), predicted);
        Assert.StartsWith("but brutus is an honorable man ", predicted);
        Assert.Equal(Predictor.Sample("but brutus is an honorable man", 25, lm.Model, Letters.Vocab, 0.8, seed: 4),
            lm.Sample(Brutus, 25, temperature: 0.8, seed: 4));
    }

    [Fact]
    public void CharactersTheVocabularyLacksAfterPreprocessingAreAnErrorThatListsThem()
    {
        var verbatim = CharCorpus.FromText("to be or not to be", TextPreset.Verbatim);
        using var lm = new LanguageModel(NewModel(verbatim.Vocab), verbatim);
        Assert.Equal(['T', '!'], lm.UnknownCharacters("To be!"));

        var e = Assert.Throws<UnknownCharactersException>(() => lm.Predict("To be!", 5));
        Assert.Equal("prefix", e.ParamName);
        Assert.Equal(['T', '!'], e.Characters);
        Assert.StartsWith("After the verbatim preset the text still has characters that the model's vocabulary does not have: 'T', '!'.", e.Message);
        Assert.Contains("Remove them from the text", e.Message);
        Assert.Equal("prefix", Assert.Throws<UnknownCharactersException>(() => lm.Sample("To be", 5)).ParamName);
        Assert.Equal("text", Assert.Throws<UnknownCharactersException>(() => lm.Perplexity("to be\n")).ParamName);
        Assert.Contains(@"'\n'", Assert.Throws<UnknownCharactersException>(() => lm.Encode("to be\n")).Message);

        // Letters-only cleaning keeps every letter: one the corpus never had ('z' is not in "to be or not to be") stays unknown.
        var letters = CharCorpus.FromText("To be, or not to be!", TextPreset.LettersOnly);
        using var lettersModel = new LanguageModel(NewModel(letters.Vocab), letters);
        Assert.Equal(['z'], Assert.Throws<UnknownCharactersException>(() => lettersModel.Perplexity("Zoo, or not")).Characters);
    }

    [Fact]
    public void TextThatNothingIsLeftOfIsNamed()
    {
        var d2l = CharCorpus.FromText("the time machine", TextPreset.D2l017);
        using var lm = new LanguageModel(NewModel(d2l.Vocab), d2l);
        var e = Assert.Throws<ArgumentException>(() => lm.Predict("1984", 5));
        Assert.Equal("prefix", e.ParamName);
        Assert.Contains("Nothing is left of the text after the d2l-0.17 preset", e.Message);
        Assert.Equal("text", Assert.Throws<ArgumentException>(() => lm.Perplexity("t")).ParamName);
        var mismatch = Assert.Throws<ArgumentException>(() => new LanguageModel(lm.Model, Letters.Vocab, TextPreset.D2l017));
        Assert.Equal("vocab", mismatch.ParamName);
        Assert.Contains($"The vocabulary has {Letters.Vocab.Count} tokens but the model was built for {d2l.Vocab.Count}: pass the vocabulary", mismatch.Message);
    }

    [Fact]
    public void PerplexityOfTextEncodesItWithTheModelsOwnVocabulary()
    {
        using var lm = new LanguageModel(NewModel(Letters.Vocab), Letters);
        const string passage = "Friends, Romans, countrymen, lend me your ears";
        var own = Letters.Vocab.ToIndices(TextPreset.LettersOnly.Apply(passage).Select(c => c.ToString()));
        Assert.Equal(Evaluator.Perplexity(lm.Model, own), lm.Perplexity(passage));

        // The same passage encoded with another corpus' vocabulary (same size, other order) scores differently, and
        // the index-based Evaluator cannot tell: the text-in API always encodes with the right one.
        var other = CharCorpus.FromText(new string(Letters.Vocab.IdxToToken.Skip(1).Select(t => t[0]).Reverse().ToArray()), TextPreset.LettersOnly);
        Assert.Equal(Letters.Vocab.Count, other.Vocab.Count);
        var foreign = other.Vocab.ToIndices(TextPreset.LettersOnly.Apply(passage).Select(c => c.ToString()));
        Assert.NotEqual(own, foreign);
        Assert.NotEqual(lm.Perplexity(passage), Evaluator.Perplexity(lm.Model, foreign));
    }

    [Fact]
    public void ACheckpointKeepsThePresetSoAReloadedModelCleansTextTheSameWay()
    {
        using var lm = new LanguageModel(NewModel(Letters.Vocab), Letters);
        var path = Path.Combine(_dir, "brutus.ckpt");
        lm.Save(path, new Dictionary<string, string> { ["corpus"] = "pangrams" });

        using var loaded = LanguageModel.Load(path);
        Assert.Same(TextPreset.LettersOnly, loaded.Preset);
        Assert.Equal(Letters.Vocab.IdxToToken, loaded.Vocab.IdxToToken);
        Assert.Equal(lm.Predict(Brutus, 30), loaded.Predict(Brutus, 30));
        Assert.Equal(lm.Perplexity(Brutus), loaded.Perplexity(Brutus));
        Assert.Equal("pangrams", Checkpoint.Load(path).Notes["corpus"]);

        var e = Assert.Throws<ArgumentException>(() => LanguageModel.Load(path, TextPreset.Verbatim));
        Assert.Equal("preset", e.ParamName);
        Assert.Contains("preprocessed with the letters-only preset, not verbatim", e.Message);
    }

    [Fact]
    public void AFileWithoutAPresetLoadsVerbatimOrWithThePresetGiven()
    {
        using var model = NewModel(Letters.Vocab);
        var path = Path.Combine(_dir, "plain.ckpt");
        Checkpoint.Save(path, model, Letters.Vocab);

        using (var verbatim = LanguageModel.Load(path))
        {
            Assert.Same(TextPreset.Verbatim, verbatim.Preset);
            Assert.Equal(['B'], verbatim.UnknownCharacters(Brutus)); // reported, not lower-cased behind the student's back
        }
        using var letters = LanguageModel.Load(path, TextPreset.LettersOnly);
        Assert.Equal(Predictor.Predict("but brutus is an honorable man", 10, model, Letters.Vocab), letters.Predict(Brutus, 10));
    }

    /// <summary>A version 1 file (no preset in its header) made with d2l 0.17's preprocessing.</summary>
    [Fact]
    public void AVersion1FileLoadsVerbatimAndPredictsWhatItDidWithItsPresetGiven()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "v1-rnn.ckpt");
        using (var verbatim = LanguageModel.Load(path))
            Assert.Same(TextPreset.Verbatim, verbatim.Preset);
        using var lm = LanguageModel.Load(path, TextPreset.D2l017);
        Assert.Equal(Checkpoint.Load(path).Notes["prediction"], lm.Predict("Time Traveller!", 20));
    }

    [Fact]
    public void APresetOfYourOwnIsStoredByNameAndMustBeGivenBack()
    {
        var preset = new LowerCasePreset();
        var corpus = CharCorpus.FromText("To be, or not to be", preset);
        using var lm = new LanguageModel(NewModel(corpus.Vocab), corpus);
        var path = Path.Combine(_dir, "own.ckpt");
        lm.Save(path);

        var e = Assert.Throws<CheckpointException>(() => LanguageModel.Load(path));
        Assert.Contains("a preset named 'lower-case', which this library does not have", e.Message);
        using var loaded = LanguageModel.Load(path, preset);
        Assert.Same(preset, loaded.Preset);
        Assert.Equal(lm.Predict("TO BE", 10), loaded.Predict("TO BE", 10));
    }

    private sealed record LowerCasePreset() : TextPreset("lower-case")
    {
        protected override string Transform(string text) => text.ToLowerInvariant();
    }
}

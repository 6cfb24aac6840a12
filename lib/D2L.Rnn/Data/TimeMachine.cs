namespace D2L.Rnn;

/// <summary>The Time Machine corpus, loaded as in the lecture or as in d2l 0.17.</summary>
public static class TimeMachine
{
    /// <summary>The 2019 lecture: first 10,000 characters, 43 symbols, no &lt;unk&gt;.</summary>
    public static CharCorpus LoadLecture(string? path = null, string? dataDirectory = null, Action<string>? log = null) =>
        CharCorpus.Load(CorpusSource.TimeMachine, TextPreset.Lecture2019, -1, path, dataDirectory, log);

    /// <summary>d2l 0.17's <c>load_corpus_time_machine(max_tokens)</c>: letters only, 28 tokens with &lt;unk&gt;.</summary>
    /// <param name="maxTokens">-1 for the whole book (170,580 tokens); chapter 8 uses 10,000.</param>
    /// <param name="path">An explicit file to read instead of the data directory.</param>
    /// <param name="dataDirectory">Where to look for and cache the file.</param>
    /// <param name="log">Receives one line per step.</param>
    public static CharCorpus LoadD2l(int maxTokens = -1, string? path = null, string? dataDirectory = null,
        Action<string>? log = null) =>
        CharCorpus.Load(CorpusSource.TimeMachine, TextPreset.D2l017, maxTokens, path, dataDirectory, log);
}

namespace D2L.Rnn;

/// <summary>Shakespeare for STAT 157 homework 8: letters only, lower case, one space between words.</summary>
public static class Shakespeare
{
    /// <summary>Tiny Shakespeare (about 1.1 MB; offline copy in most setups).</summary>
    public static CharCorpus LoadTiny(int maxTokens = -1, string? path = null, string? dataDirectory = null, Action<string>? log = null) =>
        CharCorpus.Load(CorpusSource.TinyShakespeare, TextPreset.LettersOnly, maxTokens, path, dataDirectory, log);

    /// <summary>The complete works (Project Gutenberg #100), without Gutenberg's header and licence footer.</summary>
    public static CharCorpus LoadComplete(int maxTokens = -1, string? path = null, string? dataDirectory = null, Action<string>? log = null)
    {
        var file = CorpusFiles.Locate(CorpusSource.CompleteShakespeare, path, dataDirectory, log: log);
        return CharCorpus.FromText(WithoutGutenbergFrame(File.ReadAllText(file)), TextPreset.LettersOnly, maxTokens, log);
    }

    /// <summary>
    /// The complete works when they are on disk or can be downloaded, else Tiny Shakespeare: the homework's
    /// corpus online, and a working offline default. <paramref name="log"/> says which one was loaded.
    /// </summary>
    public static CharCorpus Load(int maxTokens = -1, string? dataDirectory = null, Action<string>? log = null)
    {
        try
        {
            var complete = LoadComplete(maxTokens, dataDirectory: dataDirectory, log: log);
            log?.Invoke("Corpus: the complete works of Shakespeare (Project Gutenberg #100)");
            return complete;
        }
        catch (CorpusNotFoundException e)
        {
            log?.Invoke($"The complete works are not available ({e.InnerException?.Message ?? e.Message}); using Tiny Shakespeare.");
            var tiny = LoadTiny(maxTokens, dataDirectory: dataDirectory, log: log);
            log?.Invoke("Corpus: Tiny Shakespeare");
            return tiny;
        }
    }

    /// <summary>The text between Project Gutenberg's "*** START OF" and "*** END OF" lines (all of it if absent).</summary>
    public static string WithoutGutenbergFrame(string raw)
    {
        var start = raw.IndexOf("*** START OF", StringComparison.Ordinal);
        var end = raw.IndexOf("*** END OF", StringComparison.Ordinal);
        if (start < 0) return raw;
        var bodyStart = raw.IndexOf('\n', start) + 1;
        return end > bodyStart ? raw[bodyStart..end] : raw[bodyStart..];
    }
}

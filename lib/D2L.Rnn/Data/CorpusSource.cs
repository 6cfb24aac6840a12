namespace D2L.Rnn;

/// <summary>A public-domain text the loaders can find locally or download: its file name, URL and SHA-1.</summary>
/// <param name="FileName">The file name in a data directory.</param>
/// <param name="Url">Where to download it from.</param>
/// <param name="Sha1">Lower-case hex SHA-1 of the file; a download that does not match is discarded. Null only for
/// a source that is edited over time (Project Gutenberg's current files), whose downloads cannot be pinned.</param>
public sealed record CorpusSource(string FileName, Uri Url, string? Sha1)
{
    /// <summary>H. G. Wells, The Time Machine: the exact file d2l downloads (DATA_HUB['time_machine']).</summary>
    public static CorpusSource TimeMachine { get; } = new(
        "timemachine.txt",
        new Uri("http://d2l-data.s3-accelerate.amazonaws.com/timemachine.txt"),
        "090b5e7e70c295757f55df93cb0a180b9691891a");

    /// <summary>Tiny Shakespeare from karpathy/char-rnn (about 1.1 MB, 65 distinct characters).</summary>
    public static CorpusSource TinyShakespeare { get; } = new(
        "tinyshakespeare.txt",
        new Uri("https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt"),
        "04486597058d11dcc2c556b1d0433891eb639d2e");

    /// <summary>
    /// The complete works of Shakespeare, Project Gutenberg eBook #100 (about 5.6 MB). Gutenberg republishes its
    /// files, so this download has no pinned checksum; its SHA-1 is logged instead.
    /// </summary>
    public static CorpusSource CompleteShakespeare { get; } = new(
        "shakespeare-complete.txt",
        new Uri("https://www.gutenberg.org/cache/epub/100/pg100.txt"),
        null);
}

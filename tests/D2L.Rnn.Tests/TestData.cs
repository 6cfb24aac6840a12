using D2L.Rnn.Tests.Shared;

namespace D2L.Rnn.Tests;

/// <summary>Where the tests read the real corpora: $D2L_DATA_DIR, else ../shared/data beside the repo, else data/.</summary>
public static class TestData
{
    public static string Directory { get; } = Find();

    public static string TimeMachinePath => CorpusFiles.Locate(Corpus.TimeMachine, dataDirectory: Directory);

    private static string Find()
    {
        var fromEnv = Environment.GetEnvironmentVariable(DataDirectory.EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv)) return fromEnv;
        var shared = Path.GetFullPath(Path.Combine(RepositoryRoot.Path, "..", "shared", "data"));
        return System.IO.Directory.Exists(shared) ? shared : Path.Combine(RepositoryRoot.Path, "data");
    }
}

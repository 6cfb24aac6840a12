using D2L.Rnn.Notebooks;

namespace D2L.Rnn.Tests;

/// <summary>Where the tests read the real corpora: $D2L_DATA_DIR, else ../shared/data beside the repo, else data/.</summary>
public static class TestData
{
    public static string Directory { get; } = Find();

    public static string TimeMachinePath => CorpusFiles.Locate(CorpusSource.TimeMachine, dataDirectory: Directory);

    private static string Find()
    {
        var fromEnv = Environment.GetEnvironmentVariable(DataDirectory.EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv)) return fromEnv;
        var root = Repository.FindRoot(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException("Notebooks.sln not found above " + AppContext.BaseDirectory);
        var shared = Path.GetFullPath(Path.Combine(root, "..", "shared", "data"));
        return System.IO.Directory.Exists(shared) ? shared : Path.Combine(root, "data");
    }
}

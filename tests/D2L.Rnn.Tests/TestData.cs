using D2L.Rnn.Data;

namespace D2L.Rnn.Tests;

/// <summary>Where the tests read the real corpora: $D2L_DATA_DIR, else ../shared/data beside the repo, else data/.</summary>
public static class TestData
{
    public static string Directory { get; } = Find();

    public static string TimeMachinePath => CorpusFiles.Locate(Corpus.TimeMachine, dataDirectory: Directory);

    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Notebooks.sln"))) return dir.FullName;
            throw new InvalidOperationException("Notebooks.sln not found above " + AppContext.BaseDirectory);
        }
    }

    private static string Find()
    {
        var fromEnv = Environment.GetEnvironmentVariable(DataDirectory.EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv)) return fromEnv;
        var shared = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));
        return System.IO.Directory.Exists(shared) ? shared : Path.Combine(RepoRoot, "data");
    }
}

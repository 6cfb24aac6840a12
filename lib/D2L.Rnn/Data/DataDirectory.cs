namespace D2L.Rnn.Data;

/// <summary>Where corpora are looked for and cached.</summary>
public static class DataDirectory
{
    /// <summary>The environment variable that names the data directory.</summary>
    public const string EnvironmentVariable = "D2L_DATA_DIR";

    /// <summary>
    /// The data directory: <c>$D2L_DATA_DIR</c> when set, else the <c>data/</c> folder of this repository
    /// (found by walking up from the current directory to <c>Notebooks.sln</c>), else <c>./data</c>.
    /// </summary>
    public static string Resolve()
    {
        var fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv)) return Path.GetFullPath(fromEnv);
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Notebooks.sln"))) return Path.Combine(dir.FullName, "data");
        }
        return Path.GetFullPath("data");
    }
}

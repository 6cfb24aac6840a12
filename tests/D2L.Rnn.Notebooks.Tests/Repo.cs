namespace D2L.Rnn.Notebooks.Tests;

/// <summary>Paths in the repository, and the data directory the notebooks should read.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Notebooks => Path.Combine(Root, "notebooks");
    public static string Artifacts => Path.Combine(Root, "artifacts");

    /// <summary>Makes the notebooks read the corpora from ../shared/data when CI has not said otherwise.</summary>
    public static void UseSharedDataWhenPresent()
    {
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("D2L_DATA_DIR"))) return;
        var shared = Path.GetFullPath(Path.Combine(Root, "..", "shared", "data"));
        if (Directory.Exists(shared)) Environment.SetEnvironmentVariable("D2L_DATA_DIR", shared);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Notebooks.sln"))) return dir.FullName;
        throw new InvalidOperationException("Notebooks.sln not found above " + AppContext.BaseDirectory);
    }
}

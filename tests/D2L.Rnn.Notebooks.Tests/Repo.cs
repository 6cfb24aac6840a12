namespace D2L.Rnn.Notebooks.Tests;

/// <summary>Paths in the repository, the data directory the notebooks should read, and scratch folders.</summary>
public static class Repo
{
    public static string Root { get; } = Repository.FindRoot(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("Notebooks.sln not found above " + AppContext.BaseDirectory);

    public static string Notebooks => Path.Combine(Root, "notebooks");

    /// <summary>Makes the notebooks read the corpora from ../shared/data when CI has not said otherwise.</summary>
    public static void UseSharedDataWhenPresent()
    {
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("D2L_DATA_DIR"))) return;
        var shared = Path.GetFullPath(Path.Combine(Root, "..", "shared", "data"));
        if (Directory.Exists(shared)) Environment.SetEnvironmentVariable("D2L_DATA_DIR", shared);
    }

    /// <summary>A new empty folder outside the checkout: tests write there, never into artifacts/, data/ or notebooks/.</summary>
    public static string NewScratchFolder(string prefix) => Directory.CreateTempSubdirectory($"d2l-{prefix}-").FullName;
}

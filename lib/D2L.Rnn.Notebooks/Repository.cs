namespace D2L.Rnn.Notebooks;

/// <summary>
/// The repository the notebooks live in (the folder with <c>Notebooks.sln</c>) and the defaults that follow from it.
/// The core library knows nothing of it; notebooks and the file-based app use it to find the corpora and to print
/// paths that mean the same on every machine.
/// </summary>
public static class Repository
{
    /// <summary>
    /// Where the search for the repository starts by default: the folder of a file-based app's <c>.cs</c> file
    /// (<c>dotnet run notebooks/X.cs</c> may run from any folder), else the current directory (a notebook kernel's is
    /// the notebook's folder).
    /// </summary>
    public static string DefaultStart =>
        AppContext.GetData("EntryPointFileDirectoryPath") as string is { Length: > 0 } app ? app : Environment.CurrentDirectory;

    /// <summary>The repository root above <paramref name="start"/> (default: <see cref="DefaultStart"/>), or null.</summary>
    public static string? FindRoot(string? start = null)
    {
        for (var dir = new DirectoryInfo(start ?? DefaultStart); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Notebooks.sln"))) return dir.FullName;
        return null;
    }

    /// <summary>
    /// Points <c>D2L_DATA_DIR</c> at the repository's <c>data/</c> folder for this process, unless it is already
    /// set or there is no repository above <paramref name="start"/>: corpora are then found in, and downloaded to,
    /// the repository, as its README says.
    /// </summary>
    public static void UseDataDirectory(string? start = null)
    {
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(DataDirectory.EnvironmentVariable))) return;
        if (FindRoot(start) is { } root)
            Environment.SetEnvironmentVariable(DataDirectory.EnvironmentVariable, Path.Combine(root, "data"));
    }

    /// <summary>
    /// <paramref name="path"/> relative to the repository root (with '/'), or its file name when it lies outside:
    /// what a notebook prints, so that its committed output carries no path of the machine that ran it.
    /// </summary>
    public static string Display(string path, string? start = null)
    {
        var full = Path.GetFullPath(path);
        var root = FindRoot(start);
        var relative = root is null ? null : Path.GetRelativePath(root, full);
        return relative is null || relative.StartsWith("..") || Path.IsPathRooted(relative)
            ? Path.GetFileName(full)
            : relative.Replace(Path.DirectorySeparatorChar, '/');
    }
}

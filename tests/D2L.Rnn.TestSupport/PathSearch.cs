namespace D2L.Rnn.TestSupport;

/// <summary>Programs on <c>PATH</c>, found the way a shell finds them (with <c>.exe</c> on Windows).</summary>
public static class PathSearch
{
    /// <summary>The full path of the first of <paramref name="names"/> found in a folder of <c>PATH</c>, or null.</summary>
    public static string? Find(params string[] names)
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var name in names)
        {
            var file = OperatingSystem.IsWindows() && !Path.HasExtension(name) ? name + ".exe" : name;
            foreach (var folder in folders)
            {
                var candidate = Path.Combine(folder.Trim('"'), file);
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }
}

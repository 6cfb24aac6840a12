namespace D2L.Rnn.Notebooks.Tests;

/// <summary>
/// Symbolic links where the system allows them, copies where it refuses them (Windows without developer mode or
/// administrator rights): a test's scratch folder then holds the same files either way.
/// </summary>
public static class FileLinks
{
    public static void LinkOrCopy(string file, string link)
    {
        try
        {
            File.CreateSymbolicLink(link, file);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException or PlatformNotSupportedException)
        {
            File.Copy(file, link);
        }
    }

    public static void LinkOrCopyFolder(string folder, string link)
    {
        try
        {
            Directory.CreateSymbolicLink(link, folder);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException or PlatformNotSupportedException)
        {
            Directory.CreateDirectory(link);
            foreach (var dir in Directory.EnumerateDirectories(folder, "*", SearchOption.AllDirectories))
                Directory.CreateDirectory(Path.Combine(link, Path.GetRelativePath(folder, dir)));
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
                File.Copy(file, Path.Combine(link, Path.GetRelativePath(folder, file)));
        }
    }
}

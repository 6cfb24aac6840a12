namespace NotebookRunner;

/// <summary>
/// Where a Chromium-based browser (Chromium, Google Chrome, Microsoft Edge) is installed on Linux, macOS and Windows:
/// the programs on <c>PATH</c>, then the places their installers use. Playwright drives any of them.
/// </summary>
internal static class Browsers
{
    /// <summary>The program names looked up on <c>PATH</c>, in order.</summary>
    public static IReadOnlyList<string> NamesOnPath { get; } = OperatingSystem.IsWindows()
        ? ["chrome.exe", "msedge.exe", "chromium.exe"]
        : ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "microsoft-edge", "microsoft-edge-stable"];

    /// <summary>The first browser found on <c>PATH</c> or in the usual install folders of this system, or null.</summary>
    public static string? Find() => Find(Environment.GetEnvironmentVariable("PATH"), InstallLocations());

    /// <summary>The first of <see cref="NamesOnPath"/> in a folder of <paramref name="path"/>, else the first of
    /// <paramref name="installLocations"/> that exists.</summary>
    public static string? Find(string? path, IEnumerable<string> installLocations)
    {
        var folders = (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var name in NamesOnPath)
            foreach (var folder in folders)
            {
                var candidate = Path.Combine(folder.Trim('"'), name);
                if (File.Exists(candidate)) return candidate;
            }
        return installLocations.FirstOrDefault(File.Exists);
    }

    /// <summary>Where Chrome, Edge and Chromium install themselves on macOS and Windows (none on Linux: there they are on PATH).</summary>
    public static IEnumerable<string> InstallLocations()
    {
        if (OperatingSystem.IsMacOS())
        {
            string[] apps = ["Google Chrome.app/Contents/MacOS/Google Chrome", "Chromium.app/Contents/MacOS/Chromium",
                             "Microsoft Edge.app/Contents/MacOS/Microsoft Edge"];
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            foreach (var app in apps) yield return Path.Combine("/Applications", app);
            foreach (var app in apps) yield return Path.Combine(home, "Applications", app);
        }
        else if (OperatingSystem.IsWindows())
        {
            string[] roots =
            [
                Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles),
                Environment.GetFolderPath(Environment.SpecialFolder.ProgramFilesX86),
                Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData),
            ];
            foreach (var exe in new[] { @"Google\Chrome\Application\chrome.exe", @"Microsoft\Edge\Application\msedge.exe", @"Chromium\Application\chrome.exe" })
                foreach (var root in roots.Where(r => r.Length > 0))
                    yield return Path.Combine(root, exe);
        }
    }

    /// <summary>The command that installs a browser here, for messages.</summary>
    public static string InstallHint =>
        OperatingSystem.IsWindows() ? "install Google Chrome or Microsoft Edge (winget install Google.Chrome)"
        : OperatingSystem.IsMacOS() ? "install Google Chrome (brew install --cask google-chrome)"
        : "sudo apt-get install chromium (Debian/Ubuntu)";
}

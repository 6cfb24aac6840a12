using NotebookRunner;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>Where the runner and the tests look for Chromium, Chrome or Edge.</summary>
public sealed class BrowsersTests : IDisposable
{
    private readonly string _dir = Repo.NewScratchFolder("browsers");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Touch(string folder, string name)
    {
        var path = Path.Combine(Directory.CreateDirectory(Path.Combine(_dir, folder)).FullName, name);
        File.WriteAllText(path, "");
        return path;
    }

    [Fact]
    public void APathFolderComesFirstInTheOrderOfTheNames()
    {
        // The second name on PATH in an earlier folder, the first name in a later one: the first name wins.
        var second = Touch("a", Browsers.NamesOnPath[1]);
        var first = Touch("b", Browsers.NamesOnPath[0]);
        var installed = Touch("c", "installed-browser");
        var path = string.Join(Path.PathSeparator, Path.Combine(_dir, "empty"), Path.GetDirectoryName(second), Path.GetDirectoryName(first));
        Assert.Equal(first, Browsers.Find(path, [installed]));
        Assert.Equal(second, Browsers.Find(Path.GetDirectoryName(second), [installed]));
    }

    [Fact]
    public void WithoutOneOnPathTheFirstInstallLocationThatExistsIsTaken()
    {
        var installed = Touch("Google/Chrome/Application", "chrome");
        Assert.Equal(installed, Browsers.Find(Path.Combine(_dir, "empty"), [Path.Combine(_dir, "missing"), installed]));
        Assert.Null(Browsers.Find("", [Path.Combine(_dir, "missing")]));
        Assert.Null(Browsers.Find(null, []));
    }

    [Fact]
    public void EachSystemHasItsInstallLocationsAndNamesAndTheMissingLineSaysWhatToInstall()
    {
        var locations = Browsers.InstallLocations().ToList();
        if (OperatingSystem.IsWindows()) Assert.Contains(locations, l => l.EndsWith(@"Microsoft\Edge\Application\msedge.exe"));
        else if (OperatingSystem.IsMacOS()) Assert.Contains("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome", locations);
        else Assert.Empty(locations); // on Linux the browsers are on PATH
        Assert.Contains(OperatingSystem.IsWindows() ? "msedge.exe" : "chromium", Browsers.NamesOnPath);
        var missing = OfflineChromium.Unavailable(null)!;
        Assert.Contains("no Chromium, Chrome or Edge", missing);
        Assert.Contains(Browsers.InstallHint, missing);
        Assert.Null(OfflineChromium.Unavailable(Touch("d", "browser")));
    }
}

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>
/// The library packed once (with the README's command) into a scratch folder instead of artifacts/packages, beside a
/// scratch NuGet packages folder for the samples; both are deleted after the last package test.
/// </summary>
public sealed class ScratchPackage : IDisposable
{
    public const string Version = "0.1.0";

    private readonly Lazy<string> _packed;

    public ScratchPackage()
    {
        Folder = Repo.NewScratchFolder("package");
        _packed = new Lazy<string>(Pack);
    }

    public string Folder { get; }
    public string Packages => Path.Combine(Folder, "packages");
    public string NuGetCache => Path.Combine(Folder, "nuget-cache");
    public string Nupkg => Path.Combine(Packages, $"D2L.Rnn.{Version}.nupkg");

    /// <summary>Packs on first use; later calls return at once.</summary>
    public void EnsurePacked() => _ = _packed.Value;

    private string Pack()
    {
        var (exit, output) = Processes.Run(Repo.Root, TimeSpan.FromMinutes(5), "dotnet", ["pack", "lib/D2L.Rnn", "-c", "Release", "-o", Packages]);
        Assert.True(exit == 0, output);
        Assert.True(File.Exists(Nupkg), output);
        return Nupkg;
    }

    // The package cache may hold a symbolic link to the user's engine package: Directory.Delete removes the link,
    // never what it points to.
    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

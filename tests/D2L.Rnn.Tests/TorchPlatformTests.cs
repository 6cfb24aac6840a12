using System.Runtime.InteropServices;

namespace D2L.Rnn.Tests;

/// <summary>Which systems LibTorch runs on, and the one sentence everywhere else.</summary>
public class TorchPlatformTests
{
    public static TheoryData<string, Architecture, string> Supported => new()
    {
        { "Linux", Architecture.X64, "linux-x64" },
        { "Windows", Architecture.X64, "win-x64" },
        { "OSX", Architecture.Arm64, "osx-arm64" },
    };

    [Theory]
    [MemberData(nameof(Supported))]
    public void LibTorchRunsOnLinuxAndWindowsX64AndAppleSilicon(string os, Architecture architecture, string rid)
    {
        Assert.Equal(rid, TorchPlatform.RuntimeIdentifier(OSPlatform.Create(os), architecture));
        Assert.Null(TorchPlatform.Unsupported(OSPlatform.Create(os), architecture));
        Assert.Contains(rid, TorchPlatform.Supported);
    }

    public static TheoryData<string, Architecture, string, string> Unsupported => new()
    {
        // What works instead is named in the same sentence.
        { "OSX", Architecture.X64, "macOS on Intel processors (osx-x64)", "Apple silicon" },
        { "Windows", Architecture.Arm64, "Windows on ARM (win-arm64)", "x64 .NET SDK" },
        { "Linux", Architecture.Arm64, "Linux on ARM (linux-arm64)", "Linux or Windows x64 machine" },
        { "Windows", Architecture.X86, "win-x86", "Linux x64, Windows x64 and macOS on Apple silicon" },
        { "FreeBSD", Architecture.X64, "freebsd-x64", "Linux x64, Windows x64 and macOS on Apple silicon" },
    };

    [Theory]
    [MemberData(nameof(Unsupported))]
    public void ElsewhereOneSentenceSaysSoAndWhatWorksInstead(string os, Architecture architecture, string system, string instead)
    {
        Assert.Null(TorchPlatform.RuntimeIdentifier(OSPlatform.Create(os), architecture));
        var sentence = TorchPlatform.Unsupported(OSPlatform.Create(os), architecture);
        Assert.NotNull(sentence);
        Assert.StartsWith("D2L.Rnn cannot run here because TorchSharp 0.107.0 ships no LibTorch for " + system, sentence);
        Assert.Contains(instead, sentence);
        // One sentence: one full stop, at the end (names such as D2L.Rnn aside), and no line break.
        var plain = sentence.Replace("D2L.Rnn", "").Replace("0.107.0", "").Replace(".NET", "");
        Assert.Equal(1, plain.Count(c => c == '.'));
        Assert.EndsWith(".", plain);
        Assert.DoesNotContain('\n', sentence);
    }

    [Fact]
    public void ThisMachineIsSupportedAndSetupPasses()
    {
        // The tests run only where LibTorch runs; the check itself must then let the setup through.
        Assert.NotNull(TorchPlatform.Current);
        TorchPlatform.EnsureSupported();
        TorchSetup.Initialize();
    }

    [Fact]
    public void TheSetupLoadsTorchSharpsLibrariesFromBesideTheTestsOwnTorchSharp()
    {
        // A build output holds the natives in runtimes/<rid>/native beside TorchSharp.dll: what the notebooks load from.
        var natives = TorchSetup.NativeLibraries();
        Assert.NotEmpty(natives);
        var beside = Path.Combine(AppContext.BaseDirectory, "runtimes", TorchPlatform.Current!, "native");
        Assert.All(natives, n => Assert.Equal(Path.GetFullPath(beside), Path.GetDirectoryName(Path.GetFullPath(n))));
        Assert.Contains(natives, n => Path.GetFileNameWithoutExtension(n).EndsWith("LibTorchSharp", StringComparison.Ordinal));
        Assert.EndsWith("LibTorchSharp", Path.GetFileNameWithoutExtension(natives[^1])); // loaded last, after LibTorch
    }
}

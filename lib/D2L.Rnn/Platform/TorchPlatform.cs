using System.Runtime.InteropServices;

namespace D2L.Rnn;

/// <summary>
/// The systems LibTorch runs on with this library: TorchSharp 0.107.0 ships LibTorch 2.10.0 (CPU) for Linux x64,
/// Windows x64 and macOS on Apple silicon only. Elsewhere (macOS on Intel, Windows or Linux on ARM) TorchSharp would
/// fail with a loader error; <see cref="TorchSetup.Initialize"/> stops first, with one sentence that says so and what
/// works instead.
/// </summary>
public static class TorchPlatform
{
    /// <summary>The runtime identifiers LibTorch is shipped for, which are also the suffixes of its packages
    /// (<c>libtorch-cpu-linux-x64</c>, …).</summary>
    public static IReadOnlyList<string> Supported { get; } = ["linux-x64", "win-x64", "osx-arm64"];

    /// <summary>The runtime identifier of LibTorch for <paramref name="os"/> and a process of
    /// <paramref name="architecture"/> (<c>linux-x64</c>, <c>win-x64</c>, <c>osx-arm64</c>), or null where none is shipped.</summary>
    public static string? RuntimeIdentifier(OSPlatform os, Architecture architecture)
    {
        var rid = RuntimeIdentifierOf(os, architecture);
        return rid is not null && Supported.Contains(rid) ? rid : null;
    }

    /// <summary>
    /// Null where LibTorch runs on <paramref name="os"/> in a process of <paramref name="architecture"/>; else one
    /// sentence saying that it does not, and what to use instead.
    /// </summary>
    public static string? Unsupported(OSPlatform os, Architecture architecture)
    {
        if (RuntimeIdentifier(os, architecture) is not null) return null;
        const string cannot = "D2L.Rnn cannot run here because TorchSharp 0.107.0 ships no LibTorch for";
        if (os == OSPlatform.OSX && architecture == Architecture.X64)
            return $"{cannot} macOS on Intel processors (osx-x64), only for Apple silicon: run it on a Mac with Apple silicon, " +
                   "in a Linux x64 container or virtual machine (Docker Desktop runs one), or on a Linux or Windows x64 machine.";
        if (os == OSPlatform.Windows && architecture == Architecture.Arm64)
            return $"{cannot} Windows on ARM (win-arm64): install the x64 .NET SDK, which Windows 11 runs under emulation, " +
                   "and run it with that one, or use a Windows or Linux x64 machine.";
        if (os == OSPlatform.Linux && architecture == Architecture.Arm64)
            return $"{cannot} Linux on ARM (linux-arm64): use a Linux or Windows x64 machine, or a Mac with Apple silicon.";
        return $"{cannot} {RuntimeIdentifierOf(os, architecture) ?? $"{os} on {architecture}"}, only for Linux x64, Windows x64 " +
               "and macOS on Apple silicon: use one of those.";
    }

    /// <summary>The runtime identifier of LibTorch for this process, or null where none is shipped.</summary>
    public static string? Current => RuntimeIdentifier(CurrentOs, RuntimeInformation.ProcessArchitecture);

    /// <summary>
    /// Throws <see cref="PlatformNotSupportedException"/> with <see cref="Unsupported"/>'s sentence where LibTorch
    /// does not run in this process.
    /// </summary>
    public static void EnsureSupported()
    {
        if (Unsupported(CurrentOs, RuntimeInformation.ProcessArchitecture) is { } sentence)
            throw new PlatformNotSupportedException(sentence);
    }

    internal static OSPlatform CurrentOs =>
        OperatingSystem.IsLinux() ? OSPlatform.Linux
        : OperatingSystem.IsWindows() ? OSPlatform.Windows
        : OperatingSystem.IsMacOS() ? OSPlatform.OSX
        : OperatingSystem.IsFreeBSD() ? OSPlatform.FreeBSD
        : OSPlatform.Create(RuntimeInformation.OSDescription);

    private static string? RuntimeIdentifierOf(OSPlatform os, Architecture architecture)
    {
        var name = os == OSPlatform.Linux ? "linux" : os == OSPlatform.Windows ? "win" : os == OSPlatform.OSX ? "osx"
            : os == OSPlatform.FreeBSD ? "freebsd" : null;
        var arch = architecture switch
        {
            Architecture.X64 => "x64",
            Architecture.Arm64 => "arm64",
            Architecture.X86 => "x86",
            Architecture.Arm => "arm",
            _ => null,
        };
        return name is null || arch is null ? null : $"{name}-{arch}";
    }
}

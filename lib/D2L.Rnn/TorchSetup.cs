using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace D2L.Rnn;

/// <summary>
/// Loads TorchSharp's native libraries where a notebook or script needs help: call <see cref="Initialize"/> before
/// anything else touches TorchSharp.
/// </summary>
/// <remarks>
/// A notebook kernel loads TorchSharp.dll from the NuGet package folder, and TorchSharp then asks the system loader
/// for <c>libtorch_cpu</c> by name. On a machine with another libtorch on the loader's path (Debian's and Ubuntu's
/// <c>python3-torch</c> installs one in /usr/lib), that foreign library is loaded first and TorchSharp's own
/// <c>libLibTorchSharp</c> cannot load beside it. Loading TorchSharp's libraries first, by absolute path and
/// dependencies first, makes every later request by name find them. A built application finds its libraries next
/// to itself and needs none of this: there the method only initialises TorchSharp.
/// </remarks>
public static class TorchSetup
{
    private static readonly object Gate = new();
    private static bool _done;

    /// <summary>
    /// Loads the native libraries of the TorchSharp package in use by absolute path (when TorchSharp was loaded
    /// from a NuGet package folder), then initialises TorchSharp's CPU backend. Safe to call more than once.
    /// </summary>
    public static void Initialize()
    {
        lock (Gate)
        {
            if (_done) return;
            foreach (var library in PackagedNativeLibraries()) NativeLibrary.Load(library);
            torch.InitializeDeviceType(DeviceType.CPU);
            _done = true;
        }
    }

    /// <summary>
    /// The native libraries that TorchSharp needs, in load order (dependencies first), from the NuGet packages beside
    /// the TorchSharp package that is loaded; empty when TorchSharp was not loaded from a package folder.
    /// </summary>
    [UnconditionalSuppressMessage("SingleFile", "IL3000", Justification = "An empty location (single-file app) means no package folder: nothing to preload.")]
    internal static IReadOnlyList<string> PackagedNativeLibraries()
    {
        // …/packages/torchsharp/<version>/lib/<framework>/TorchSharp.dll
        var managed = Path.GetDirectoryName(typeof(torch).Assembly.Location);
        if (string.IsNullOrEmpty(managed)) return [];
        var torchSharpHome = Path.GetFullPath(Path.Combine(managed, "..", ".."));
        var packages = Path.GetFullPath(Path.Combine(torchSharpHome, "..", ".."));
        if (!string.Equals(Path.GetFileName(Path.GetDirectoryName(torchSharpHome)), "torchsharp", StringComparison.OrdinalIgnoreCase))
            return [];

        var (rid, prefix, suffix) = Platform();
        if (rid is null) return [];
        var torchSharpNatives = Path.Combine(torchSharpHome, "runtimes", rid, "native");
        var libtorchNatives = LibtorchNatives(packages, rid);
        if (libtorchNatives is null || !Directory.Exists(torchSharpNatives)) return [];

        string Lib(string dir, string name) => Path.Combine(dir, prefix + name + suffix);
        var inOrder = new List<string>();
        // OpenMP runtime shipped with libtorch on Linux (its file name carries a hash).
        inOrder.AddRange(Directory.GetFiles(libtorchNatives, "libgomp*").Order());
        inOrder.Add(Lib(libtorchNatives, "c10"));
        inOrder.Add(Lib(libtorchNatives, "torch_cpu"));
        inOrder.Add(Lib(libtorchNatives, "torch"));
        inOrder.Add(Lib(torchSharpNatives, "LibTorchSharp"));
        return inOrder.All(File.Exists) ? inOrder : [];
    }

    private static (string? Rid, string Prefix, string Suffix) Platform()
    {
        var arch = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "x64";
        if (OperatingSystem.IsLinux()) return ($"linux-{arch}", "lib", ".so");
        if (OperatingSystem.IsMacOS()) return ($"osx-{arch}", "lib", ".dylib");
        if (OperatingSystem.IsWindows()) return ($"win-{arch}", "", ".dll");
        return (null, "", "");
    }

    // The libtorch-cpu-<rid> package of the version TorchSharp was built against (its constant
    // libtorchPackageVersion), else the newest one restored.
    private static string? LibtorchNatives(string packages, string rid)
    {
        var package = Path.Combine(packages, $"libtorch-cpu-{rid}");
        if (!Directory.Exists(package)) return null;
        var wanted = typeof(torch).GetField("libtorchPackageVersion", BindingFlags.NonPublic | BindingFlags.Static)
            ?.GetRawConstantValue() as string;
        var versions = Directory.GetDirectories(package).Select(Path.GetFileName).OfType<string>().ToList();
        var version = wanted is not null && versions.Contains(wanted) ? wanted
            : versions.OrderByDescending(v => Version.TryParse(v, out var parsed) ? parsed : new Version()).FirstOrDefault();
        var natives = version is null ? null : Path.Combine(package, version, "runtimes", rid, "native");
        return natives is not null && Directory.Exists(natives) ? natives : null;
    }
}

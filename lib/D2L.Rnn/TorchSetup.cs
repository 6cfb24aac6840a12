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
/// A notebook kernel loads TorchSharp.dll from a folder it knows nothing about (a NuGet package folder, or a build
/// output), and TorchSharp then asks the system loader for <c>libtorch_cpu</c> by name: the kernel's
/// own search does not look where the libraries are, and on a machine with another libtorch on the loader's path
/// (Debian's and Ubuntu's <c>python3-torch</c> installs one in /usr/lib) that foreign library is loaded first and
/// TorchSharp's own <c>libLibTorchSharp</c> cannot load beside it. Loading TorchSharp's libraries first, by absolute
/// path and dependencies first, makes every later request by name find them. A built application finds the same
/// libraries through its dependency file; loading them first changes nothing there.
/// </remarks>
public static class TorchSetup
{
    private static readonly object Gate = new();
    private static bool _done;

    /// <summary>
    /// Stops with one sentence where TorchSharp has no LibTorch for this system (<see cref="TorchPlatform"/>), loads
    /// the native libraries beside the TorchSharp.dll in use by absolute path (see <see cref="NativeLibraries"/>),
    /// then initialises TorchSharp's CPU backend. Safe to call more than once.
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">On a system TorchSharp ships no LibTorch for (macOS on Intel,
    /// Windows or Linux on ARM): the message says so and what works instead.</exception>
    public static void Initialize()
    {
        lock (Gate)
        {
            if (_done) return;
            TorchPlatform.EnsureSupported();
            foreach (var library in NativeLibraries()) NativeLibrary.Load(library);
            torch.InitializeDeviceType(DeviceType.CPU);
            _done = true;
        }
    }

    /// <summary>
    /// The native libraries that TorchSharp needs, in load order (dependencies first), from where the TorchSharp.dll
    /// in use lies: a build output (a project's <c>bin/</c>, which the notebooks load the library from) holds them in
    /// <c>runtimes/&lt;rid&gt;/native/</c> beside it; a NuGet package folder (<c>…/torchsharp/&lt;version&gt;/lib/&lt;framework&gt;/</c>)
    /// has TorchSharp's in its own <c>runtimes/&lt;rid&gt;/native/</c> and LibTorch's in the <c>libtorch-cpu-&lt;rid&gt;</c>
    /// package beside it. Empty when neither is there (a published single-file app, a folder that lacks one).
    /// </summary>
    [UnconditionalSuppressMessage("SingleFile", "IL3000", Justification = "An empty location (single-file app) means no folder to look in: nothing to preload.")]
    internal static IReadOnlyList<string> NativeLibraries()
    {
        var managed = Path.GetDirectoryName(typeof(torch).Assembly.Location);
        var rid = TorchPlatform.Current;
        if (string.IsNullOrEmpty(managed) || rid is null) return [];

        var beside = Path.Combine(managed, "runtimes", rid, "native");
        if (InLoadOrder(beside, beside) is { } built) return built;

        var torchSharpHome = Path.GetFullPath(Path.Combine(managed, "..", ".."));
        if (!string.Equals(Path.GetFileName(Path.GetDirectoryName(torchSharpHome)), "torchsharp", StringComparison.OrdinalIgnoreCase))
            return [];
        var packages = Path.GetFullPath(Path.Combine(torchSharpHome, "..", ".."));
        var libtorchNatives = LibtorchNatives(packages, rid);
        return libtorchNatives is null ? [] : InLoadOrder(libtorchNatives, Path.Combine(torchSharpHome, "runtimes", rid, "native")) ?? [];
    }

    // LibTorch's libraries, then TorchSharp's, when every one of them exists.
    private static List<string>? InLoadOrder(string libtorchNatives, string torchSharpNatives)
    {
        if (!Directory.Exists(libtorchNatives) || !Directory.Exists(torchSharpNatives)) return null;
        var (prefix, suffix) = OperatingSystem.IsWindows() ? ("", ".dll") : OperatingSystem.IsMacOS() ? ("lib", ".dylib") : ("lib", ".so");
        string Lib(string dir, string name) => Path.Combine(dir, prefix + name + suffix);
        var inOrder = new List<string>();
        // OpenMP runtime shipped with libtorch on Linux (its file name carries a hash).
        inOrder.AddRange(Directory.GetFiles(libtorchNatives, "libgomp*").Order());
        inOrder.Add(Lib(libtorchNatives, "c10"));
        inOrder.Add(Lib(libtorchNatives, "torch_cpu"));
        inOrder.Add(Lib(libtorchNatives, "torch"));
        inOrder.Add(Lib(torchSharpNatives, "LibTorchSharp"));
        return inOrder.All(File.Exists) ? inOrder : null;
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

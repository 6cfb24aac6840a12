using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace D2L.Rnn;

/// <summary>
/// Loads TorchSharp's native libraries where a notebook or script needs help, and chooses the device: call
/// <see cref="Initialize"/> before anything else touches TorchSharp.
/// </summary>
/// <remarks>
/// A notebook kernel loads TorchSharp.dll from a folder it knows nothing about (a NuGet package folder, or a build
/// output), and TorchSharp then asks the system loader for <c>libtorch_cpu</c> by name: the kernel's
/// own search does not look where the libraries are, and on a machine with another libtorch on the loader's path
/// (Debian's and Ubuntu's <c>python3-torch</c> installs one in /usr/lib) that foreign library is loaded first and
/// TorchSharp's own <c>libLibTorchSharp</c> cannot load beside it. Loading TorchSharp's libraries first, by absolute
/// path and dependencies first, makes every later request by name find them. A built application finds the same
/// libraries through its dependency file; loading them first changes nothing there.
/// <para/>
/// With <c>D2L_DEVICE=cuda</c> (<see cref="DeviceChoice"/>) the libraries loaded first are those of the CUDA build of
/// LibTorch that the library was built with, and CUDA is initialised before anything else: TorchSharp's first use
/// otherwise loads a CPU LibTorch, and LibTorch turns CUDA off for good once it has run anything without it
/// (TorchSharp's documentation and dotnet/TorchSharp#1198). The CPU LibTorch is then never loaded.
/// </remarks>
public static class TorchSetup
{
    private static readonly object Gate = new();
    private static DeviceChoice? _choice;

    /// <summary>Where TorchSharp computes and why (<see cref="DeviceChoice"/>), once <see cref="Initialize"/> has run;
    /// null before.</summary>
    public static DeviceChoice? Choice => _choice;

    /// <summary>
    /// Stops with one sentence where TorchSharp has no LibTorch for this system (<see cref="TorchPlatform"/>). Then, as
    /// <c>D2L_DEVICE</c> says (<see cref="DeviceChoice.Decide"/>): for the CPU (the default), loads the native libraries
    /// beside the TorchSharp.dll in use by absolute path (see <see cref="NativeLibraries"/>) and initialises TorchSharp's
    /// CPU backend; for CUDA, loads the CUDA build's libraries (<see cref="CudaNativeFolder"/>) by absolute path and
    /// initialises CUDA, and where that fails goes on on the CPU. <see cref="Choice"/> holds the outcome and the line
    /// that explains it. Safe to call more than once: the first call decides.
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">On a system TorchSharp ships no LibTorch for (macOS on Intel,
    /// Windows or Linux on ARM): the message says so and what works instead.</exception>
    /// <exception cref="InvalidOperationException">CUDA did not start and TorchSharp's CPU backend did not load after
    /// it either.</exception>
    public static void Initialize()
    {
        lock (Gate)
        {
            if (_choice is not null) return;
            TorchPlatform.EnsureSupported();
            var setting = Environment.GetEnvironmentVariable(DeviceChoice.Variable);
            var cudaTried = false;
            var choice = DeviceChoice.Decide(setting, TorchPlatform.CurrentOs, CudaNativeFolder(), () =>
            {
                cudaTried = true;
                return StartCuda(CudaNativeFolder()!);
            });
            if (choice.Device == DeviceType.CPU)
            {
                if (cudaTried) StartCpuAfterCuda(choice);
                else StartCpu();
            }
            _choice = choice;
        }
    }

    private static void StartCpu()
    {
        foreach (var library in NativeLibraries()) NativeLibrary.Load(library);
        torch.InitializeDeviceType(DeviceType.CPU);
    }

    // TorchSharp prints its whole loading trace before it throws: the trace stays out of the output, and the choice's
    // line gives the exception's first line instead.
    private static CudaReport StartCuda(string folder)
    {
        var output = Console.Out;
        Console.SetOut(TextWriter.Null);
        try
        {
            foreach (var library in CudaLibraries(folder)) NativeLibrary.Load(library);
            torch.InitializeDeviceType(DeviceType.CUDA);
            return new CudaReport(torch.cuda.device_count(), null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new CudaReport(0, (e is TypeInitializationException { InnerException: { } inner } ? inner : e).Message);
        }
        finally
        {
            Console.SetOut(output);
        }
    }

    // The CUDA build's libraries, when they loaded, hold its CPU backend too: TorchSharp finds them by name.
    private static void StartCpuAfterCuda(DeviceChoice choice)
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidOperationException(
                $"{choice.Message} But TorchSharp's CPU backend did not load after that either ({e.Message.Split('\n')[0]}): " +
                $"remove the {DeviceChoice.Variable} setting and restart the notebook's kernel (or the program).", e);
        }
    }

    /// <summary>
    /// The folder of a CUDA build of LibTorch next to TorchSharp's native library, or null where there is none: in a
    /// build output, <c>runtimes/&lt;rid&gt;/native/</c> beside the TorchSharp.dll in use (an application's or a test's),
    /// else beside this library's DLL (a notebook loads TorchSharp.dll from its NuGet package and this library from its
    /// build output, where the build put the CUDA build's libraries), else the folder of TorchSharp.dll itself (a
    /// published application).
    /// </summary>
    [UnconditionalSuppressMessage("SingleFile", "IL3000", Justification = "An empty location (single-file app) means no folder to look in.")]
    public static string? CudaNativeFolder()
    {
        var rid = TorchPlatform.Current;
        if (rid is null) return null;
        var torchSharp = Path.GetDirectoryName(typeof(torch).Assembly.Location);
        var library = Path.GetDirectoryName(typeof(TorchSetup).Assembly.Location);
        string?[] candidates =
        [
            string.IsNullOrEmpty(torchSharp) ? null : Path.Combine(torchSharp, "runtimes", rid, "native"),
            string.IsNullOrEmpty(library) ? null : Path.Combine(library, "runtimes", rid, "native"),
            string.IsNullOrEmpty(torchSharp) ? null : torchSharp,
        ];
        return candidates.OfType<string>().FirstOrDefault(folder => CudaLibraries(folder).Count > 0);
    }

    /// <summary>
    /// The libraries of a CUDA build of LibTorch and TorchSharp's own in <paramref name="folder"/>, in load order
    /// (dependencies first; each finds the CUDA runtime libraries it needs in the same folder); empty unless
    /// <c>torch_cuda</c>, <c>torch</c> and <c>LibTorchSharp</c> are all there.
    /// </summary>
    internal static IReadOnlyList<string> CudaLibraries(string folder) =>
        CudaLibraries(folder, OperatingSystem.IsWindows() ? OSPlatform.Windows : OSPlatform.Linux);

    /// <summary>As <see cref="CudaLibraries(string)"/>, for the file names of <paramref name="os"/>.</summary>
    internal static IReadOnlyList<string> CudaLibraries(string folder, OSPlatform os)
    {
        if (!Directory.Exists(folder)) return [];
        var (prefix, suffix) = os == OSPlatform.Windows ? ("", ".dll") : ("lib", ".so");
        string Lib(string name) => Path.Combine(folder, prefix + name + suffix);
        string[] required = [Lib("torch_cuda"), Lib("torch"), Lib("LibTorchSharp")];
        if (!required.All(File.Exists)) return [];
        var inOrder = new List<string>();
        if (os != OSPlatform.Windows) inOrder.AddRange(Directory.GetFiles(folder, "libgomp*").Order());
        inOrder.AddRange(new[] { "c10", "c10_cuda", "torch_cpu", "torch_cuda", "torch", "LibTorchSharp" }.Select(Lib).Where(File.Exists));
        return inOrder;
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

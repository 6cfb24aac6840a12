// Builds the D2L.Rnn library that the notebooks load (lib/D2L.Rnn.Notebooks, Release) when its DLL is missing, older
// than the library's sources or built for another LibTorch backend than D2L_DEVICE asks for, so that "Run All" works in
// a fresh clone. Prints one line either way.
// With D2L_DEVICE=cuda it builds against TorchSharp's CUDA package for this system (TorchSharp-cuda-linux or -windows);
// where that package cannot be restored it says why in one line and builds for the CPU.
// Loaded by the first cell of each notebook: #load "build-library.csx" (paths are relative to the notebooks folder).
using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

// The backend D2L_DEVICE asks for (as Directory.Build.props decides it), and a line when the answer is the CPU anyway.
static (string Backend, string? Why) WantedTorchBackend()
{
    var setting = Environment.GetEnvironmentVariable("D2L_DEVICE")?.Trim() ?? "";
    if (!setting.Equals("cuda", StringComparison.OrdinalIgnoreCase)) return ("cpu", null);
    if (RuntimeInformation.ProcessArchitecture != Architecture.X64 || !(OperatingSystem.IsLinux() || OperatingSystem.IsWindows()))
        return ("cpu", "D2L_DEVICE=cuda, but TorchSharp has CUDA builds for Linux x64 and Windows x64 only: building for the CPU.");
    return (OperatingSystem.IsLinux() ? "cuda-linux" : "cuda-windows", null);
}

static (int ExitCode, string Output) BuildNotebooksLibrary(string repo, string backend)
{
    var build = Process.Start(new ProcessStartInfo("dotnet",
            ["build", Path.Combine(repo, "lib", "D2L.Rnn.Notebooks"), "-c", "Release", "-nologo", "-v", "q", $"-p:TorchBackend={backend}"])
        { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = repo })!;
    var output = build.StandardOutput.ReadToEndAsync();
    var errors = build.StandardError.ReadToEndAsync();
    build.WaitForExit();
    return (build.ExitCode, output.Result + errors.Result);
}

static string BuildLibraryIfNeeded()
{
    var repo = Path.GetFullPath("..");
    var output = Path.Combine(repo, "lib", "D2L.Rnn.Notebooks", "bin", "Release", "net10.0");
    var dll = Path.Combine(output, "D2L.Rnn.Notebooks.dll");
    var backendFile = Path.Combine(output, "torch-backend.txt");
    var (wanted, why) = WantedTorchBackend();
    var sources = new[] { "lib", "build" }
        .SelectMany(dir => Directory.EnumerateFiles(Path.Combine(repo, dir), "*", SearchOption.AllDirectories))
        .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")
                    && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
        .Concat(Directory.EnumerateFiles(repo, "Directory.*.props").Concat(Directory.EnumerateFiles(repo, "Directory.*.targets")));
    var newestSource = sources.Max(File.GetLastWriteTimeUtc);
    var built = File.Exists(backendFile) ? File.ReadAllText(backendFile).Trim() : "cpu"; // builds before the file: the CPU
    var forCuda = wanted == "cpu" ? "" : " for CUDA";
    if (File.Exists(dll) && File.GetLastWriteTimeUtc(dll) >= newestSource && built == wanted)
        return why ?? $"The D2L.Rnn library is built{forCuda} and up to date.";

    var timer = Stopwatch.StartNew();
    var (exitCode, log) = BuildNotebooksLibrary(repo, wanted);
    if (exitCode != 0 && wanted != "cpu" && log.Contains("NU1101"))
    {
        // The package sources serve no CUDA package: the notebooks run on the CPU, and the setup cell says so too.
        why = $"D2L_DEVICE=cuda, but NuGet could not restore TorchSharp-{wanted} 0.107.0 (NU1101: the configured package " +
              "sources do not serve it): building for the CPU.";
        (exitCode, log) = BuildNotebooksLibrary(repo, wanted = "cpu");
        forCuda = "";
    }
    if (exitCode != 0)
        throw new InvalidOperationException($"Building lib/D2L.Rnn.Notebooks failed:\n{log}");
    return (why ?? $"Built the D2L.Rnn library{forCuda} (lib/D2L.Rnn.Notebooks, Release) in {timer.Elapsed.TotalSeconds:F0} s.") +
           (AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "D2L.Rnn")
               ? " Restart the kernel to load the new build." : "");
}

Console.WriteLine(BuildLibraryIfNeeded());

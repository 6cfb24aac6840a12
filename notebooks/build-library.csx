// Builds the D2L.Rnn library that the notebooks load (lib/D2L.Rnn.Notebooks, Release) when its DLL is missing or
// older than the library's sources, so that "Run All" works in a fresh clone. Prints one line either way.
// Loaded by the first cell of each notebook: #load "build-library.csx" (paths are relative to the notebooks folder).
using System;
using System.Diagnostics;
using System.IO;
using System.Linq;

static string BuildLibraryIfNeeded()
{
    var repo = Path.GetFullPath("..");
    var dll = Path.Combine(repo, "lib", "D2L.Rnn.Notebooks", "bin", "Release", "net10.0", "D2L.Rnn.Notebooks.dll");
    var sources = new[] { "lib", "build" }
        .SelectMany(dir => Directory.EnumerateFiles(Path.Combine(repo, dir), "*", SearchOption.AllDirectories))
        .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")
                    && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
        .Concat(Directory.EnumerateFiles(repo, "Directory.*.props").Concat(Directory.EnumerateFiles(repo, "Directory.*.targets")));
    var newestSource = sources.Max(File.GetLastWriteTimeUtc);
    if (File.Exists(dll) && File.GetLastWriteTimeUtc(dll) >= newestSource)
        return "The D2L.Rnn library is built and up to date.";

    var timer = Stopwatch.StartNew();
    var build = Process.Start(new ProcessStartInfo("dotnet", ["build", Path.Combine(repo, "lib", "D2L.Rnn.Notebooks"), "-c", "Release", "-nologo", "-v", "q"])
        { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = repo })!;
    var output = build.StandardOutput.ReadToEndAsync();
    var errors = build.StandardError.ReadToEndAsync();
    build.WaitForExit();
    if (build.ExitCode != 0)
        throw new InvalidOperationException($"Building lib/D2L.Rnn.Notebooks failed:\n{output.Result}{errors.Result}");
    return $"Built the D2L.Rnn library (lib/D2L.Rnn.Notebooks, Release) in {timer.Elapsed.TotalSeconds:F0} s." +
           (AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "D2L.Rnn")
               ? " Restart the kernel to load the new build." : "");
}

Console.WriteLine(BuildLibraryIfNeeded());

using System.ComponentModel;
using System.Diagnostics;
using NotebookRunner;

namespace D2L.Rnn.TestSupport;

/// <summary>
/// Whether a program that some tests need (<see cref="Tool"/>) is on this machine, where, and the command that
/// installs it. Looked up once per test run. Outside CI a test that needs a missing program is skipped with one line
/// that names the program and that command (<see cref="RequiresFactAttribute"/>); under <c>CI=true</c> it runs and
/// <see cref="Require"/> fails it with the same line, so CI never passes by skipping.
/// </summary>
public sealed class SystemTool
{
    private readonly Lazy<(string? Path, string? Missing)> _found;

    private SystemTool(Tool tool, string install, Func<(string? Path, string? Missing)> find, bool linuxOnly = false)
    {
        Tool = tool;
        InstallCommand = install;
        _found = new(find);
        _linuxOnly = linuxOnly;
    }

    private readonly bool _linuxOnly;

    public Tool Tool { get; }

    /// <summary>The value of the <c>Requires</c> trait of the tests that need <paramref name="tool"/>.</summary>
    public static string TraitValue(Tool tool) => tool == Tool.DebianPyTorch ? nameof(Tool.PyTorch) : tool.ToString();

    /// <summary>The command that installs it on this system.</summary>
    public string InstallCommand { get; }

    /// <summary>The program found (the browser, <c>jupyter</c>, the Python), or null.</summary>
    public string? Path => _found.Value.Path;

    /// <summary>Why it cannot be used here, or null when it can.</summary>
    public string? Missing => _found.Value.Missing;

    /// <summary>Whether tests that need it are skipped in this run: it is missing and this is not CI, or it exists on
    /// Linux only and this is another system.</summary>
    public bool IsSkippedHere => Missing is not null && (!ContinuousIntegration.IsOn || NotForThisSystem);

    private bool NotForThisSystem => _linuxOnly && !OperatingSystem.IsLinux();

    /// <summary>One line: what is missing and the command that installs it.</summary>
    public string MissingLine => $"needs {Tool}: {Missing}; install: {InstallCommand}";

    /// <summary>The program's path; a clear failure (the same line) when it is missing.</summary>
    public string Require() => Missing is null
        ? Path!
        : throw new InvalidOperationException(MissingLine +
            (ContinuousIntegration.IsOn ? " (CI is set: a test that needs a missing program fails instead of being skipped)" : ""));

    /// <summary>The skip reason of a test that needs <paramref name="tools"/>: null when all are here, or under CI
    /// (where only a Linux-only program on another system skips).</summary>
    public static string? SkipReason(IEnumerable<Tool> tools)
    {
        var missing = tools.Distinct().Select(For).Where(t => t.IsSkippedHere).Select(t => t.MissingLine).ToList();
        return missing.Count == 0 ? null : string.Join(" | ", missing);
    }

    public static SystemTool For(Tool tool) => tool switch
    {
        Tool.Chromium => Chromium,
        Tool.Jupyter => Jupyter,
        Tool.PyTorch => PyTorch,
        Tool.Python => Python,
        Tool.DebianPyTorch => DebianPyTorch,
        _ => throw new ArgumentOutOfRangeException(nameof(tool), tool, null),
    };

    /// <summary>Where apt-get installs packages (Debian, Ubuntu): the install commands name its packages.</summary>
    private static readonly bool HasApt = OperatingSystem.IsLinux() && PathSearch.Find("apt-get") is not null;

    private static string Apt(string packages) => $"sudo apt-get install {packages} (or all at once: sudo bash .ci/install-deps)";

    public static SystemTool Chromium { get; } = new(Tool.Chromium,
        HasApt ? Apt("chromium") : Browsers.InstallHint,
        () => Browsers.Find() is { } browser
            ? (browser, null)
            : (null, "no Chromium, Chrome or Edge on PATH or where their installers put them"));

    public static SystemTool Jupyter { get; } = new(Tool.Jupyter,
        HasApt ? Apt("jupyter-notebook jupyter-nbconvert python3-nbclient") : "pip install notebook nbconvert nbclient",
        // `jupyter nbconvert` runs the program jupyter-nbconvert found beside jupyter or on PATH.
        () => PathSearch.Find("jupyter") is not { } jupyter ? (null, "no jupyter on PATH")
            : PathSearch.Find("jupyter-nbconvert") is null ? (null, "jupyter is on PATH but nbconvert (jupyter-nbconvert) is not")
            : (jupyter, null));

    /// <summary>The environment variable that names the Python with PyTorch.</summary>
    public const string PythonVariable = "D2L_PYTHON";

    public static SystemTool PyTorch { get; } = new(Tool.PyTorch,
        (HasApt ? "sudo apt-get install python3-torch" : "pip install torch") + $", or set {PythonVariable} to a Python that has PyTorch",
        FindPyTorch);

    public static SystemTool Python { get; } = new(Tool.Python,
        HasApt ? Apt("python3") : OperatingSystem.IsWindows() ? "winget install Python.Python.3.12" : "brew install python",
        () => PythonCandidates().FirstOrDefault(p => Runs(p, "import sys; sys.exit(sys.version_info[0] != 3)")) is { } python
            ? (python, null)
            : (null, "no python3 or python on PATH"));

    private const string DebianLibraries = "/usr/lib/x86_64-linux-gnu";

    public static SystemTool DebianPyTorch { get; } = new(Tool.DebianPyTorch,
        OperatingSystem.IsLinux() ? Apt("python3-torch libblas3 libopenblas0-pthread") : "(Debian or Ubuntu only)",
        () => !OperatingSystem.IsLinux() ? (null, "Debian's PyTorch and BLAS libraries exist on Linux only")
            : !Directory.Exists("/usr/lib/python3/dist-packages/torch") ? (null, "Debian's python3-torch is not installed")
            : !File.Exists($"{DebianLibraries}/blas/libblas.so.3") ? (null, $"Debian's reference BLAS is not installed ({DebianLibraries}/blas/libblas.so.3)")
            : !Directory.Exists($"{DebianLibraries}/openblas-pthread") ? (null, $"Debian's OpenBLAS is not installed ({DebianLibraries}/openblas-pthread)")
            : ("/usr/bin/python3", null),
        linuxOnly: true);

    // $D2L_PYTHON alone when set; else Debian's Python (python3-torch) before the ones on PATH, which may be another
    // Python without it (pyenv, a virtual environment).
    private static (string?, string?) FindPyTorch()
    {
        const string hasTorch = "import importlib.util, sys; sys.exit(importlib.util.find_spec('torch') is None)";
        if (Environment.GetEnvironmentVariable(PythonVariable) is { Length: > 0 } named)
            return !File.Exists(named) && PathSearch.Find(named) is null ? (null, $"{PythonVariable}={named} does not exist")
                : Runs(named, hasTorch) ? (named, null)
                : (null, $"{PythonVariable}={named} has no torch module");
        string[] candidates = [.. OperatingSystem.IsLinux() ? ["/usr/bin/python3"] : Array.Empty<string>(), .. PythonCandidates()];
        return candidates.Where(File.Exists).FirstOrDefault(p => Runs(p, hasTorch)) is { } python
            ? (python, null)
            : (null, $"no Python with a torch module ({PythonVariable} unset; tried {string.Join(", ", candidates.Distinct())})");
    }

    private static IEnumerable<string> PythonCandidates() =>
        new[] { PathSearch.Find("python3"), PathSearch.Find("python") }.OfType<string>().Distinct();

    /// <summary>Whether <c>python -c code</c> exits with 0 within 30 s.</summary>
    private static bool Runs(string python, string code)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(python, ["-c", code])
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            })!;
            process.StandardOutput.ReadToEndAsync();
            process.StandardError.ReadToEndAsync();
            if (process.WaitForExit(TimeSpan.FromSeconds(30))) return process.ExitCode == 0;
            process.Kill(entireProcessTree: true);
            return false;
        }
        catch (Win32Exception)
        {
            return false;
        }
    }
}

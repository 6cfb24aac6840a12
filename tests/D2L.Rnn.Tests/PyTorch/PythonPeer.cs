using D2L.Rnn.Notebooks.Tests;

namespace D2L.Rnn.Tests.PyTorch;

/// <summary>
/// Runs d2l_reference.py (copied beside the tests) with the Python that has PyTorch: $D2L_PYTHON, else Debian's
/// /usr/bin/python3 with python3-torch (the <c>python3</c> on PATH may be another Python without it).
/// </summary>
public static class PythonPeer
{
    public const string EnvironmentVariable = "D2L_PYTHON";

    public static string Executable =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } python ? python : "/usr/bin/python3";

    /// <summary>
    /// <c>d2l_reference.py MODE MANIFEST</c>: the script writes its files and MODE.json beside the manifest. Fails the
    /// test, with everything Python printed, when Python or PyTorch is missing or the script fails.
    /// </summary>
    public static void Run(string mode, string manifest)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "PyTorch", "d2l_reference.py");
        Assert.True(File.Exists(Executable),
            $"No Python at {Executable}: install Debian's python3-torch (.ci/install-deps), or set ${EnvironmentVariable} to a Python with PyTorch.");
        var (exit, output) = Processes.Run(Path.GetDirectoryName(manifest)!, TimeSpan.FromMinutes(5), Executable,
            [script, mode, manifest], ("D2L_DATA_DIR", TestData.Directory), ("OMP_NUM_THREADS", "1"), ("OPENBLAS_NUM_THREADS", "1"));
        Assert.True(exit == 0, $"{Executable} {script} {mode} exited with {exit}:\n{output}");
    }
}

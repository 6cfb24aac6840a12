using D2L.Rnn.Notebooks.Tests;

namespace D2L.Rnn.Tests.PyTorch;

/// <summary>
/// Runs d2l_reference.py (copied beside the tests) with the Python that has PyTorch (<see cref="SystemTool.PyTorch"/>:
/// $D2L_PYTHON, else Debian's /usr/bin/python3 with python3-torch, else the first on PATH that has it).
/// </summary>
public static class PythonPeer
{

    /// <summary>
    /// <c>d2l_reference.py MODE MANIFEST</c>: the script writes its files and MODE.json beside the manifest. Fails the
    /// test, with everything Python printed, when Python or PyTorch is missing or the script fails.
    /// </summary>
    public static void Run(string mode, string manifest)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "PyTorch", "d2l_reference.py");
        var python = SystemTool.PyTorch.Require();
        var (exit, output) = Processes.Run(Path.GetDirectoryName(manifest)!, TimeSpan.FromMinutes(5), python,
            [script, mode, manifest], ("D2L_DATA_DIR", TestData.Directory), ("OMP_NUM_THREADS", "1"), ("OPENBLAS_NUM_THREADS", "1"));
        Assert.True(exit == 0, $"{python} {script} {mode} exited with {exit}:\n{output}");
    }
}

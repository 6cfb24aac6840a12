using System.Diagnostics;
using System.Text.Json.Nodes;

namespace D2L.Rnn.Bench;

/// <summary>
/// The peer measured in the same run: d2l's training loop in PyTorch (bench/pytorch/d2l_rnn.py, copied beside the
/// bench), on the same data with the same settings, run by a python3 that has torch.
/// </summary>
internal static class PyTorchPeer
{
    /// <summary>$D2L_PYTHON, python3 on the PATH, or the system's /usr/bin/python3: the first that imports torch.</summary>
    public static string? FindPython()
    {
        var candidates = new[] { Environment.GetEnvironmentVariable("D2L_PYTHON"), "python3", "/usr/bin/python3" };
        foreach (var python in candidates.Where(c => !string.IsNullOrWhiteSpace(c)).Distinct())
        {
            try
            {
                var (exit, _) = Run(python!, ["-c", "import torch"], TimeSpan.FromMinutes(1));
                if (exit == 0) return python;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // not installed under that name
            }
        }
        return null;
    }

    /// <summary>Per cell kind ("rnn", "gru", "lstm"): tokens/sec, the BLAS, and the note PyTorch printed beside it.</summary>
    public static Dictionary<string, PeerResult> Measure(string python, string data, int threads, int epochs, IEnumerable<string> cells, int layers)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "d2l_rnn.py");
        var (exit, output) = Run(python,
            [script, "--data", data, "--threads", threads.ToString(), "--epochs", epochs.ToString(), "--cells", string.Join(',', cells), "--layers", layers.ToString()],
            TimeSpan.FromMinutes(60));
        if (exit != 0) throw new InvalidOperationException($"The PyTorch peer failed (exit {exit}):\n{output}");
        var results = new Dictionary<string, PeerResult>();
        foreach (var line in output.Split('\n').Where(l => l.TrimStart().StartsWith('{')))
        {
            var json = JsonNode.Parse(line)!.AsObject();
            var cell = ((string)json["what"]!).Split('.')[2];
            results[cell] = new PeerResult((double)json["value"]!, (string)json["blas"]!, (string)json["blas_library"]!,
                $"torch {json["torch"]}, {json["threads"]} threads (probed tokens/s by threads: {json["probes"]?.ToJsonString()}), final perplexity {(double)json["perplexity"]!:F3}, epochs {json["epochs"]!.ToJsonString()}");
        }
        return results;
    }

    private static (int Exit, string Output) Run(string exe, string[] args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(exe, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        // OpenBLAS (Debian's PyTorch) starts a thread per core on top of PyTorch's own: they fight for the cores.
        info.Environment["OPENBLAS_NUM_THREADS"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{exe} did not finish within {timeout}.");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}

using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace D2L.Rnn.Bench;

/// <summary>Command-line options.</summary>
internal sealed record BenchOptions(int Epochs, int Threads, int MemEpochs, bool Quick, string[] Cells, bool Memory, string[] Paths, bool PyTorch)
{
    public static BenchOptions? Parse(string[] args)
    {
        int epochs = 5, threads = Environment.ProcessorCount, memEpochs = 200;
        var quick = false;
        var memory = true;
        var pytorch = true;
        string[] cells = ["rnn", "gru", "lstm"];
        string[] paths = ["straightforward", "fast"];
        bool explicitEpochs = false, explicitMem = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--epochs" when i + 1 < args.Length: epochs = int.Parse(args[++i], CultureInfo.InvariantCulture); explicitEpochs = true; break;
                case "--threads" when i + 1 < args.Length: threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--mem-epochs" when i + 1 < args.Length: memEpochs = int.Parse(args[++i], CultureInfo.InvariantCulture); explicitMem = true; break;
                case "--quick": quick = true; break;
                case "--cells" when i + 1 < args.Length: cells = args[++i].ToLowerInvariant().Split(',', StringSplitOptions.RemoveEmptyEntries); break;
                case "--no-memory": memory = false; break;
                case "--no-pytorch": pytorch = false; break;
                case "--paths" when i + 1 < args.Length: paths = args[++i].ToLowerInvariant().Split(',', StringSplitOptions.RemoveEmptyEntries); break;
                default:
                    Console.Error.WriteLine(
                        "usage: D2L.Rnn.Bench [--epochs N (measured epochs after 1 warm-up, default 5)] " +
                        "[--threads N (torch.set_num_threads, default: cores)] [--mem-epochs N (default 200)] [--quick] " +
                        "[--cells rnn,gru,lstm] [--paths straightforward,fast] [--no-memory] [--no-pytorch]");
                    return null;
            }
        }
        if (quick)
        {
            if (!explicitEpochs) epochs = 1;
            if (!explicitMem) memEpochs = 20;
        }
        if (epochs < 1 || threads < 1 || memEpochs < 5 || cells.Any(c => c is not ("rnn" or "gru" or "lstm"))
            || paths.Length == 0 || paths.Any(p => p is not ("straightforward" or "fast")))
        {
            Console.Error.WriteLine("--epochs and --threads must be at least 1, --mem-epochs at least 5, --cells among rnn,gru,lstm, " +
                "--paths among straightforward,fast.");
            return null;
        }
        return new BenchOptions(epochs, threads, memEpochs, quick, cells, memory, paths, pytorch);
    }
}

/// <summary>Writes one JSON object per line: machine, date, threads, what, value, unit (and a note).</summary>
internal sealed class Reporter(int threads)
{
    private readonly string _machine =
        $"{CpuModel()}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, " +
        $".NET {Environment.Version}, TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version}";

    public void Emit(string what, double value, string unit, string? note = null)
    {
        var line = new Dictionary<string, object?>
        {
            ["machine"] = _machine,
            ["date"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["threads"] = threads,
            ["what"] = what,
            ["value"] = Math.Round(value, 3),
            ["unit"] = unit,
        };
        if (note is not null) line["note"] = note;
        Console.WriteLine(JsonSerializer.Serialize(line));
    }

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null) return line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}

/// <summary>
/// Resident (VmRSS) and peak resident (VmHWM) memory of this process from /proc/self/status, and the memory the
/// .NET GC has committed, all in KiB.
/// </summary>
internal static class ProcStatus
{
    public static (long Rss, long Hwm, long GcCommitted) Read()
    {
        long rss = -1, hwm = -1;
        var gc = GC.GetGCMemoryInfo().TotalCommittedBytes / 1024;
        if (!File.Exists("/proc/self/status")) return (rss, hwm, gc);
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kib(line);
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) hwm = Kib(line);
        }
        return (rss, hwm, gc);
    }

    private static long Kib(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}

/// <summary>
/// How fast this machine is right now: single-threaded 32×256×256 float32 matrix products (the RNN's recurrent
/// product), in GFLOP/s. Shared virtual machines drift by a third within an hour; printing this beside the results
/// makes runs comparable.
/// </summary>
internal static class MachineProbe
{
    public static double GemmGflops()
    {
        var threads = TorchSharp.torch.get_num_threads();
        TorchSharp.torch.set_num_threads(1);
        try
        {
            using var scope = TorchSharp.torch.NewDisposeScope();
            using var noGrad = TorchSharp.torch.no_grad();
            var a = TorchSharp.torch.randn(32, 256);
            var w = TorchSharp.torch.randn(256, 256).t();
            var output = TorchSharp.torch.zeros(32, 256);
            for (var i = 0; i < 500; i++) output.addmm_(a, w, 0, 1);
            const int n = 5000;
            var timer = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < n; i++) output.addmm_(a, w, 0, 1);
            return 2.0 * 32 * 256 * 256 * n / timer.Elapsed.TotalSeconds / 1e9;
        }
        finally
        {
            TorchSharp.torch.set_num_threads(threads);
        }
    }
}

using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace D2L.Rnn.Bench;

/// <summary>Command-line options (System.CommandLine: <c>--help</c> lists them).</summary>
internal sealed record BenchOptions(int Epochs, int Threads, int MemEpochs, bool Quick, string[] Cells, int Layers, bool Memory, string[] Paths, bool PyTorch, bool Micro)
{
    private static readonly string[] CellKinds = ["rnn", "gru", "lstm"];
    private static readonly string[] PathNames = ["reference", "fast"];

    /// <summary>The options, or null with the exit code to return: 0 after <c>--help</c>, 2 for bad input (errors on stderr).</summary>
    public static BenchOptions? Parse(string[] args, out int exitCode)
    {
        var epochs = new Option<int?>("--epochs") { Description = "Measured training epochs after one warm-up epoch (default 5; 1 with --quick)." };
        var threads = new Option<int>("--threads")
        {
            Description = "Cores to use (torch.set_num_threads, and the fast path's shards).",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        var memEpochs = new Option<int?>("--mem-epochs") { Description = "Epochs of the memory run (default 200; 20 with --quick)." };
        var quick = new Option<bool>("--quick") { Description = "A short run: 1 measured epoch, a 20-epoch memory run, shorter generation." };
        var cells = ListOption("--cells", "Model kinds to train", CellKinds);
        var layers = new Option<int>("--layers")
        {
            Description = "Stacked recurrent layers of every model (ours and PyTorch's).",
            DefaultValueFactory = _ => 1,
        };
        var paths = ListOption("--paths", "Training paths, in this order (the first one also warms the process up)", PathNames);
        var noMemory = new Option<bool>("--no-memory") { Description = "Skip the memory run." };
        var noPyTorch = new Option<bool>("--no-pytorch") { Description = "Skip the PyTorch peer (bench/pytorch/d2l_rnn.py)." };
        var micro = new Option<bool>("--micro")
        {
            Description = "Only the micro-benchmarks: each choice of the fast path's code timed against its alternative, " +
                "with the shapes it uses (about half a minute; a few seconds with --quick). Ignores the training options.",
        };
        foreach (var option in new Option<int?>[] { epochs, memEpochs })
            option.Validators.Add(r =>
            {
                var min = option == memEpochs ? 5 : 1;
                if (r.GetValueOrDefault<int?>() < min) r.AddError($"{option.Name} must be at least {min}.");
            });
        foreach (var option in new[] { threads, layers })
            option.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<int>() < 1) r.AddError($"{option.Name} must be at least 1.");
            });
        var root = new RootCommand(
            "Training speed (tokens/s, with the GFLOP/s and fraction of the machine's limit it achieves), generation speed " +
            "(chars/s) and memory of D2L.Rnn on the Time Machine, then the same training in PyTorch when a python3 with " +
            "torch is found (named with its BLAS). Prints one JSON object per measurement.")
        {
            epochs, threads, memEpochs, quick, cells, layers, paths, noMemory, noPyTorch, micro,
        };
        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors) Console.Error.WriteLine(error.Message);
            Console.Error.WriteLine("See --help for the options.");
            exitCode = 2;
            return null;
        }
        if (result.Action is System.CommandLine.Help.HelpAction)
        {
            exitCode = result.Invoke();
            return null;
        }
        exitCode = 0;
        var isQuick = result.GetValue(quick);
        return new BenchOptions(
            result.GetValue(epochs) ?? (isQuick ? 1 : 5), result.GetValue(threads), result.GetValue(memEpochs) ?? (isQuick ? 20 : 200),
            isQuick, result.GetValue(cells)!, result.GetValue(layers), !result.GetValue(noMemory), result.GetValue(paths)!, !result.GetValue(noPyTorch),
            result.GetValue(micro));
    }

    /// <summary>A comma-separated list drawn from <paramref name="allowed"/> (all of them by default).</summary>
    private static Option<string[]> ListOption(string name, string description, string[] allowed)
    {
        var option = new Option<string[]>(name)
        {
            Description = $"{description}, comma-separated among {string.Join(",", allowed)}.",
            DefaultValueFactory = _ => allowed,
            CustomParser = r => r.Tokens.SelectMany(t => t.Value.ToLowerInvariant().Split(',', StringSplitOptions.RemoveEmptyEntries)).ToArray(),
        };
        option.Validators.Add(r =>
        {
            var values = r.GetValueOrDefault<string[]>();
            if (values.Length == 0 || values.Any(v => !allowed.Contains(v)))
                r.AddError($"{name} among {string.Join(",", allowed)}, got '{string.Join(",", r.Tokens.Select(t => t.Value))}'.");
        });
        return option;
    }
}

/// <summary>
/// Writes one JSON object per line: machine, date, threads, what, value, unit (a note, and further fields where a
/// measurement has them), or a warning in place of value and unit.
/// </summary>
internal sealed class Reporter(int threads)
{
    private readonly string _machine =
        $"{CpuModel()}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, " +
        $".NET {Environment.Version}, TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version}";

    public void Emit(string what, double value, string unit, string? note = null, IReadOnlyDictionary<string, string>? fields = null)
    {
        var line = Line(what);
        line["value"] = Math.Round(value, 3);
        line["unit"] = unit;
        if (note is not null) line["note"] = note;
        foreach (var (name, text) in fields ?? new Dictionary<string, string>()) line[name] = text;
        Console.WriteLine(JsonSerializer.Serialize(line));
    }

    /// <summary>A warning, on stderr for whoever watches and as a JSON line for whoever keeps the output.</summary>
    public void Warn(string what, string warning)
    {
        Console.Error.WriteLine($"Warning: {warning}");
        var line = Line(what);
        line["warning"] = warning;
        Console.WriteLine(JsonSerializer.Serialize(line));
    }

    private Dictionary<string, object?> Line(string what) => new()
    {
        ["machine"] = _machine,
        ["date"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        ["threads"] = threads,
        ["what"] = what,
    };

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

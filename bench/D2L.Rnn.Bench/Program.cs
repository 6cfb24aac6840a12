// Benchmark of D2L.Rnn: training throughput (tokens/sec), generation speed (chars/sec) and memory (RSS) for the
// reference path and the fast path, then the same training in PyTorch (bench/pytorch/d2l_rnn.py) when a python3
// with torch is found, with the ratios measured in that run. Every training figure comes with the GFLOP/s it
// achieves and its fraction of the machine's limit (TrainingWork). Prints one JSON line per measurement.
//
//   dotnet run -c Release --project bench/D2L.Rnn.Bench -- [--epochs N] [--threads N] [--mem-epochs N] [--quick]
//                                                        [--cells rnn,gru,lstm] [--layers N] [--paths reference,fast]
//                                                        [--no-memory] [--no-pytorch]
//   dotnet run -c Release --project bench/D2L.Rnn.Bench -- --micro [--quick]
//   (--help describes them; --micro times the fast path's choices against their alternatives, MicroBench)
//
// "reference" is TrainOptions.UseFastPath = false: one-hot input, TorchSharp's modules, autograd; "fast" is the
// default, which for an RNN, GRU or LSTM trains with the hand-written step split over --threads cores.
//
// Data: timemachine.txt in $D2L_DATA_DIR (or the user's data directory), downloaded when missing.
using System.Diagnostics;
using D2L.Rnn.Bench;
using D2L.Rnn;
using TorchSharp;
using static TorchSharp.torch;

var options = BenchOptions.Parse(args, out var exitCode);
if (options is null) return exitCode;

InitializeDeviceType(DeviceType.CPU);
set_num_threads(options.Threads);
var report = new Reporter(options.Threads);
var probeStart = MachineProbe.GemmGflops();
report.Emit("probe.start.gemm_32x256x256_1_thread", probeStart, "GFLOP/s", "machine speed before the runs");
if (options.Micro)
{
    MicroBench.Run(report, options.Quick);
    EmitEndProbe();
    return 0;
}

CharCorpus full;
try
{
    full = TimeMachine.LoadD2l();
}
catch (CorpusNotFoundException e)
{
    Console.Error.WriteLine(e.Message); // says where to put the file; no stack trace for a missing download
    return 1;
}
var vocab = full.Vocab;
report.Emit("corpus.tokens", full.Indices.Length, "tokens");
report.Emit("model.layers", options.Layers, "layers", "stacked recurrent layers of 256 hidden units, every model");

// In the order given by --paths (the first one also pays for warming the process up).
var paths = options.Paths.Select(p => (p, Fast: p == "fast")).ToArray();

// 1. Memory over a longer run (first, so that VmHWM is not the peak of the larger runs below) on the ch8 corpus (10,000 tokens): RSS after epoch 5 and after the last epoch.
var small = TimeMachine.LoadD2l(maxTokens: 10_000);
var cellKinds = options.Cells.Select(c => Enum.Parse<CellKind>(c, ignoreCase: true)).ToArray();
foreach (var (kind, pathName, fast) in options.Memory ? cellKinds.SelectMany(k => paths.Select(p => (k, p.p, p.Fast))) : [])
{
    manual_seed(7);
    var cell = kind.ToString().ToLowerInvariant();
    using var model = new RNNModel(new ModelConfig(kind, small.Vocab.Count, 256, options.Layers));
    var data = new SeqDataLoader(small.Indices, 32, 35, useRandomIter: false, seed: 7);
    var last = options.MemEpochs;
    var middle = last / 2;
    (long Rss, long Hwm, long GcCommitted) at5 = default, atMiddle = default, atLast = default;
    Trainer.Train(model, data, small.Vocab,
        new TrainOptions { NumEpochs = last, LearningRate = 1, ClipTheta = 1, PredictEvery = 0, UseFastPath = fast, Threads = options.Threads },
        e =>
        {
            if (e.Epoch == 5) at5 = ProcStatus.Read();
            if (e.Epoch == middle) atMiddle = ProcStatus.Read();
            if (e.Epoch == last) atLast = ProcStatus.Read();
        });
    const string corpusNote = "VmRSS, ch8 corpus 10,000 tokens";
    report.Emit($"memory.{cell}.{pathName}.rss_after_epoch_5", at5.Rss / 1024.0, "MiB", corpusNote);
    report.Emit($"memory.{cell}.{pathName}.rss_after_epoch_{middle}", atMiddle.Rss / 1024.0, "MiB", corpusNote);
    report.Emit($"memory.{cell}.{pathName}.rss_after_epoch_{last}", atLast.Rss / 1024.0, "MiB", corpusNote);
    report.Emit($"memory.{cell}.{pathName}.peak_after_epoch_5", at5.Hwm / 1024.0, "MiB", "VmHWM (process peak so far)");
    report.Emit($"memory.{cell}.{pathName}.peak_after_epoch_{last}", atLast.Hwm / 1024.0, "MiB", "VmHWM (process peak so far)");
    report.Emit($"memory.{cell}.{pathName}.rss_growth_5_to_{last}", 100.0 * (atLast.Rss - at5.Rss) / at5.Rss, "%",
        "aim: within ±5%");
    report.Emit($"memory.{cell}.{pathName}.rss_growth_{middle}_to_{last}", 100.0 * (atLast.Rss - atMiddle.Rss) / atMiddle.Rss, "%",
        "flat once the process has warmed up?");
    // The .NET GC sizes its young generation to the allocation it observes during the first minutes; that memory
    // is part of RSS but is not held by training. Reported so that a leak can be told apart from it.
    report.Emit($"memory.{cell}.{pathName}.gc_committed_after_epoch_5", at5.GcCommitted / 1024.0, "MiB", "GC.GetGCMemoryInfo().TotalCommittedBytes");
    report.Emit($"memory.{cell}.{pathName}.gc_committed_after_epoch_{last}", atLast.GcCommitted / 1024.0, "MiB", "GC.GetGCMemoryInfo().TotalCommittedBytes");
    report.Emit($"memory.{cell}.{pathName}.rss_without_gc_heap_growth_5_to_{last}",
        100.0 * ((atLast.Rss - atLast.GcCommitted) - (at5.Rss - at5.GcCommitted)) / (at5.Rss - at5.GcCommitted), "%",
        "VmRSS minus the GC's committed memory");
}
// 2. Training throughput on the full Time Machine, d2l 0.17 preset, first epoch excluded.
const int numSteps = 35;
var ours = new Dictionary<string, double>(); // per cell kind: the default path's rate (fast when measured)
var work = new Dictionary<string, double>(); // per cell kind: multiply-adds per trained token (TrainingWork)
var achieved = new List<(string What, double Gflops)>(); // every training figure, for its fraction of the limit
foreach (var kind in cellKinds)
{
    var name = kind.ToString().ToLowerInvariant();
    var rates = new Dictionary<string, double>();
    foreach (var (pathName, fast) in paths)
    {
        manual_seed(42);
        using var model = new RNNModel(new ModelConfig(kind, vocab.Count, 256, options.Layers));
        if (!work.ContainsKey(name))
        {
            work[name] = TrainingWork.MultiplyAddsPerToken(model, numSteps);
            report.Emit($"model.{name}.multiply_adds_per_token", work[name], "multiply-adds/token",
                "matrix products of one training step per token, forward and backward; the one-hot input is a row gather (0)");
        }
        var data = new SeqDataLoader(full.Indices, 32, numSteps, useRandomIter: false, seed: 42);
        var epochs = new List<EpochReport>();
        Trainer.Train(model, data, vocab,
            new TrainOptions { NumEpochs = 1 + options.Epochs, LearningRate = 1, ClipTheta = 1, PredictEvery = 0, UseFastPath = fast, Threads = options.Threads },
            epochs.Add);
        var measured = epochs.Skip(1).ToList();
        var rate = measured.Sum(e => (double)e.Tokens) / measured.Sum(e => e.Seconds);
        rates[pathName] = rate;
        report.Emit($"train.{name}.{pathName}.tokens_per_sec", rate, "tokens/sec",
            $"{measured.Count} epochs after 1 warm-up epoch; final perplexity {epochs[^1].Perplexity:F3}; " +
            $"epochs {string.Join(", ", measured.Select(e => Math.Round(e.Tokens / e.Seconds)))}");
        EmitGflops($"train.{name}.{pathName}", rate, work[name]);

        // Generation speed with the trained model (Predictor.Predict, argmax, batch 1).
        if (kind == CellKind.Rnn || !options.Quick)
        {
            Predictor.Predict("time traveller", 50, model, vocab); // warm-up
            var numPreds = options.Quick ? 200 : 1000;
            var sw = Stopwatch.StartNew();
            Predictor.Predict("time traveller", numPreds, model, vocab);
            sw.Stop();
            report.Emit($"generate.{name}.{pathName}.chars_per_sec", numPreds / sw.Elapsed.TotalSeconds, "chars/sec",
                $"Predictor.Predict, prefix 'time traveller', {numPreds} predicted chars");
        }
    }
    if (rates.ContainsKey("fast") && rates.ContainsKey("reference"))
        report.Emit($"train.{name}.ratio_fast_over_reference", rates["fast"] / rates["reference"], "x");
    ours[name] = rates.GetValueOrDefault("fast", rates.Values.First());
}

// 3. The peer: d2l's loop in PyTorch, same data and settings (so the same shapes and work per token), right after ours.
var python = options.PyTorch ? PyTorchPeer.FindPython() : null;
if (python is null)
    Console.Error.WriteLine(options.PyTorch
        ? "PyTorch was not found (no python3 that imports torch; on Debian: apt-get install python3-torch libopenblas0-pthread, or set D2L_PYTHON): ours only."
        : "--no-pytorch: ours only.");
else
{
    var peer = PyTorchPeer.Measure(python, Path.Combine(DataDirectory.Resolve(), CorpusSource.TimeMachine.FileName), options.Threads,
        options.Epochs, options.Cells, options.Layers);
    if (peer.Values.FirstOrDefault(p => p.OnReferenceBlas) is { } onReference)
        report.Warn("pytorch.warning.reference_blas", onReference.ReferenceBlasWarning);
    foreach (var (name, result) in peer)
    {
        report.Emit($"pytorch.train.{name}.tokens_per_sec", result.TokensPerSecond, "tokens/sec", result.Note,
            new Dictionary<string, string> { ["blas"] = result.Blas, ["blas_library"] = result.BlasLibrary });
        EmitGflops($"pytorch.train.{name}", result.TokensPerSecond, work[name]);
        if (ours.TryGetValue(name, out var our) && result.OursOverPyTorch(our) is { } ratio)
            report.Emit($"train.{name}.ours_over_pytorch", ratio, "x", options.Paths.Contains("fast") ? "fast path" : "reference path");
    }
}
var probeEnd = EmitEndProbe();

// 4. How much of the machine each training figure used: achieved ÷ (probe × threads).
var limit = TrainingWork.LimitGflops(probeStart, probeEnd, options.Threads);
report.Emit("limit.gflops", limit, "GFLOP/s", $"mean of the start and end probes x {options.Threads} threads");
foreach (var (what, gflops) in achieved)
    report.Emit($"{what}.fraction_of_limit", gflops / limit, "fraction", $"{what}.gflops / limit.gflops");

return 0;

double EmitEndProbe()
{
    var gflops = MachineProbe.GemmGflops();
    report.Emit("probe.end.gemm_32x256x256_1_thread", gflops, "GFLOP/s", "machine speed after the runs");
    return gflops;
}

void EmitGflops(string what, double tokensPerSecond, double multiplyAddsPerToken)
{
    var gflops = TrainingWork.Gflops(tokensPerSecond, multiplyAddsPerToken);
    report.Emit($"{what}.gflops", gflops, "GFLOP/s", $"2 x {multiplyAddsPerToken:F0} multiply-adds/token x tokens/sec");
    achieved.Add((what, gflops));
}

using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>
/// The README's benchmark command runs and prints what it promises: one JSON object per line with the machine,
/// date, threads, measurement, value and unit (or a warning). Speeds are not asserted here (they belong to the
/// benchmark); what is asserted is that both paths train to the same perplexity, that every number is a real number,
/// that every training figure has its GFLOP/s and fraction of the limit, and that the peer names its BLAS. The
/// micro-benchmarks (--micro) print every choice they time, both timings and their ratio, not which one wins.
/// </summary>
[Trait("Category", "Slow")]
public class BenchCommandTests
{
    private static (int Exit, string Output) Bench(params string[] args)
    {
        Repo.UseSharedDataWhenPresent();
        return Processes.Run(Repo.Root, TimeSpan.FromMinutes(10), "dotnet",
            ["run", "-c", "Release", "--project", "bench/D2L.Rnn.Bench", "--", .. args]);
    }

    [Fact]
    public void TheQuickRunPrintsOneJsonLinePerMeasurementAndBothPathsLearnTheSame()
    {
        var (exit, output) = Bench("--quick", "--cells", "rnn", "--no-memory", "--threads", "2");
        Assert.True(exit == 0, output);
        var lines = JsonLines(output, threads: 2);
        var byName = lines.ToDictionary(l => (string)l["what"]!, l => l);
        double Value(string what) =>
            byName.TryGetValue(what, out var line) ? (double)line["value"]! : throw new Xunit.Sdk.XunitException($"missing {what} in:\n{output}");
        Assert.Equal(170_580, Value("corpus.tokens"));
        foreach (var what in new[]
                 {
                     "probe.start.gemm_32x256x256_1_thread", "probe.end.gemm_32x256x256_1_thread",
                     "generate.rnn.reference.chars_per_sec", "generate.rnn.fast.chars_per_sec",
                     "train.rnn.ratio_fast_over_reference",
                 })
            Value(what);

        // Beside every training figure: the GFLOP/s of the counted work and the fraction of the machine's limit.
        var work = Value("model.rnn.multiply_adds_per_token");
        Assert.Equal(7_568_384 / 35.0, work, 0.01); // BenchTrainingWorkTests counts it by hand
        var limit = Value("limit.gflops");
        Assert.Equal((Value("probe.start.gemm_32x256x256_1_thread") + Value("probe.end.gemm_32x256x256_1_thread")) / 2 * 2, limit, 0.01);
        var figures = new List<string> { "train.rnn.reference", "train.rnn.fast" };
        // The PyTorch peer runs in the same run when a python3 with torch is found; otherwise the bench says so.
        if (byName.TryGetValue("pytorch.train.rnn.tokens_per_sec", out var peer))
        {
            figures.Add("pytorch.train.rnn");
            var blas = (string)peer["blas"]!;
            Assert.Contains(blas, new[] { "openblas", "mkl", "reference", "other" });
            Assert.False(string.IsNullOrWhiteSpace((string?)peer["blas_library"]), peer.ToJsonString());
            // On the reference BLAS: a warning and no ratio; on any other: the ratio and no warning.
            Assert.Equal(blas == "reference", byName.ContainsKey("pytorch.warning.reference_blas"));
            Assert.Equal(blas != "reference", byName.ContainsKey("train.rnn.ours_over_pytorch"));
        }
        else
            Assert.Contains("PyTorch was not found", output);
        foreach (var figure in figures)
        {
            var tokensPerSecond = Value($"{figure}.tokens_per_sec");
            var gflops = Value($"{figure}.gflops");
            Assert.Equal(tokensPerSecond * 2 * work / 1e9, gflops, 0.01);
            Assert.Equal(gflops / limit, Value($"{figure}.fraction_of_limit"), 0.002);
        }

        // Same seed, same data, same updates up to float32 rounding: the final perplexities agree.
        double Perplexity(string path)
        {
            var note = (string)byName[$"train.rnn.{path}.tokens_per_sec"]["note"]!;
            return double.Parse(Regex.Match(note, @"final perplexity ([0-9.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        }
        var reference = Perplexity("reference");
        Assert.InRange(reference, 1.5, 20); // it learned something in two epochs (28 tokens: uniform is 28)
        Assert.Equal(reference, Perplexity("fast"), 0.01);
    }

    [Fact]
    public void TheMicroRunTimesEachChoiceOfTheFastPathBesideItsAlternativeBetweenTheProbesAndNothingElse()
    {
        var (exit, output) = Bench("--micro", "--quick", "--threads", "2");
        Assert.True(exit == 0, output);
        var lines = JsonLines(output, threads: 2);
        var what = lines.Select(l => (string)l["what"]!).ToList();
        // (what, the fast path's choice, the alternative, unit): three lines each, in this order.
        var choices = new (string What, string Chosen, string Alternative, string Unit)[]
        {
            ("sigmoid_vs_tanh.16x256", "sigmoid", "tanh", "us/call"),
            ("sigmoid_vs_tanh.16x1024", "sigmoid", "tanh", "us/call"),
            ("tanh_through_sigmoid.16x256", "two_sigmoid_two_minus_one", "tanh", "us/call"),
            ("lstm_gates.16x1024", "one_sigmoid", "sigmoid_and_tanh", "us/call"),
            ("scalar_argument.addcmul_16x256", "cached_scalar", "number_per_call", "us/call"),
            ("gru_input_weight_gradient.560x1024", "rows_then_blocks", "strided_blocks", "us/call"),
            ("column_sums.560x256", "mv_ones", "sum0", "us/call"),
            ("column_sums.560x1024", "mv_ones", "sum0", "us/call"),
            ("row_sums.28x560", "mv_ones", "sum1", "us/call"),
            ("output_layout.28x256x560", "vocab_major", "row_major", "us/call"),
            ("update_thread", "shard_thread", "caller_2_threads", "ms/minibatch"),
        };
        var expected = choices
            .SelectMany(c => new[] { $"micro.{c.What}.{c.Chosen}", $"micro.{c.What}.{c.Alternative}", $"micro.{c.What}.alternative_over_chosen" })
            .Prepend("probe.start.gemm_32x256x256_1_thread").Append("probe.end.gemm_32x256x256_1_thread");
        Assert.Equal(expected, what); // no corpus, no training: only the probes and the micro-benchmarks
        foreach (var (name, chosen, alternative, unit) in choices)
        {
            var (c, a, ratio) = (lines[what.IndexOf($"micro.{name}.{chosen}")], lines[what.IndexOf($"micro.{name}.{alternative}")],
                lines[what.IndexOf($"micro.{name}.alternative_over_chosen")]);
            Assert.Equal([unit, unit, "x"], new[] { c, a, ratio }.Select(l => (string)l["unit"]!));
            Assert.Equal((double)a["value"]! / (double)c["value"]!, (double)ratio["value"]!, 0.01 * (double)ratio["value"]!);
        }
    }

    /// <summary>The JSON lines of <paramref name="output"/>, each with the fields every line has and a positive real value
    /// (or a warning).</summary>
    private static List<JsonObject> JsonLines(string output, int threads)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith('{')).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        foreach (var line in lines)
        {
            foreach (var field in new[] { "machine", "date", "threads", "what" })
                Assert.True(line.ContainsKey(field), $"{line.ToJsonString()} lacks {field}");
            Assert.Equal(threads, (int)line["threads"]!);
            if (line.ContainsKey("warning")) continue; // a warning line has no value
            Assert.True(line.ContainsKey("value") && line.ContainsKey("unit"), line.ToJsonString());
            Assert.True(double.IsFinite((double)line["value"]!) && (double)line["value"]! > 0, line.ToJsonString());
        }
        return lines;
    }

    [Fact]
    public void BadInputIsNamedWithExit2AndHelpListsEveryOption()
    {
        var (exit, output) = Bench("--paths", "turbo");
        Assert.Equal(2, exit);
        Assert.Contains("--paths among reference,fast, got 'turbo'", output);
        (exit, output) = Bench("--epochs", "0", "--no-such-option");
        Assert.Equal(2, exit);
        Assert.Contains("--epochs must be at least 1", output);
        Assert.Contains("'--no-such-option'", output);
        (exit, output) = Bench("--help");
        Assert.Equal(0, exit);
        foreach (var option in new[] { "--epochs", "--threads", "--mem-epochs", "--quick", "--cells", "--layers", "--paths", "--no-memory", "--no-pytorch", "--micro" })
            Assert.Contains(option, output);
    }
}

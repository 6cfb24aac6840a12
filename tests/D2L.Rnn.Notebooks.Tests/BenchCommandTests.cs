using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>
/// The README's benchmark command runs and prints what it promises: one JSON object per line with the machine,
/// date, threads, measurement, value and unit. Speeds are not asserted here (they belong to the benchmark);
/// what is asserted is that both paths train to the same perplexity and that every number is a real number.
/// </summary>
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
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith('{')).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var byName = lines.ToDictionary(l => (string)l["what"]!, l => l);
        foreach (var line in lines)
        {
            foreach (var field in new[] { "machine", "date", "threads", "what", "value", "unit" })
                Assert.True(line.ContainsKey(field), $"{line.ToJsonString()} lacks {field}");
            Assert.Equal(2, (int)line["threads"]!);
            Assert.True(double.IsFinite((double)line["value"]!) && (double)line["value"]! > 0, line.ToJsonString());
        }
        Assert.Equal(170_580, (double)byName["corpus.tokens"]["value"]!);
        foreach (var what in new[]
                 {
                     "probe.start.gemm_32x256x256_1_thread", "probe.end.gemm_32x256x256_1_thread",
                     "train.rnn.straightforward.tokens_per_sec", "train.rnn.fast.tokens_per_sec",
                     "generate.rnn.straightforward.chars_per_sec", "generate.rnn.fast.chars_per_sec",
                     "train.rnn.ratio_fast_over_straightforward",
                 })
            Assert.True(byName.ContainsKey(what), $"missing {what} in:\n{output}");
        // The PyTorch peer runs in the same run when a python3 with torch is found; otherwise the bench says so.
        if (byName.ContainsKey("pytorch.train.rnn.tokens_per_sec"))
            Assert.True(byName.ContainsKey("train.rnn.ours_over_pytorch"), output);
        else
            Assert.Contains("PyTorch was not found", output);

        // Same seed, same data, same updates up to float32 rounding: the final perplexities agree.
        double Perplexity(string path)
        {
            var note = (string)byName[$"train.rnn.{path}.tokens_per_sec"]["note"]!;
            return double.Parse(Regex.Match(note, @"final perplexity ([0-9.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        }
        var reference = Perplexity("straightforward");
        Assert.InRange(reference, 1.5, 20); // it learned something in two epochs (28 tokens: uniform is 28)
        Assert.Equal(reference, Perplexity("fast"), 0.01);
    }

    [Fact]
    public void BadInputIsNamedWithExit2AndHelpListsEveryOption()
    {
        var (exit, output) = Bench("--paths", "turbo");
        Assert.Equal(2, exit);
        Assert.Contains("--paths among straightforward,fast, got 'turbo'", output);
        (exit, output) = Bench("--epochs", "0", "--no-such-option");
        Assert.Equal(2, exit);
        Assert.Contains("--epochs must be at least 1", output);
        Assert.Contains("'--no-such-option'", output);
        (exit, output) = Bench("--help");
        Assert.Equal(0, exit);
        foreach (var option in new[] { "--epochs", "--threads", "--mem-epochs", "--quick", "--cells", "--layers", "--paths", "--no-memory", "--no-pytorch" })
            Assert.Contains(option, output);
    }
}

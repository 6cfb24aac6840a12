using System.Globalization;
using D2L.Rnn;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests;

/// <summary>
/// Each of the unit's published runs, trained here with the lesson's settings, follows the published perplexities
/// within 10% at the checked epochs. One seed per run by default (0); <c>D2L_SEEDS=0,1,2</c> runs several, one after
/// another, and every seed must pass (the README gives the measured range). The runs of a few minutes run always; the
/// deep and bidirectional LSTMs (half an hour each on one core) run with <c>D2L_LONG_RUNS=1</c>, and CI checks their
/// committed notebooks against the same published points.
/// </summary>
[Trait("Category", "Slow")]
public class PublishedCurveTests(ITestOutputHelper output)
{
    public static TheoryData<string> Runs() => new(PublishedRuns.All.Where(r => !r.IsLong).Select(r => r.Name));

    public static TheoryData<string> LongRuns() => new(PublishedRuns.All.Where(r => r.IsLong).Select(r => r.Name));

    private static IReadOnlyList<int> Seeds() =>
        (Environment.GetEnvironmentVariable("D2L_SEEDS") ?? "0").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();

    [Theory]
    [MemberData(nameof(Runs))]
    public void FollowsThePublishedCurve(string name) => Follow(name);

    [LongRunTheory("25 to 35 minutes per seed on one core")]
    [MemberData(nameof(LongRuns))]
    public void FollowsThePublishedCurveOverALongRun(string name) => Follow(name);

    private void Follow(string name)
    {
        var run = PublishedRuns.Named(name);
        var corpus = TimeMachine.LoadLecture(dataDirectory: TestData.Directory);
        var failures = new List<string>();
        // One libtorch thread, as the notebooks and their apps run (the fast path shards over threads of its own).
        var threads = get_num_threads();
        set_num_threads(1);
        try
        {
        foreach (var seed in Seeds())
        {
            manual_seed(seed);
            var model = run.NewModel(corpus.Vocab.Count);
            try
            {
                var data = new SeqDataLoader(corpus.Indices, run.BatchSize, run.NumSteps, run.UseRandomIter, seed);
                var result = Trainer.Train(model, data, corpus.Vocab, run.Options);
                var ours = run.Published.Select(p => (p.Epoch, p.Perplexity, Ours: result.Epochs[p.Epoch - 1].Perplexity)).ToList();
                output.WriteLine($"{name}, seed {seed} ({result.SecondsPerEpoch:F3} s/epoch, {result.Path} path): " +
                                 string.Join(", ", ours.Select(p => $"{p.Epoch}: {p.Ours:F2} ({p.Perplexity:F2})")));
                foreach (var (index, (epoch, published, measured)) in ours.Index().Where(p => run.Checked.Contains(p.Item.Epoch)))
                {
                    if (!run.Follows(index, measured))
                        failures.Add($"seed {seed}, epoch {epoch}: {measured:F3}, published {published:F3}");
                }
            }
            finally
            {
                (model as IDisposable)?.Dispose();
            }
        }
        }
        finally
        {
            set_num_threads(threads);
        }
        Assert.True(failures.Count == 0, $"{name} left the published curve by more than 10%: {string.Join("; ", failures)}");
    }
}

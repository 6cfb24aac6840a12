using static TorchSharp.torch;

namespace D2L.Rnn.Tests;

/// <summary>
/// Run checkpoints in one process: a run continued from any of its checkpoints (within an epoch or at its end) ends
/// with the same reports and the same weights, bit for bit, as the run that was never interrupted; damaged files and
/// those of other runs are refused with what is wrong, and the last good checkpoint is kept. RunCheckpointKillTests
/// kill real processes.
/// </summary>
public sealed class RunCheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("d2l-run-checkpoint-").FullName;
    private readonly int _threads = get_num_threads();

    // One libtorch thread: these small models trained many times over ran several times slower with two threads on a
    // busy 2-core machine (the reference path's threads waiting on each other). Every run compared runs alike.
    public RunCheckpointTests() => set_num_threads(1);

    public void Dispose()
    {
        set_num_threads(_threads);
        RunCheckpointFile.WhileWriting = null;
        Directory.Delete(_folder, recursive: true);
    }

    public static TheoryData<string> Runs => [.. ResumableRuns.Names];

    [Theory]
    [MemberData(nameof(Runs))]
    public void ContinuingFromItsCheckpointsEndsWithTheWeightsAndReportsOfTheUninterruptedRun(string run)
    {
        var whole = ResumableRuns.Train(run, checkpoint: null);
        var path = Path.Combine(_folder, "run.ckpt");
        var copies = TrainKeepingEveryCheckpoint(path, () =>
            whole.AssertSame(ResumableRuns.Train(run, new RunCheckpointOptions(path) { EveryMinibatches = 5 }), "a run that writes checkpoints"));

        var positions = copies.Select(Position).ToList();
        Assert.Contains(positions, p => p.Minibatches > 0);
        Assert.Contains(positions, p => p.Minibatches == 0 && p.FinishedEpochs > 0);
        // The end of the first epoch, the last checkpoint within an epoch (the loader, the schedule and the optimizer
        // have come a long way; the state carried within the epoch), and the end of the run.
        var chosen = new[] { positions.FindIndex(p => p.Minibatches == 0), positions.FindLastIndex(p => p.Minibatches > 0), positions.Count - 1 };
        foreach (var i in chosen)
        {
            var seen = new List<EpochReport>();
            var continued = ResumableRuns.Train(run, new RunCheckpointOptions(copies[i]) { EveryMinibatches = 5 }, initSeed: 99, onEpoch: seen.Add);
            whole.AssertSame(continued, $"{run} continued from {positions[i]}");
            Assert.Equal(positions[i], continued.Result.ContinuedFrom);
            // The epochs before are sent again, marked; the first one trained says where it continued from.
            var before = positions[i].FinishedEpochs;
            Assert.Equal(continued.Result.Epochs.Select(e => e.Epoch), seen.Select(e => e.Epoch));
            Assert.All(seen.Take(before), e => Assert.True(e.FromRunCheckpoint));
            Assert.All(seen.Skip(before), e => Assert.False(e.FromRunCheckpoint));
            if (before < seen.Count)
            {
                Assert.Equal(positions[i], seen[before].ContinuedFrom);
                Assert.EndsWith($", continued from {positions[i]}", seen[before].ToString());
            }
            Assert.EndsWith($", continued from {positions[i]}", continued.Result.ToString());
        }
    }

    [Fact]
    public void ALoaderWithoutASeedContinuesWithTheSavedOnesDraws()
    {
        var path = Path.Combine(_folder, "run.ckpt");
        Fingerprint? whole = null;
        var copies = TrainKeepingEveryCheckpoint(path, () => whole = TrainUnseeded(path));
        var within = copies.First(c => Position(c) is { FinishedEpochs: 1, Minibatches: > 0 });
        whole!.AssertSame(TrainUnseeded(within), "an unseeded loader continued");

        Fingerprint TrainUnseeded(string checkpoint)
        {
            var corpus = TimeMachine.LoadD2l(maxTokens: 10_000, dataDirectory: TestData.Directory);
            manual_seed(1);
            using var model = new RNNModel(new ModelConfig(CellKind.Gru, corpus.Vocab.Count, 16));
            var options = new TrainOptions { NumEpochs = 2, PredictEvery = 0, Threads = 2, RunCheckpoint = new(checkpoint) { EveryMinibatches = 3 } };
            var result = Trainer.Train(model, new SeqDataLoader(corpus.Indices, 16, 20, useRandomIter: true), corpus.Vocab, options);
            return new Fingerprint(string.Join("\n", result.Epochs.Select(ResumableRuns.Line)),
                [.. model.parameters().SelectMany(p => p.data<float>().ToArray()).Select(BitConverter.SingleToInt32Bits)], result);
        }
    }

    [Fact]
    public void ACancelledRunKeepsItsPlaceAFinishedOneItsResultAndAContinuedOneMayRunLonger()
    {
        const string run = "fast-relu-random";
        var whole = ResumableRuns.Train(run, checkpoint: null);
        var path = Path.Combine(_folder, "run.ckpt");
        using var stop = new CancellationTokenSource();
        var cancelled = ResumableRuns.Train(run, new RunCheckpointOptions(path), onEpoch: _ => stop.Cancel(), cancellationToken: stop.Token);
        Assert.True(cancelled.Result.Cancelled);
        Assert.Equal(new RunPosition(1, 0), Position(path));

        whole.AssertSame(ResumableRuns.Train(run, new RunCheckpointOptions(path), initSeed: 7), "continued after being cancelled");

        // A finished run continued gives back its result, without training.
        var again = ResumableRuns.Train(run, new RunCheckpointOptions(path), initSeed: 8);
        whole.AssertSame(again, "a finished run continued");
        Assert.All(again.Result.Epochs, e => Assert.True(e.FromRunCheckpoint));
        Assert.Equal(new RunPosition(3, 0), again.Result.ContinuedFrom);

        var fewer = Assert.Throws<ArgumentException>(() => ResumableRuns.Train(run, new RunCheckpointOptions(path), numEpochs: 2));
        Assert.Contains("NumEpochs is 2, and the run checkpoint", fewer.Message);
        Assert.Contains("at the end of epoch 3", fewer.Message);

        // A finished run goes on with NumEpochs raised: the weights of a run that had more epochs from the start (its
        // reports differ only in the epochs planned, which each report states as it was).
        var longer = ResumableRuns.Train(run, checkpoint: null, numEpochs: 4);
        var continued = ResumableRuns.Train(run, new RunCheckpointOptions(path), numEpochs: 4);
        Assert.Equal(longer.WeightBits, continued.WeightBits);
        Assert.Equal(longer.Result.Epochs.Select(e => e.Perplexity), continued.Result.Epochs.Select(e => e.Perplexity));
        Assert.Equal([3, 3, 3, 4], continued.Result.Epochs.Select(e => e.NumEpochs));
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("flipped byte")]
    public void ADamagedCheckpointIsRefusedAndTheOneBeforeItIsKept(string damage)
    {
        const string run = "fast-relu-random";
        var whole = ResumableRuns.Train(run, checkpoint: null);
        var path = Path.Combine(_folder, "run.ckpt");
        ResumableRuns.Train(run, new RunCheckpointOptions(path));
        var backup = path + ".bak";
        Assert.Equal(new RunPosition(3, 0), Position(path));
        Assert.Equal(new RunPosition(2, 0), Position(backup)); // the one before the last
        var bytes = File.ReadAllBytes(path);
        if (damage == "truncated") bytes = bytes[..(bytes.Length / 2)];
        else bytes[bytes.Length / 3] ^= 0x10;
        File.WriteAllBytes(path, bytes);
        var backupBytes = File.ReadAllBytes(backup);

        var e = Assert.Throws<CheckpointException>(() => ResumableRuns.Train(run, new RunCheckpointOptions(path)));
        Assert.Contains($"'{path}' is damaged: its checksum does not match its contents", e.Message);
        Assert.Contains($"The run checkpoint before it is intact: move '{backup}' to '{path}'", e.Message);
        Assert.Equal(bytes, File.ReadAllBytes(path));
        Assert.Equal(backupBytes, File.ReadAllBytes(backup));

        // As the message says: the one before continues the run.
        File.Move(backup, path, overwrite: true);
        whole.AssertSame(ResumableRuns.Train(run, new RunCheckpointOptions(path)), "continued from the checkpoint before the damaged one");
    }

    [Fact]
    public void TheCheckpointOfAnotherRunIsRefusedNamingEveryDifference()
    {
        var corpus = TimeMachine.LoadD2l(maxTokens: 10_000, dataDirectory: TestData.Directory);
        var path = Path.Combine(_folder, "run.ckpt");
        var options = new TrainOptions { NumEpochs = 2, PredictEvery = 0, LearningRate = 1, RunCheckpoint = new(path) };
        TrainResult Train(ModelConfig config, IReadOnlyList<int> tokens, TrainOptions o, int seed = 1)
        {
            using var model = new RNNModel(config);
            return Trainer.Train(model, new SeqDataLoader(tokens, 16, 20, seed: seed), corpus.Vocab, o);
        }
        var config = new ModelConfig(CellKind.Rnn, corpus.Vocab.Count, 16);
        Train(config, corpus.Indices, options with { NumEpochs = 1 });
        var saved = File.ReadAllBytes(path);

        void Refused(Func<TrainResult> train, params string[] differences)
        {
            var message = Assert.Throws<CheckpointException>(train).Message;
            Assert.StartsWith($"'{path}' is the run checkpoint of another run: ", message);
            foreach (var difference in differences) Assert.Contains(difference, message);
            Assert.Equal(saved, File.ReadAllBytes(path)); // left as it was
        }
        Refused(() => Train(config with { NumHiddens = 32 }, corpus.Indices, options),
            "model: RNNModel (RNN (tanh), 28 tokens, 16 hidden units, 1 layer, one-hot input) in the file, RNNModel (RNN (tanh), 28 tokens, 32 hidden units",
            "parameters: rnn.weight_ih_l0 (16×28)");
        Refused(() => Train(config, corpus.Indices.Take(9_000).ToArray(), options), "training data: 10000 tokens (SHA-256 ");
        Refused(() => Train(config, corpus.Indices, options, seed: 2), "loader seed: 1 in the file, 2 in this run");
        Refused(() => Train(config, corpus.Indices, options with { LearningRate = 0.5, Optimizer = Optimizers.Adam }),
            "learning rate: 1 in the file, 0.5 in this run", "update: optimizer SGD in the file, optimizer Adam in this run");
        Refused(() => Train(config, corpus.Indices, options with { Validation = corpus.Indices.Take(100).ToArray() }),
            "validation: none in the file, 100 tokens");

        // A schedule of the same kind with other numbers shows in the learning rate it gives where the run stands.
        File.Delete(path);
        Train(config, corpus.Indices, options with { NumEpochs = 1, Schedule = o => optim.lr_scheduler.StepLR(o, 1, 0.5) });
        var schedule = Assert.Throws<CheckpointException>(() =>
            Train(config, corpus.Indices, options with { Schedule = o => optim.lr_scheduler.StepLR(o, 2, 0.5) })).Message;
        Assert.Contains("trained epoch 2 at learning rate 0.5, and this run's schedule gives 1 there: it is another schedule", schedule);
    }

    [Fact]
    public void AModelCheckpointIsNotARunCheckpoint()
    {
        var corpus = TimeMachine.LoadD2l(maxTokens: 10_000, dataDirectory: TestData.Directory);
        var path = Path.Combine(_folder, "model.ckpt");
        using var model = new RNNModel(new ModelConfig(CellKind.Rnn, corpus.Vocab.Count, 16));
        Checkpoint.Save(path, model, corpus.Vocab);
        var e = Assert.Throws<CheckpointException>(() => Trainer.Train(model, new SeqDataLoader(corpus.Indices, 16, 20), corpus.Vocab,
            new TrainOptions { NumEpochs = 1, RunCheckpoint = new(path) }));
        Assert.Contains("is not a D2L.Rnn run checkpoint", e.Message);
        Assert.Contains("it is a model checkpoint, which Checkpoint.Load reads", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainOptions { RunCheckpoint = new(path) { EveryMinibatches = -1 } }.Validate());
    }

    [Fact]
    public void TheTemporaryFileOfAWriterThatWasKilledIsRemoved()
    {
        var path = Path.Combine(_folder, "run.ckpt");
        var dead = $"{path}.{int.MaxValue}.{Guid.NewGuid():N}.tmp";
        var running = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(dead, "half a checkpoint");
        File.WriteAllText(running, "being written");
        ResumableRuns.Train("fast-relu-random", new RunCheckpointOptions(path), numEpochs: 1);
        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(running));
        Assert.True(File.Exists(path));
    }

    // Runs train() with every checkpoint it writes copied aside (when a checkpoint is written, the one before is still
    // in place), and the last one too; returns the copies in order.
    private List<string> TrainKeepingEveryCheckpoint(string path, Action train)
    {
        var copies = new List<string>();
        void Copy()
        {
            if (!File.Exists(path)) return;
            var copy = Path.Combine(_folder, $"copy{copies.Count}.ckpt");
            File.Copy(path, copy);
            copies.Add(copy);
        }
        RunCheckpointFile.WhileWriting = Copy;
        try
        {
            train();
        }
        finally
        {
            RunCheckpointFile.WhileWriting = null;
        }
        Copy();
        return copies;
    }

    private static RunPosition Position(string path)
    {
        var (header, body) = RunCheckpointFile.Read(path);
        body.Dispose();
        return new RunPosition(header.Reports.Length, header.Minibatches);
    }
}

namespace D2L.Rnn.Notebooks.Tests;

public class TrainingProgressTests
{
    private sealed class ManualClock : TimeProvider
    {
        public long Ticks { get; set; }
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => Ticks;
        public void Advance(double seconds) => Ticks += TimeSpan.FromSeconds(seconds).Ticks;
    }

    // A GRU epoch is planned at 10 s, an LSTM epoch at 20 s.
    private static readonly TrainingBudget Budget = new(new Dictionary<string, ModelSpeed>
    {
        ["GRU"] = new(10_000, 1e12), ["LSTM"] = new(5_000, 1e12),
    });

    private static readonly PlannedEpochs[] Plan = [new("GRU", 2, 100_000), new("LSTM", 2, 100_000)];

    private static EpochReport Epoch(int epoch, int of, bool fromCheckpoint = false) =>
        new(epoch, of, 5, 1, 100_000, new Dictionary<string, string>()) { FromRunCheckpoint = fromCheckpoint };

    [Fact]
    public void CountsDownFromThePlanAtTheSpeedMeasuredSoFar()
    {
        var clock = new ManualClock();
        var progress = TrainingProgress.Hidden(Budget, Plan, clock);
        Assert.Equal(TimeSpan.FromSeconds(60), progress.Planned);
        Assert.Equal(TimeSpan.FromSeconds(60), progress.Left);

        progress.Start("GRU", "GRU, lr 0.002");
        Assert.Equal("GRU, lr 0.002: training, about 1 min left", progress.Status);
        clock.Advance(20); // twice as long as planned: what is left takes twice as long too
        progress.Add("GRU", "GRU, lr 0.002", Epoch(1, 2));
        Assert.Equal(TimeSpan.FromSeconds(2 * (10 + 40)), progress.Left);
        Assert.Equal("GRU, lr 0.002: epoch 1 of 2 done, about 1 min 40 s left", progress.Status);

        clock.Advance(10);
        progress.Add("GRU", "GRU, lr 0.002", Epoch(2, 2));
        Assert.Equal(TimeSpan.FromSeconds(1.5 * 40), progress.Left); // 30 s for 20 planned
        progress.Start("LSTM", "LSTM, lr 0.002");
        clock.Advance(30);
        progress.Add("LSTM", "LSTM, lr 0.002", Epoch(1, 2));
        clock.Advance(30);
        progress.Add("LSTM", "LSTM, lr 0.002", Epoch(2, 2));
        Assert.Equal(TimeSpan.Zero, progress.Left);
        Assert.Equal(4, progress.EpochsTrained);
        Assert.Equal("done: 4 epochs trained in 1 min 30 s (planned: about 1 min)", progress.Finish());
    }

    [Fact]
    public void EpochsReadBackFromARunCheckpointAreDoneButNotTimedAndAnEpochCountsOnce()
    {
        var clock = new ManualClock();
        var progress = TrainingProgress.Hidden(Budget, Plan, clock);
        // A finished GRU run continued: both epochs come back at once.
        progress.Start("GRU", "GRU, lr 0.002");
        progress.Add("GRU", "GRU, lr 0.002", Epoch(1, 2, fromCheckpoint: true));
        progress.Add("GRU", "GRU, lr 0.002", Epoch(2, 2, fromCheckpoint: true));
        Assert.Equal("GRU, lr 0.002: epoch 2 of 2 read back from its run checkpoint, about 40 s left", progress.Status);
        Assert.Equal(0, progress.EpochsTrained);
        Assert.Equal(TimeSpan.FromSeconds(40), progress.Left); // the plan's pace: nothing measured yet

        // A one-epoch LSTM run, then the same run continued to two epochs: its first epoch comes back and is not counted again.
        progress.Start("LSTM", "LSTM, lr 0.004");
        clock.Advance(10); // twice as fast as planned
        progress.Add("LSTM", "LSTM, lr 0.004", Epoch(1, 1));
        Assert.Equal(TimeSpan.FromSeconds(10), progress.Left);
        progress.Add("LSTM", "LSTM, lr 0.004", Epoch(1, 2, fromCheckpoint: true));
        Assert.Equal(TimeSpan.FromSeconds(10), progress.Left);
        Assert.Equal(1, progress.EpochsTrained);
    }

    [Fact]
    public void APlanNamingAModelWithoutASpeedFailsBeforeTraining() =>
        Assert.Contains("'RNN'", Assert.Throws<ArgumentException>(() =>
            TrainingProgress.Hidden(Budget, [new("RNN", 1, 1_000)], new ManualClock())).Message);
}

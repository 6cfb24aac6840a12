namespace D2L.Rnn.Notebooks.Tests;

public class TrainingBudgetTests
{
    private static readonly TrainingBudget Budget = new(new Dictionary<string, ModelSpeed>
    {
        ["GRU"] = new(TrainingTokensPerSecond: 10_000, ScoringTokensPerSecond: 50_000),
        ["LSTM"] = new(TrainingTokensPerSecond: 5_000, ScoringTokensPerSecond: 25_000),
    });

    [Fact]
    public void AnEpochTakesItsTokensAtTheTrainingSpeedPlusItsValidationAtTheScoringSpeed()
    {
        Assert.Equal(TimeSpan.FromSeconds(100 + 2), Budget.Epoch("GRU", 1_000_000, 100_000));
        Assert.Equal(TimeSpan.FromSeconds(200), Budget.Epoch("LSTM", 1_000_000));
        // 3 GRU epochs with validation and 2 LSTM epochs without.
        PlannedEpochs[] plan = [new("GRU", 3, 1_000_000, 100_000), new("LSTM", 2, 1_000_000)];
        Assert.Equal(TimeSpan.FromSeconds(3 * 102 + 2 * 200), Budget.Of(plan));
        Assert.Equal(TimeSpan.Zero, Budget.Of(new PlannedEpochs("GRU", 0, 1_000_000)));
    }

    [Fact]
    public void AModelWithoutAMeasuredSpeedOrABadSpeedIsRefusedWithItsName()
    {
        var unknown = Assert.Throws<ArgumentException>(() => Budget.Epoch("RNN", 1_000));
        Assert.Contains("'RNN'", unknown.Message);
        Assert.Contains("GRU, LSTM", unknown.Message);
        foreach (var bad in new[] { 0, -1, double.NaN, double.PositiveInfinity })
        {
            var e = Assert.Throws<ArgumentException>(() => new TrainingBudget(new Dictionary<string, ModelSpeed> { ["GRU"] = new(bad, 1) }));
            Assert.Contains("'GRU'", e.Message);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => Budget.Of(new PlannedEpochs("GRU", -1, 1_000)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Budget.Epoch("GRU", -1));
    }

    [Theory]
    [InlineData(0.2, "1 s")]
    [InlineData(40.4, "40 s")]
    [InlineData(200, "3 min 20 s")]
    [InlineData(236, "4 min")]
    [InlineData(599, "10 min")]
    [InlineData(840, "14 min")]
    [InlineData(3600, "1 h")]
    [InlineData(5100, "1 h 25 min")]
    public void DurationsAreRoundedAsAReaderWantsThem(double seconds, string expected)
    {
        Assert.Equal(expected, TrainingBudget.Describe(TimeSpan.FromSeconds(seconds)));
        Assert.Equal("about " + expected, TrainingBudget.About(TimeSpan.FromSeconds(seconds)));
    }
}

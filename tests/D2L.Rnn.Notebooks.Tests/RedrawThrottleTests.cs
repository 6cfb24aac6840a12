namespace D2L.Rnn.Notebooks.Tests;

public class RedrawThrottleTests
{
    private sealed class ManualClock : TimeProvider
    {
        public long Ticks { get; set; }
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => Ticks;
        public void Advance(TimeSpan by) => Ticks += by.Ticks;
    }

    [Fact]
    public void RedrawsFirstThenAtMostOncePerIntervalAndAlwaysAtTheEnd()
    {
        var clock = new ManualClock();
        var throttle = new RedrawThrottle(TimeSpan.FromSeconds(1), clock);
        var drawn = new List<int>();
        // 200 epochs of 0.05 s each: 10 s of training.
        for (var epoch = 1; epoch <= 200; epoch++)
        {
            clock.Advance(TimeSpan.FromSeconds(0.05));
            if (throttle.ShouldRedraw(lastEpoch: epoch == 200)) drawn.Add(epoch);
        }
        Assert.Equal(1, drawn[0]);
        Assert.Equal(200, drawn[^1]);
        Assert.Equal([1, 21, 41, 61, 81, 101, 121, 141, 161, 181, 200], drawn);
    }

    [Fact]
    public void SlowEpochsRedrawEveryTime()
    {
        var clock = new ManualClock();
        var throttle = new RedrawThrottle(TimeSpan.FromSeconds(1), clock);
        var drawn = 0;
        for (var epoch = 1; epoch <= 5; epoch++)
        {
            clock.Advance(TimeSpan.FromSeconds(13));
            if (throttle.ShouldRedraw(lastEpoch: epoch == 5)) drawn++;
        }
        Assert.Equal(5, drawn);
    }

    [Fact]
    public void TheIntervalMustBePositive() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedrawThrottle(TimeSpan.Zero));
}

using D2L.Rnn.FastPath;

namespace D2L.Rnn.Tests;

public class ShardRunnerTests
{
    [Fact]
    public void EveryShardRunsOnceAndOnlyShardZeroOnTheCaller()
    {
        using var runner = new ShardRunner(3);
        for (var round = 0; round < 50; round++) // many rounds: no lost wake-ups, no shard run twice
        {
            var threads = new int[3];
            var runs = new int[3];
            runner.Run(s =>
            {
                threads[s] = Environment.CurrentManagedThreadId;
                Interlocked.Increment(ref runs[s]);
            });
            Assert.Equal([1, 1, 1], runs);
            Assert.Equal(Environment.CurrentManagedThreadId, threads[0]);
            Assert.Equal(3, threads.Distinct().Count());
        }
    }

    [Fact]
    public void AFailingShardFailsTheRunAndTheRunnerStaysUsable()
    {
        using var runner = new ShardRunner(2);
        var e = Assert.Throws<InvalidOperationException>(() => runner.Run(s =>
        {
            if (s == 1) throw new InvalidOperationException("shard 1 failed");
        }));
        Assert.Equal("shard 1 failed", e.Message);
        var ran = 0;
        runner.Run(_ => Interlocked.Increment(ref ran));
        Assert.Equal(2, ran);
    }
}

using System.Diagnostics;
using System.Globalization;
using D2L.Rnn.FastPath;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests;

public class ShardRunnerTests(ITestOutputHelper output)
{
    [Fact]
    public void EveryShardRunsOnceOnAThreadOfItsOwnAndNotOnTheCaller()
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
            Assert.DoesNotContain(Environment.CurrentManagedThreadId, threads);
            Assert.Equal(3, threads.Distinct().Count());
        }
    }

    [Fact]
    public void ShardThreadsComputeSingleThreadedWithoutAutogradAndTheCallerKeepsItsSettings()
    {
        var callerThreads = get_num_threads();
        Assert.True(is_grad_enabled());
        using (var runner = new ShardRunner(2))
        {
            var threads = new int[2];
            var grad = new bool[2];
            runner.Run(s =>
            {
                threads[s] = get_num_threads();
                grad[s] = is_grad_enabled();
            });
            Assert.Equal([1, 1], threads);
            Assert.Equal([false, false], grad);
            Assert.Equal(callerThreads, get_num_threads());
            Assert.True(is_grad_enabled());
        }
        Assert.Equal(callerThreads, get_num_threads());
        // libtorch's count also sets the default of threads that have not run anything yet: put back as well.
        var fresh = 0;
        var thread = new Thread(() => fresh = get_num_threads());
        thread.Start();
        thread.Join();
        Assert.Equal(callerThreads, fresh);
    }

    [Fact]
    public void AFailingShardFailsTheRunAfterTheOtherShardsAndTheRunnerStaysUsable()
    {
        using var runner = new ShardRunner(3);
        var slowShardDone = false;
        var e = Assert.Throws<InvalidOperationException>(() => runner.Run(s =>
        {
            if (s == 1) throw new InvalidOperationException("shard 1 failed");
            Thread.Sleep(s == 2 ? 50 : 200);
            if (s == 2) throw new ArgumentException("shard 2 failed later");
            Volatile.Write(ref slowShardDone, true);
        }));
        Assert.Equal("shard 1 failed", e.Message); // the first failure, not the later one
        Assert.True(Volatile.Read(ref slowShardDone), "Run rethrew before every shard had finished.");
        var ran = 0;
        runner.Run(_ => Interlocked.Increment(ref ran));
        Assert.Equal(3, ran);
    }

    [Fact]
    public async Task DisposeAfterAFailedRunDoesNotHangAndRunAfterDisposeThrows()
    {
        var runner = new ShardRunner(2);
        Assert.Throws<InvalidOperationException>(() => runner.Run(_ => throw new InvalidOperationException("every shard")));
        await Task.Run(runner.Dispose).WaitAsync(TimeSpan.FromSeconds(10)); // TimeoutException if it hangs
        Assert.Throws<ObjectDisposedException>(() => runner.Run(_ => { }));
        runner.Dispose();
    }

    [Fact]
    public void RunFromAWorkItemFailsTheRunInsteadOfDeadlocking()
    {
        using var runner = new ShardRunner(2);
        Assert.Throws<InvalidOperationException>(() => runner.Run(_ => runner.Run(_ => { })));
        runner.Run(_ => { });
    }

    [Fact]
    [Trait("Category", "Slow")] // 12 s of stress (D2L_SHARD_STRESS_SECONDS)
    public void AfterEveryRunEveryShardHasFinishedThatRunAndNoneHasStartedTheNext()
    {
        // Each shard writes the run's number when its work starts and when it ends. Thousands of runs of random work:
        // mostly tiny spins, some long spins, yields, and sleeps that outlast any spinning in a hand-off. A runner
        // that returns before a shard is done, or lets a shard run twice or skip a run, fails here.
        // D2L_SHARD_STRESS_SECONDS runs it longer than CI's 12 s: a race that needs the scheduler to preempt a thread
        // inside a few instructions of a hand-off can take minutes to show.
        var seconds = double.TryParse(Environment.GetEnvironmentVariable("D2L_SHARD_STRESS_SECONDS"), CultureInfo.InvariantCulture,
            out var asked) && asked > 0 ? asked : 12;
        var maxRuns = (long)(20_000 * seconds / 12);
        var budget = Stopwatch.StartNew();
        var shardCounts = new[] { 2, 3, 4 };
        var total = 0L;
        for (var i = 0; i < shardCounts.Length; i++)
        {
            var shards = shardCounts[i];
            using var runner = new ShardRunner(shards);
            var started = new long[shards];
            var finished = new long[shards];
            var run = 0L;
            var work = new Action<int>(s =>
            {
                var current = Volatile.Read(ref run);
                if (Volatile.Read(ref started[s]) != current - 1 || Volatile.Read(ref finished[s]) != current - 1)
                    throw new InvalidOperationException($"Shard {s} starts run {current} after starting run {started[s]} and finishing run {finished[s]}.");
                Volatile.Write(ref started[s], current);
                RandomWork();
                Volatile.Write(ref finished[s], current);
            });
            // At most 20,000 runs per shard count (in 12 s), and about 12 s in all even on a slow or busy machine.
            var until = TimeSpan.FromSeconds(seconds * (i + 1) / shardCounts.Length);
            while (run < maxRuns && budget.Elapsed < until)
            {
                Volatile.Write(ref run, run + 1);
                runner.Run(work);
                for (var s = 0; s < shards; s++)
                {
                    // Read once: a shard that was still running may have finished by the time a message is written.
                    var (finishedRun, startedRun) = (Volatile.Read(ref finished[s]), Volatile.Read(ref started[s]));
                    if (startedRun != run || finishedRun != run)
                        Assert.Fail($"After run {run} of {shards} shards returned, shard {s} had started run {startedRun} " +
                            $"and finished run {finishedRun}.");
                }
            }
            total += run;
            output.WriteLine($"{shards} shards: {run} runs, {budget.Elapsed.TotalSeconds:F1} s so far");
        }
        Assert.True(total >= 1_000, $"Only {total} runs in {budget.Elapsed}.");
    }

    private static void RandomWork()
    {
        var dice = Random.Shared.Next(100);
        if (dice < 60) Thread.SpinWait(Random.Shared.Next(50)); // tiny: a shard is as likely to finish first as last
        else if (dice < 85) Thread.SpinWait(Random.Shared.Next(3_000)); // longer: the shards finish far apart
        else if (dice < 90) Thread.Yield();
        else if (dice < 93) Thread.Sleep(0);
        else Thread.Sleep(3); // longer than the 2 ms a waiting thread used to spin before it blocked
    }
}

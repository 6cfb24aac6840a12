using System.Runtime.ExceptionServices;
using static TorchSharp.torch;

namespace D2L.Rnn.FastPath;

/// <summary>
/// Runs one piece of work per shard at the same time: shard 0 on the calling thread, the others on dedicated
/// threads that live as long as the runner. Each thread does its TorchSharp work single-threaded and with autograd
/// off (both are per-thread settings in libtorch).
/// </summary>
internal sealed class ShardRunner : IDisposable
{
    private readonly Thread[] _threads;
    private readonly SemaphoreSlim[] _start;
    private readonly CountdownEvent _done;
    private Action<int>? _work;
    private ExceptionDispatchInfo? _failure;
    private volatile bool _stopping;

    public ShardRunner(int shards)
    {
        if (shards < 1) throw new ArgumentOutOfRangeException(nameof(shards), shards, "At least one shard.");
        Shards = shards;
        _start = Enumerable.Range(0, shards).Select(_ => new SemaphoreSlim(0)).ToArray();
        _done = new CountdownEvent(1);
        _threads = Enumerable.Range(1, shards - 1).Select(i => new Thread(() => Loop(i))
        {
            IsBackground = true, Name = $"D2L.Rnn shard {i}",
        }).ToArray();
        foreach (var t in _threads) t.Start();
    }

    public int Shards { get; }

    /// <summary>Runs <paramref name="work"/>(shard) for every shard and waits; rethrows the first failure.</summary>
    public void Run(Action<int> work)
    {
        _work = work;
        _failure = null;
        _done.Reset(Shards - 1);
        for (var i = 1; i < Shards; i++) _start[i].Release();
        try
        {
            work(0);
        }
        finally
        {
            SpinThenWait(() => _done.IsSet, _done.Wait);
        }
        _failure?.Throw();
    }

    private void Loop(int shard)
    {
        set_num_threads(1);
        using var noGrad = no_grad();
        while (true)
        {
            var start = _start[shard];
            SpinThenWait(() => start.Wait(0), start.Wait);
            if (_stopping) return;
            try
            {
                _work!(shard);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null); // the first one wins
            }
            finally
            {
                _done.Signal();
            }
        }
    }

    // Minibatches follow each other within a fraction of a millisecond: spinning through the gap saves the
    // tens of microseconds a blocked thread needs to wake up. Long pauses (predictions, callbacks) block.
    private static void SpinThenWait(Func<bool> ready, Action wait)
    {
        var spinning = System.Diagnostics.Stopwatch.StartNew();
        while (spinning.ElapsedTicks < System.Diagnostics.Stopwatch.Frequency / 500) // 2 ms
        {
            if (ready()) return;
            Thread.SpinWait(20);
        }
        wait();
    }

    public void Dispose()
    {
        _stopping = true;
        for (var i = 1; i < Shards; i++) _start[i].Release();
        foreach (var t in _threads) t.Join();
        foreach (var s in _start) s.Dispose();
        _done.Dispose();
    }
}

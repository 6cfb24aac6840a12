using System.Runtime.ExceptionServices;
using static TorchSharp.torch;

namespace D2L.Rnn.FastPath;

/// <summary>
/// Runs one piece of work per shard at the same time, every shard on a dedicated thread that lives as long as the
/// runner; the caller only waits. Each thread does its TorchSharp work single-threaded and with autograd off (both
/// are per-thread settings in libtorch), so the caller's own settings stay as they are: in a notebook the caller is
/// the engine's cell thread, on which TorchSharp work is much slower.
/// </summary>
/// <remarks>
/// The hand-off is two counters guarded by one lock: <see cref="Run"/> increments <c>_generation</c> and sets
/// <c>_pending</c> to the number of shards; a worker runs once for each generation it has not seen, then decrements
/// <c>_pending</c>; <see cref="Run"/> returns when <c>_pending</c> is 0. Every wait re-checks its counter under the
/// lock, so a wake-up cannot be lost, and a late or extra one only makes a thread look again: nothing a worker does
/// after its decrement can affect the next run, and no worker can start the next run before the caller starts it.
/// </remarks>
internal sealed class ShardRunner : IDisposable
{
    private readonly object _gate = new();
    private readonly Thread[] _threads;
    private readonly int _callerThreads;
    // All guarded by _gate.
    private long _generation;          // runs started
    private int _pending;              // shards of the current run that have not finished it
    private Action<int>? _work;
    private ExceptionDispatchInfo? _failure;
    private bool _stopping;

    public ShardRunner(int shards)
    {
        if (shards < 1) throw new ArgumentOutOfRangeException(nameof(shards), shards, "At least one shard.");
        Shards = shards;
        _callerThreads = get_num_threads();
        _threads = Enumerable.Range(0, shards).Select(i => new Thread(() => Loop(i))
        {
            IsBackground = true, Name = $"D2L.Rnn shard {i}",
        }).ToArray();
        foreach (var t in _threads) t.Start();
    }

    public int Shards { get; }

    /// <summary>
    /// Runs <paramref name="work"/>(shard) for every shard and returns when all have finished; then rethrows the
    /// first failure. One run at a time: calling it again before it returns (from a work item, say) throws.
    /// </summary>
    public void Run(Action<int> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        ExceptionDispatchInfo? failure;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            if (_pending != 0) throw new InvalidOperationException("A run is already in progress.");
            _work = work;
            _failure = null;
            _pending = Shards;
            _generation++;
            Monitor.PulseAll(_gate);
            while (_pending != 0) Monitor.Wait(_gate);
            _work = null;
            failure = _failure;
        }
        failure?.Throw();
    }

    // Nothing outside the work item may throw here: an unhandled exception on any thread ends the process. The calls
    // into libtorch can fail (a missing native library, say): a failed setup is reported by every run instead. The
    // rest is Monitor and arithmetic on fields, which throw only if the thread is interrupted, and no one else can
    // reach these threads to do that.
    private void Loop(int shard)
    {
        var setupFailure = Try(_ =>
        {
            set_num_threads(1);
            no_grad(); // for the life of this thread (not disposed): nothing else runs on it
        }, shard);
        for (long seen = 0; WaitForRun(ref seen);)
            Finish(setupFailure ?? Try(_work!, shard));
        // set_num_threads also sets the default that threads adopt at their first parallel op in libtorch. Put back
        // the count the runner was created with, as before it; this thread's own count no longer matters.
        if (setupFailure is null) Try(threads => set_num_threads(threads), _callerThreads);
    }

    private static ExceptionDispatchInfo? Try(Action<int> action, int argument)
    {
        try
        {
            action(argument);
            return null;
        }
        catch (Exception e)
        {
            return ExceptionDispatchInfo.Capture(e);
        }
    }

    /// <summary>Waits for a run this worker has not done yet; false once the runner is disposed.</summary>
    private bool WaitForRun(ref long seen)
    {
        lock (_gate)
        {
            // A started run is always served, even when Dispose comes meanwhile: its caller is waiting for it.
            while (_generation == seen && !_stopping) Monitor.Wait(_gate);
            if (_generation == seen) return false;
            seen = _generation;
            return true;
        }
    }

    private void Finish(ExceptionDispatchInfo? failure)
    {
        lock (_gate)
        {
            _failure ??= failure; // the first one wins
            if (--_pending == 0) Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Stops the threads (after a run in progress, if any) and waits for them.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
        foreach (var t in _threads) t.Join();
    }
}

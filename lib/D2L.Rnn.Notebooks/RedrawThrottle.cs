namespace D2L.Rnn.Notebooks;

/// <summary>
/// Decides when a live chart redraws: the first time, whenever a run ends, and otherwise at most once per
/// interval of wall-clock time, so redrawing costs the same small share of any training, fast or slow.
/// </summary>
internal sealed class RedrawThrottle(TimeSpan interval, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private long? _last;

    /// <summary>The shortest time between two redraws that are neither the first nor the end of a run.</summary>
    public TimeSpan Interval { get; } = interval > TimeSpan.Zero
        ? interval
        : throw new ArgumentOutOfRangeException(nameof(interval), interval, "The redraw interval must be positive.");

    /// <summary>Whether to redraw now; <paramref name="lastEpoch"/> forces it. A true answer counts as a redraw.</summary>
    public bool ShouldRedraw(bool lastEpoch)
    {
        var now = _clock.GetTimestamp();
        if (!lastEpoch && _last is { } last && _clock.GetElapsedTime(last, now) < Interval) return false;
        _last = now;
        return true;
    }
}

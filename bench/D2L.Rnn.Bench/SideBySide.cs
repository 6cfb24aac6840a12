using System.Diagnostics;
using static TorchSharp.torch;

namespace D2L.Rnn.Bench;

/// <summary>
/// Times two ways of doing the same work in alternating rounds on the calling thread, so that a machine that drifts
/// in speed slows both alike. Per side: the median over the rounds of the mean time of one call.
/// </summary>
internal static class SideBySide
{
    private const int Rounds = 10;

    /// <summary>Microseconds per call of <paramref name="chosen"/> and of <paramref name="alternative"/>, within about
    /// <paramref name="budget"/> in all. Every call runs in a dispose scope of its own, timed with it: temporaries are
    /// freed as they are in the fast path, not piled up over a round.</summary>
    public static (double Chosen, double Alternative) Microseconds(Action chosen, Action alternative, TimeSpan budget)
    {
        var calls = CallsPerRound(chosen, alternative, budget / (2 * Rounds));
        var (c, a) = (new double[Rounds], new double[Rounds]);
        for (var r = 0; r < Rounds; r++)
        {
            // Each side goes first in half of the rounds.
            if (r % 2 == 0) (c[r], a[r]) = (Mean(chosen, calls), Mean(alternative, calls));
            else (a[r], c[r]) = (Mean(alternative, calls), Mean(chosen, calls));
        }
        return (Median(c), Median(a));
    }

    /// <summary>After a warm-up, how many calls of the slower side fill <paramref name="share"/> (at least one).</summary>
    private static int CallsPerRound(Action chosen, Action alternative, TimeSpan share)
    {
        Mean(chosen, 20, share);
        Mean(alternative, 20, share);
        var slowest = Math.Max(Mean(chosen, 20, share), Mean(alternative, 20, share));
        return (int)Math.Clamp(share.TotalMicroseconds / slowest, 1, 1_000_000);
    }

    /// <summary>The mean time of <paramref name="calls"/> calls, or of fewer (at least one) once
    /// <paramref name="atMost"/> has passed.</summary>
    private static double Mean(Action action, int calls, TimeSpan? atMost = null)
    {
        var timer = Stopwatch.StartNew();
        var done = 0;
        while (done < calls && (done == 0 || atMost is null || timer.Elapsed < atMost))
        {
            using var scope = NewDisposeScope();
            action();
            done++;
        }
        return timer.Elapsed.TotalMicroseconds / done;
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}

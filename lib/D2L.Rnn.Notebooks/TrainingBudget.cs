using System.Globalization;

namespace D2L.Rnn.Notebooks;

/// <summary>How fast one model trains and scores on this machine, in tokens (characters) per second.</summary>
/// <param name="TrainingTokensPerSecond">Tokens per second trained (forward, backward and update).</param>
/// <param name="ScoringTokensPerSecond">Tokens per second scored by <see cref="Evaluator.Perplexity"/> (the validation after
/// every epoch).</param>
public sealed record ModelSpeed(double TrainingTokensPerSecond, double ScoringTokensPerSecond);

/// <summary>Epochs a notebook plans for one model: each trains on <paramref name="Tokens"/> tokens and then scores
/// <paramref name="ValidationTokens"/> (0: no validation).</summary>
/// <param name="Model">The model's name, as in the speeds of a <see cref="TrainingBudget"/>.</param>
/// <param name="Epochs">How many epochs.</param>
/// <param name="Tokens">Training tokens per epoch.</param>
/// <param name="ValidationTokens">Tokens scored after every epoch.</param>
public sealed record PlannedEpochs(string Model, int Epochs, long Tokens, long ValidationTokens = 0);

/// <summary>
/// The time a plan of training will take, estimated from speeds measured on this machine: what a notebook states
/// before it starts a long run, and what its progress line counts down from (<see cref="TrainingProgress"/>).
/// </summary>
/// <remarks>
/// An epoch takes <c>Tokens / TrainingTokensPerSecond + ValidationTokens / ScoringTokensPerSecond</c> seconds. The
/// estimate leaves out what is not training (loading, charts, generating text), and it is only as good as the speeds:
/// measured on a few minibatches while others use the machine, they can be off either way.
/// </remarks>
public sealed class TrainingBudget
{
    private readonly IReadOnlyDictionary<string, ModelSpeed> _speeds;

    /// <summary>A budget from the speed of every model the plans name.</summary>
    public TrainingBudget(IReadOnlyDictionary<string, ModelSpeed> speeds)
    {
        ArgumentNullException.ThrowIfNull(speeds);
        foreach (var (model, speed) in speeds)
        {
            if (!(speed.TrainingTokensPerSecond > 0) || !(speed.ScoringTokensPerSecond > 0) ||
                double.IsInfinity(speed.TrainingTokensPerSecond) || double.IsInfinity(speed.ScoringTokensPerSecond))
                throw new ArgumentException($"The speed of '{model}' must be positive and finite: {speed}.", nameof(speeds));
        }
        _speeds = speeds;
    }

    /// <summary>The models it knows the speed of.</summary>
    public IReadOnlyDictionary<string, ModelSpeed> Speeds => _speeds;

    /// <summary>The time of one epoch of <paramref name="model"/> over <paramref name="tokens"/> tokens, scoring
    /// <paramref name="validationTokens"/> after it.</summary>
    public TimeSpan Epoch(string model, long tokens, long validationTokens = 0)
    {
        if (!_speeds.TryGetValue(model, out var speed))
            throw new ArgumentException($"No speed was measured for '{model}' (measured: {string.Join(", ", _speeds.Keys)}).", nameof(model));
        if (tokens < 0) throw new ArgumentOutOfRangeException(nameof(tokens), tokens, "tokens must be 0 or more.");
        if (validationTokens < 0) throw new ArgumentOutOfRangeException(nameof(validationTokens), validationTokens, "validationTokens must be 0 or more.");
        return TimeSpan.FromSeconds(tokens / speed.TrainingTokensPerSecond + validationTokens / speed.ScoringTokensPerSecond);
    }

    /// <summary>The time of the planned epochs.</summary>
    public TimeSpan Of(PlannedEpochs work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (work.Epochs < 0) throw new ArgumentOutOfRangeException(nameof(work), work.Epochs, "Epochs must be 0 or more.");
        return work.Epochs * Epoch(work.Model, work.Tokens, work.ValidationTokens);
    }

    /// <summary>The time of all of <paramref name="plan"/>.</summary>
    public TimeSpan Of(IEnumerable<PlannedEpochs> plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.Aggregate(TimeSpan.Zero, (sum, work) => sum + Of(work));
    }

    /// <summary>
    /// A duration as a reader wants it before a run: <c>about 40 s</c>, <c>about 3 min 20 s</c> (to 10 s under ten
    /// minutes), <c>about 14 min</c>, <c>about 1 h 25 min</c>.
    /// </summary>
    public static string About(TimeSpan time) => "about " + Describe(time);

    /// <summary>A duration without "about": <c>40 s</c>, <c>3 min 20 s</c>, <c>14 min</c>, <c>1 h 25 min</c>.</summary>
    public static string Describe(TimeSpan time)
    {
        var seconds = Math.Max(0, time.TotalSeconds);
        if (seconds < 60) return $"{Math.Max(1, (int)Math.Round(seconds)).ToString(CultureInfo.InvariantCulture)} s";
        if (seconds < 600)
        {
            var tens = (int)Math.Round(seconds / 10) * 10;
            return tens % 60 == 0 ? $"{tens / 60} min" : $"{tens / 60} min {tens % 60} s";
        }
        var minutes = (int)Math.Round(seconds / 60);
        return minutes < 60 ? $"{minutes} min" : minutes % 60 == 0 ? $"{minutes / 60} h" : $"{minutes / 60} h {minutes % 60} min";
    }
}

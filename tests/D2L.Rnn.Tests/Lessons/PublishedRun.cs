using D2L.Rnn;

namespace D2L.Rnn.Tests;

/// <summary>
/// A training run of one of the unit's lessons (d2l-ai/berkeley-stat-157, slides/4_9 and slides/4_16), with the
/// perplexities its published notebook printed. Every run reads the lecture's text (10,000 characters, 43 symbols).
/// </summary>
/// <param name="Name">The lesson and the run ("rnn-scratch, random sampling").</param>
/// <param name="NewModel">The model of the lesson for a vocabulary size, made after the seed is set.</param>
/// <param name="BatchSize">Sequences per minibatch.</param>
/// <param name="NumSteps">Time steps per sequence.</param>
/// <param name="UseRandomIter">Random sampling (else consecutive).</param>
/// <param name="Options">Epochs, learning rate, θ, updater.</param>
/// <param name="Published">(epoch, perplexity) as the published notebook printed them.</param>
/// <param name="Checked">The published epochs a run must follow within <see cref="Tolerance"/>.</param>
/// <param name="AlsoPublished">A second published run of the same code and settings, at the same epochs, or none: a run
/// then follows the lesson at an epoch where it is within <see cref="Tolerance"/> of either.</param>
public sealed record PublishedRun(string Name, Func<int, IRecurrentModel> NewModel, int BatchSize, int NumSteps, bool UseRandomIter,
    TrainOptions Options, (int Epoch, double Perplexity)[] Published, int[] Checked, double[]? AlsoPublished = null)
{
    /// <summary>Whether <paramref name="perplexity"/> at the <paramref name="index"/>-th published epoch follows the lesson.</summary>
    public bool Follows(int index, double perplexity) =>
        Within(perplexity, Published[index].Perplexity) || (AlsoPublished is { } other && Within(perplexity, other[index]));

    private static bool Within(double measured, double published) => Math.Abs(measured / published - 1) <= Tolerance;

    /// <summary>The lecture's tolerance: within 10% of the published perplexity.</summary>
    public const double Tolerance = 0.10;

    /// <summary>Runs of more than 500 epochs (the deep and bidirectional LSTMs): half an hour per seed on one core.</summary>
    public bool IsLong => Options.NumEpochs > 500;

    public override string ToString() => Name;
}

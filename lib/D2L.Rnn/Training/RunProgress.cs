namespace D2L.Rnn;

/// <summary>
/// How far a run has come: the reports of the finished epochs and the sums of the epoch in progress. The epoch loop
/// keeps it; a run checkpoint saves and restores it.
/// </summary>
internal sealed class RunProgress
{
    /// <summary>One report per finished epoch.</summary>
    public List<EpochReport> Reports { get; } = [];

    /// <summary>Epochs finished.</summary>
    public int FinishedEpochs => Reports.Count;

    /// <summary>Minibatches of the epoch in progress already trained.</summary>
    public int Minibatches { get; set; }

    /// <summary>Σ loss · tokens over those minibatches.</summary>
    public double LossSum { get; set; }

    /// <summary>Tokens of those minibatches.</summary>
    public long Tokens { get; set; }

    /// <summary>Seconds spent training those minibatches.</summary>
    public double Seconds { get; set; }

    /// <summary>Their gradient norms, when recorded.</summary>
    public List<double> GradientNorms { get; } = [];

    /// <summary>The epochs the loader had drawn before the epoch in progress (it draws that epoch's offsets next).</summary>
    public int LoaderEpochs { get; set; }

    /// <summary>Where the run stands.</summary>
    public RunPosition Position => new(FinishedEpochs, Minibatches);

    /// <summary>Adds one trained minibatch.</summary>
    public void Add(double lossSum, long tokens, double? gradientNorm)
    {
        Minibatches++;
        LossSum += lossSum;
        Tokens += tokens;
        if (gradientNorm is { } norm) GradientNorms.Add(norm);
    }

    /// <summary>Closes the epoch in progress with its report; the next one starts from nothing, after the loader's
    /// <paramref name="loaderEpochs"/> draws.</summary>
    public void Finish(EpochReport report, int loaderEpochs)
    {
        Reports.Add(report);
        (Minibatches, LossSum, Tokens, Seconds, LoaderEpochs) = (0, 0, 0, 0, loaderEpochs);
        GradientNorms.Clear();
    }
}

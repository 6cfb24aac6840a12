namespace D2L.Rnn;

/// <summary>Settings of <see cref="Trainer.Train"/>; the defaults are d2l 0.17's <c>train_ch8</c>.</summary>
public sealed record TrainOptions
{
    /// <summary>Passes over the data.</summary>
    public int NumEpochs { get; init; } = 500;

    /// <summary>SGD learning rate.</summary>
    public double LearningRate { get; init; } = 1;

    /// <summary>Gradient clipping threshold θ on the joint L2 norm of all gradients.</summary>
    public double ClipTheta { get; init; } = 1;

    /// <summary>Every this many epochs, <see cref="EpochReport.Predictions"/> holds predictions (0: never).</summary>
    public int PredictEvery { get; init; } = 10;

    /// <summary>The prefixes to predict from.</summary>
    public IReadOnlyList<string> PredictPrefixes { get; init; } = ["time traveller", "traveller"];

    /// <summary>How many tokens each prediction adds to its prefix.</summary>
    public int PredictLength { get; init; } = 50;

    /// <summary>
    /// Train a model that the fast path supports (one-hot input: RNN, GRU or LSTM, one or more layers) with its hand-written step, split over the cores:
    /// the same updates as the reference step to float32 rounding, several times faster. False always uses the
    /// reference: TorchSharp's modules, autograd and SGD, as d2l's <c>train_ch8</c>.
    /// </summary>
    public bool UseFastPath { get; init; } = true;

    /// <summary>Keep the global gradient norm of every minibatch, before clipping, in <see cref="EpochReport.GradientNorms"/>
    /// (it is computed for clipping anyway, so recording costs nothing measurable).</summary>
    public bool RecordGradientNorms { get; init; }

    /// <summary>How many cores the fast path splits each minibatch over (at most one per 8 sequences); null: all of them.</summary>
    public int? Threads { get; init; }

    /// <summary>The 2019 lecture: 200 epochs, lr 100, θ 0.01, predictions of 50 chars every 50 epochs.</summary>
    public static TrainOptions Lecture2019 { get; } = new()
    {
        NumEpochs = 200, LearningRate = 1e2, ClipTheta = 1e-2, PredictEvery = 50,
        PredictPrefixes = ["traveller", "time traveller"], PredictLength = 50,
    };

    /// <summary>d2l 0.17's concise RNN (section 8.6): 500 epochs, lr 1, θ 1.</summary>
    public static TrainOptions D2l017 { get; } = new();

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first bad value.</summary>
    public void Validate()
    {
        if (NumEpochs <= 0) throw new ArgumentOutOfRangeException(nameof(NumEpochs), NumEpochs, "NumEpochs must be positive.");
        // Parameters are float32: a larger rate cannot even be applied.
        if (!(LearningRate > 0) || LearningRate > float.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be a positive float32 number.");
        if (!(ClipTheta > 0)) throw new ArgumentOutOfRangeException(nameof(ClipTheta), ClipTheta, "ClipTheta must be positive.");
        if (PredictEvery < 0) throw new ArgumentOutOfRangeException(nameof(PredictEvery), PredictEvery, "PredictEvery must be 0 or more.");
        if (PredictLength < 0) throw new ArgumentOutOfRangeException(nameof(PredictLength), PredictLength, "PredictLength must be 0 or more.");
        if (Threads is <= 0) throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Threads must be positive (or null for all cores).");
        if (PredictEvery > 0 && PredictPrefixes.Any(string.IsNullOrEmpty))
            throw new ArgumentException("Every prediction prefix needs at least one character.", nameof(PredictPrefixes));
    }
}

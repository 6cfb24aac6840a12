namespace D2L.Rnn;

/// <summary>
/// Settings of <see cref="Trainer.Train"/>. The defaults are d2l 0.17's <c>train_ch8</c> (500 epochs, SGD with
/// learning rate 1, θ 1) without its predictions, whose prefixes are Time Machine text: <see cref="D2l017"/> and
/// <see cref="Lecture2019"/> add them.
/// </summary>
public sealed record TrainOptions
{
    /// <summary>Passes over the data.</summary>
    public int NumEpochs { get; init; } = 500;

    /// <summary>The optimizer's learning rate (its starting rate, when a <see cref="Schedule"/> changes it).</summary>
    public double LearningRate { get; init; } = 1;

    /// <summary>Makes the optimizer; null is d2l's SGD (<see cref="Optimizers.Sgd"/>). Every path updates through it.</summary>
    public OptimizerFactory? Optimizer { get; init; }

    /// <summary>
    /// d2l's <c>updater</c> of one's own, called after clipping as <c>updater(params, lr, batchSize)</c> with the model's
    /// parameters, <see cref="LearningRate"/> and batch size 1 (the loss is a mean already): for example the lesson's
    /// <c>sgd(params, lr, batch_size)</c>, which subtracts lr · grad / batch_size from every parameter. The gradients are
    /// set to zero before every backward pass. Null: <see cref="Optimizer"/> updates (set one or the other, not both).
    /// </summary>
    public Action<IReadOnlyList<TorchSharp.Modules.Parameter>, double, int>? Updater { get; init; }

    /// <summary>A learning-rate schedule stepped after every epoch (null: the rate stays as it is). Needs an optimizer,
    /// not an <see cref="Updater"/>.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>Gradient clipping threshold θ on the joint L2 norm of all gradients.</summary>
    public double ClipTheta { get; init; } = 1;

    /// <summary>Every this many epochs, <see cref="EpochReport.Predictions"/> holds predictions (0: never).</summary>
    public int PredictEvery { get; init; } = 10;

    /// <summary>The prefixes to predict from (none by default): text the vocabulary can read, checked before training.</summary>
    public IReadOnlyList<string> PredictPrefixes { get; init; } = [];

    /// <summary>How many tokens each prediction adds to its prefix.</summary>
    public int PredictLength { get; init; } = 50;

    /// <summary>
    /// Held-out token indices (made with the model's vocabulary, never trained on) whose perplexity
    /// (<see cref="Evaluator.Perplexity"/>) is reported beside the training perplexity; null: no validation.
    /// </summary>
    public IReadOnlyList<int>? Validation { get; init; }

    /// <summary>Validate after every this many epochs (and after the last one).</summary>
    public int ValidateEvery { get; init; } = 1;

    /// <summary>
    /// Keep the weights of the epoch with the lowest validation perplexity and put them back into the model at the end
    /// (<see cref="TrainResult.BestEpoch"/> says which). Needs <see cref="Validation"/>.
    /// </summary>
    public bool KeepBestWeights { get; init; }

    /// <summary>
    /// Stop once this many validations in a row have not improved on the best one (null: run every epoch). Needs
    /// <see cref="Validation"/>.
    /// </summary>
    public int? StopAfterValidationsWithoutImprovement { get; init; }

    /// <summary>Keep the global gradient norm of every minibatch, before clipping, in <see cref="EpochReport.GradientNorms"/>
    /// (it is computed for clipping anyway, so recording costs nothing measurable).</summary>
    public bool RecordGradientNorms { get; init; }

    /// <summary>
    /// Train a model that the fast path supports (one-hot input: RNN, GRU or LSTM, one or more layers, on the CPU) with
    /// its hand-written gradients, split over the cores: the same gradients as the reference step to float32 rounding,
    /// faster (docs/performance.md measures by how much), and the same optimizer. False always uses the reference:
    /// TorchSharp's modules and autograd, as d2l's <c>train_ch8</c>. <see cref="TrainResult.Path"/> says which ran.
    /// </summary>
    public bool UseFastPath { get; init; } = true;

    /// <summary>
    /// Where to train (d2l's <c>device</c> argument of <c>train_ch8</c>): the model is moved there before the first
    /// minibatch and stays there, and every minibatch is moved there. Null: the GPU when <see cref="TorchSetup"/> started
    /// CUDA for <c>D2L_DEVICE=cuda</c> (<see cref="TorchSetup.Choice"/>), else wherever the model is. A model that is not a
    /// TorchSharp module (<see cref="RNNModelScratch"/>) is not moved: make its parameters on the device.
    /// </summary>
    public TorchSharp.torch.Device? Device { get; init; }

    /// <summary>How many cores the fast path splits each minibatch over (at most one per 8 sequences); null: all of them.</summary>
    public int? Threads { get; init; }

    /// <summary>
    /// Keep a run checkpoint (<see cref="RunCheckpointOptions"/>) so that the run can continue where it stopped (a crash,
    /// a closed notebook, a cancellation); when its file exists, training continues from it. Null: none. A run can be
    /// continued with more <see cref="NumEpochs"/>; every other setting must be the one it was written with.
    /// </summary>
    public RunCheckpointOptions? RunCheckpoint { get; init; }

    /// <summary>The 2019 lecture: 200 epochs, lr 100, θ 0.01, predictions of 50 chars every 50 epochs.</summary>
    public static TrainOptions Lecture2019 { get; } = new()
    {
        NumEpochs = 200, LearningRate = 1e2, ClipTheta = 1e-2, PredictEvery = 50,
        PredictPrefixes = ["traveller", "time traveller"], PredictLength = 50,
    };

    /// <summary>d2l 0.17's concise RNN on the Time Machine (section 8.6): 500 epochs, lr 1, θ 1, predictions from
    /// "time traveller" and "traveller" every 10 epochs.</summary>
    public static TrainOptions D2l017 { get; } = new() { PredictPrefixes = ["time traveller", "traveller"] };

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first bad value.</summary>
    public void Validate()
    {
        if (NumEpochs <= 0) throw new ArgumentOutOfRangeException(nameof(NumEpochs), NumEpochs, "NumEpochs must be positive.");
        // Parameters are float32: a larger rate cannot even be applied.
        if (!(LearningRate > 0) || LearningRate > float.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be a positive float32 number.");
        if (!(ClipTheta > 0)) throw new ArgumentOutOfRangeException(nameof(ClipTheta), ClipTheta, "ClipTheta must be positive (double.PositiveInfinity: no clipping).");
        if (PredictEvery < 0) throw new ArgumentOutOfRangeException(nameof(PredictEvery), PredictEvery, "PredictEvery must be 0 or more.");
        if (PredictLength < 0) throw new ArgumentOutOfRangeException(nameof(PredictLength), PredictLength, "PredictLength must be 0 or more.");
        if (Threads is <= 0) throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Threads must be positive (or null for all cores).");
        ArgumentNullException.ThrowIfNull(PredictPrefixes, nameof(PredictPrefixes));
        if (PredictEvery > 0 && PredictPrefixes.Any(string.IsNullOrEmpty))
            throw new ArgumentException("Every prediction prefix in PredictPrefixes needs at least one character.", nameof(PredictPrefixes));
        if (Updater is not null && Optimizer is not null)
            throw new ArgumentException("Set either Optimizer (a TorchSharp optimizer) or Updater (an update of your own), not both.", nameof(Updater));
        if (Updater is not null && Schedule is not null)
            throw new ArgumentException("A Schedule changes an optimizer's learning rate: with an Updater of your own, change the rate in it.", nameof(Schedule));
        if (ValidateEvery <= 0) throw new ArgumentOutOfRangeException(nameof(ValidateEvery), ValidateEvery, "ValidateEvery must be positive.");
        if (Validation is { Count: < 2 })
            throw new ArgumentException("Validation needs at least two tokens (the first is only read, the rest are scored).", nameof(Validation));
        if (KeepBestWeights && Validation is null)
            throw new ArgumentException("KeepBestWeights chooses by validation perplexity: set Validation to held-out tokens.", nameof(KeepBestWeights));
        RunCheckpoint?.Validate();
        if (StopAfterValidationsWithoutImprovement is { } patience)
        {
            if (patience <= 0)
                throw new ArgumentOutOfRangeException(nameof(StopAfterValidationsWithoutImprovement), patience, "StopAfterValidationsWithoutImprovement must be positive (or null).");
            if (Validation is null)
                throw new ArgumentException("StopAfterValidationsWithoutImprovement watches validation perplexity: set Validation to held-out tokens.",
                    nameof(StopAfterValidationsWithoutImprovement));
        }
    }
}

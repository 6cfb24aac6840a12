using D2L.Rnn.FastPath;
using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>d2l's <c>train_ch8</c>: minibatch training with gradient clipping, perplexity per epoch.</summary>
public static class Trainer
{
    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="data"/>. Every epoch enumerates the loader afresh
    /// (a new random offset). With sequential sampling the state starts at the model's begin state each epoch and is
    /// detached after each minibatch, so gradients stop at minibatch boundaries while the values carry on; with random
    /// sampling the state is fresh for every minibatch. Loss is the mean cross-entropy; clipping on the joint gradient
    /// norm; then the update: the optimizer's step (<see cref="TrainOptions.Optimizer"/>, SGD by default) or d2l's
    /// <c>updater</c> (<see cref="TrainOptions.Updater"/>), and after every epoch the learning-rate schedule. An
    /// <see cref="RNNModel"/> the fast path supports (one-hot RNN, GRU or LSTM on the CPU) computes its gradients there
    /// unless <see cref="TrainOptions.UseFastPath"/> is false; every other model, <see cref="RNNModelScratch"/> included,
    /// trains on autograd, and <see cref="TrainResult.FastPathDeclined"/> says why. With
    /// <see cref="TrainOptions.Validation"/>, every validated epoch reports the held-out perplexity, and the best weights
    /// can be kept. With <see cref="TrainOptions.RunCheckpoint"/>, a run checkpoint is kept as it goes, and when its file
    /// exists the run continues from it (<see cref="TrainResult.ContinuedFrom"/> says from where; the epochs before are
    /// sent to <paramref name="onEpoch"/> again first).
    /// </summary>
    /// <param name="model">The model (<see cref="RNNModel"/>, <see cref="RNNModelScratch"/> or one of your own); trained in
    /// place, on its own device unless <see cref="TrainOptions.Device"/> or <c>D2L_DEVICE=cuda</c> moves it (a module) to
    /// the GPU first.</param>
    /// <param name="data">Minibatches; also decides random or sequential state handling.</param>
    /// <param name="vocab">For the periodic predictions.</param>
    /// <param name="options">Epochs, optimizer or updater, clipping, validation, predictions.</param>
    /// <param name="onEpoch">Called after every epoch (a live plot, a progress line).</param>
    /// <param name="cancellationToken">Stops at the next minibatch boundary; the result says Cancelled (and the run
    /// checkpoint, when kept, is written there).</param>
    /// <exception cref="ArgumentException">Bad options, a prediction prefix the vocabulary cannot read, a token index
    /// outside the model's vocabulary, or a model that returns scores or a state of the wrong shape, all before the
    /// first minibatch; a run checkpoint further on than <see cref="TrainOptions.NumEpochs"/>.</exception>
    /// <exception cref="CheckpointException">The run checkpoint is damaged, or is the checkpoint of another run (another
    /// model, data or options: the message names each difference).</exception>
    /// <exception cref="TrainingDivergedException">The loss, or the perplexity it implies, became NaN or infinite, or the
    /// weights did; the model then holds the weights of the end of the last finished epoch (or of before the run).</exception>
    public static TrainResult Train(IRecurrentModel model, SeqDataLoader data, Vocab vocab, TrainOptions options,
        Action<EpochReport>? onEpoch = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(vocab);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ModelContract.EnsureFits(model, vocab);
        EnsurePrefixesFit(options, vocab);
        TokenIndices.EnsureWithin(data.Corpus, model.VocabSize, "the training data", nameof(data));
        if (options.Validation is { } validation)
            TokenIndices.EnsureWithin(validation, model.VocabSize, "TrainOptions.Validation", nameof(options));
        ModelContract.EnsureShapes(model);
        TrainingDevice.MoveTo(model, model.Device, TrainingDevice.Target(options.Device, TorchSetup.Choice, () => Devices.TryGpu()),
            asked: options.Device is not null);

        (model as nn.Module)?.train();
        var parameters = model.parameters().ToArray();
        using var update = new ParameterUpdate(parameters, options);
        var (step, declined) = NewStep(model, data, options, update);
        using var stepOwned = step;
        var loop = new EpochLoop
        {
            Step = step, Parameters = parameters, Update = update, Data = data, FreshStateEveryMinibatch = data.UseRandomIter,
            Device = model.Device, Options = options, RunFacts = [.. RunIdentity.Of(model, vocab)],
            Validate = () => Evaluator.Perplexity(model, options.Validation!),
            Predict = () => options.PredictPrefixes.ToDictionary(p => p, p => Predictor.Predict(p, options.PredictLength, model, vocab)),
        };
        return loop.Run(onEpoch, cancellationToken) with { FastPathDeclined = declined, Device = model.Device.ToString() };
    }

    // Predictions come after the first epoch: a prefix the vocabulary cannot read must fail the run before it starts.
    private static void EnsurePrefixesFit(TrainOptions options, Vocab vocab)
    {
        if (options.PredictEvery == 0 || vocab.HasUnknown) return; // with <unk>, any character can be read (as d2l)
        foreach (var prefix in options.PredictPrefixes)
        {
            if (vocab.Lacks(prefix) is { Count: > 0 } unknown)
                throw new ArgumentException(
                    $"TrainOptions.PredictPrefixes: \"{prefix}\" has characters that are not in the vocabulary " +
                    $"({Vocab.Quoted(unknown)}). Use prefixes written in your corpus' characters, " +
                    "or PredictPrefixes = [] for no predictions.", nameof(options));
        }
    }

    // The fast path when asked for and the model is an RNNModel it supports (FastPath/); else d2l's step. The reason is
    // kept when the fast path was asked for and declined.
    private static (ITrainingStep Step, string? Declined) NewStep(IRecurrentModel model, SeqDataLoader data, TrainOptions options,
        ParameterUpdate update)
    {
        if (!options.UseFastPath) return (new ReferenceTrainingStep(model, update, options.ClipTheta), null);
        if (model is not RNNModel rnnModel)
            return (new ReferenceTrainingStep(model, update, options.ClipTheta),
                $"the model is a {model.GetType().Name}: the fast path's hand-written gradients are for the library's RNNModel");
        var (fast, declined) = FastTrainingStep.TryCreate(rnnModel, data.BatchSize, data.NumSteps, update, options.ClipTheta,
            options.Threads ?? Environment.ProcessorCount);
        return fast is not null ? (fast, null) : (new ReferenceTrainingStep(model, update, options.ClipTheta), declined);
    }
}

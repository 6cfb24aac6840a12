using System.Diagnostics;
using D2L.Rnn.FastPath;
using TorchSharp;
using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>d2l's <c>train_ch8</c>: minibatch training with gradient clipping, perplexity per epoch.</summary>
public static class Trainer
{
    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="data"/>. Every epoch enumerates the loader afresh
    /// (a new random offset). With sequential sampling the state starts at zero each epoch and is detached
    /// after each minibatch, so gradients stop at minibatch boundaries while the values carry on; with random
    /// sampling the state is zero for every minibatch. Loss is the mean cross-entropy; clipping on the joint gradient
    /// norm; then the optimizer's step (<see cref="TrainOptions.Optimizer"/>, SGD by default) and, after every epoch, the
    /// learning-rate schedule. A one-hot RNN, GRU or LSTM on the CPU computes its gradients on the fast path unless
    /// <see cref="TrainOptions.UseFastPath"/> is false. With <see cref="TrainOptions.Validation"/>, every validated epoch
    /// reports the held-out perplexity, and the best weights can be kept.
    /// </summary>
    /// <param name="model">The model; trained in place on its own device.</param>
    /// <param name="data">Minibatches; also decides random or sequential state handling.</param>
    /// <param name="vocab">For the periodic predictions.</param>
    /// <param name="options">Epochs, optimizer, clipping, validation, predictions.</param>
    /// <param name="onEpoch">Called after every epoch (a live plot, a progress line).</param>
    /// <param name="cancellationToken">Stops at the next minibatch boundary; the result says Cancelled.</param>
    /// <exception cref="ArgumentException">Bad options, a prediction prefix the vocabulary cannot read, or a token
    /// index outside the model's vocabulary, all before the first minibatch.</exception>
    /// <exception cref="TrainingDivergedException">The loss, or the perplexity it implies, became NaN or infinite, or the
    /// weights did; the model then holds the weights of the end of the last finished epoch (or of before the run).</exception>
    public static TrainResult Train(RNNModel model, SeqDataLoader data, Vocab vocab, TrainOptions options,
        Action<EpochReport>? onEpoch = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(vocab);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        model.EnsureFits(vocab);
        EnsurePrefixesFit(options, vocab);
        TokenIndices.EnsureWithin(data.Corpus, model.Config.VocabSize, "the training data", nameof(data));
        if (options.Validation is { } validation)
            TokenIndices.EnsureWithin(validation, model.Config.VocabSize, "TrainOptions.Validation", nameof(options));

        var reports = new List<EpochReport>();
        model.train();
        using var optimizer = (options.Optimizer ?? Optimizers.Sgd)(model.parameters(), options.LearningRate);
        var schedule = options.Schedule?.Invoke(optimizer);
        var (step, declined) = NewStep(model, data, options, optimizer);
        using var stepOwned = step;
        using var lastFinished = WeightSnapshot.Of(model);
        using var best = new BestWeights(model, options);
        var cancelled = false;
        for (var epoch = 1; epoch <= options.NumEpochs && !best.ShouldStop; epoch++)
        {
            var learningRate = optimizer.ParamGroups.First().LearningRate;
            var norms = options.RecordGradientNorms ? new List<double>() : null;
            var (lossSum, tokens, seconds, finished) = TrainEpochOrRestore(step, data, model, epoch, norms, lastFinished, cancellationToken);
            if (!finished)
            {
                cancelled = true;
                break;
            }
            lastFinished.Take();

            double? validationPerplexity = best.IsDue(epoch) ? Evaluator.Perplexity(model, options.Validation!) : null;
            if (validationPerplexity is { } v) best.Record(epoch, v);

            var predictions = new Dictionary<string, string>();
            if (options.PredictEvery > 0 && (epoch % options.PredictEvery == 0 || epoch == options.NumEpochs))
            {
                foreach (var prefix in options.PredictPrefixes)
                    predictions[prefix] = Predictor.Predict(prefix, options.PredictLength, model, vocab);
            }
            var report = new EpochReport(epoch, options.NumEpochs, Loss.ToPerplexity(lossSum, tokens), seconds, tokens, predictions)
            {
                ValidationPerplexity = validationPerplexity,
                LearningRate = learningRate,
                GradientNorms = norms ?? [],
                Path = step.Path,
            };
            reports.Add(report);
            onEpoch?.Invoke(report);
            schedule?.step();
        }
        return new TrainResult(reports, cancelled)
        {
            Path = step.Path,
            FastPathDeclined = declined,
            Device = model.Device.ToString(),
            BestEpoch = best.Restore(),
            StoppedEarly = best.ShouldStop,
        };
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

    // The fast path when asked for and the model is one it supports (FastPath/); else d2l's step. The reason is kept
    // when the fast path was asked for and declined.
    private static (ITrainingStep Step, string? Declined) NewStep(RNNModel model, SeqDataLoader data, TrainOptions options, optim.Optimizer optimizer)
    {
        if (options.UseFastPath)
        {
            var (fast, declined) = FastTrainingStep.TryCreate(model, data.BatchSize, data.NumSteps, optimizer, options.ClipTheta,
                options.Threads ?? Environment.ProcessorCount);
            if (fast is not null) return (fast, null);
            return (new ReferenceTrainingStep(model, optimizer, options.ClipTheta), declined);
        }
        return (new ReferenceTrainingStep(model, optimizer, options.ClipTheta), null);
    }

    // One epoch; when it diverges, the model gets back the weights of the last finished epoch before the error leaves.
    private static (double LossSum, long Tokens, double Seconds, bool Finished) TrainEpochOrRestore(ITrainingStep step, SeqDataLoader data,
        RNNModel model, int epoch, List<double>? gradientNorms, WeightSnapshot lastFinished, CancellationToken cancellationToken)
    {
        try
        {
            var result = TrainEpoch(step, data, model.Device, epoch, gradientNorms, cancellationToken);
            // The last update of an epoch is checked by no later loss: look at the weights themselves.
            if (result.Finished && !IsFinite(model))
                throw new TrainingDivergedException(
                    $"The weights became NaN or infinite in the last update of epoch {epoch}. {TooLarge}");
            return result;
        }
        catch (TrainingDivergedException e)
        {
            lastFinished.Restore();
            throw new TrainingDivergedException($"{e.Message} The model holds the weights {TrainingDivergedException.KeptWeights(epoch)}.");
        }
    }

    private const string TooLarge = "The updates are too large: lower the learning rate or the clipping threshold (ClipTheta).";

    private static bool IsFinite(RNNModel model)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return model.parameters().All(p => p.isfinite().all().item<bool>());
    }

    private static (double LossSum, long Tokens, double Seconds, bool Finished) TrainEpoch(ITrainingStep step, SeqDataLoader data,
        Device device, int epoch, List<double>? gradientNorms, CancellationToken cancellationToken)
    {
        var timer = Stopwatch.StartNew();
        double lossSum = 0;
        long tokens = 0;
        var minibatch = 0;
        foreach (var (xCpu, yCpu) in data)
        {
            using var scope = NewDisposeScope();
            using var xOwned = xCpu;
            using var yOwned = yCpu;
            if (cancellationToken.IsCancellationRequested) return (lossSum, tokens, timer.Elapsed.TotalSeconds, false);
            minibatch++;
            // Sequential sampling: zero state at the start of the epoch, then carried on; random: zero every minibatch.
            var l = step.ComputeGradients(xCpu.to(device), yCpu.to(device), freshState: minibatch == 1 || data.UseRandomIter);
            // Checked before the update. A finite loss can still be beyond any sane model's (float32 holds losses whose
            // perplexity exp(loss) overflows a double).
            if (!float.IsFinite(l) || double.IsInfinity(Math.Exp(l)))
                throw new TrainingDivergedException(
                    $"The loss became {l}{(float.IsFinite(l) ? " (its perplexity overflows)" : "")} at epoch {epoch}, " +
                    $"minibatch {minibatch}. {TooLarge}");
            var norm = step.Update();
            gradientNorms?.Add(norm);
            lossSum += (double)l * yCpu.numel();
            tokens += yCpu.numel();
        }
        return (lossSum, tokens, timer.Elapsed.TotalSeconds, true);
    }
}

using System.Diagnostics;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>
/// The one epoch loop behind <see cref="Trainer"/> and <see cref="NGramTrainer"/>: every epoch runs the step over the
/// minibatches, checks the loss and the weights, validates, predicts, reports and steps the schedule. Only the step,
/// the data and what validation and prediction mean differ between models.
/// </summary>
internal sealed class EpochLoop
{
    /// <summary>Gradients and update of one minibatch.</summary>
    public required ITrainingStep Step { get; init; }

    /// <summary>The parameters the step updates: copied at the end of every epoch, checked for NaN, kept when best.</summary>
    public required IReadOnlyList<Parameter> Parameters { get; init; }

    /// <summary>The update, for the learning rate of each epoch and the schedule.</summary>
    public required ParameterUpdate Update { get; init; }

    /// <summary>The minibatches (batch-major X and Y on the CPU), enumerated afresh every epoch.</summary>
    public required IEnumerable<(Tensor X, Tensor Y)> Data { get; init; }

    /// <summary>Whether every minibatch starts from a fresh state (random sampling, or a model without one).</summary>
    public required bool FreshStateEveryMinibatch { get; init; }

    /// <summary>Where the model is: each minibatch is moved there.</summary>
    public required Device Device { get; init; }

    public required TrainOptions Options { get; init; }

    /// <summary>The held-out perplexity, on the epochs <see cref="TrainOptions.ValidateEvery"/> names.</summary>
    public Func<double>? Validate { get; init; }

    /// <summary>Prefix → generated text, on the epochs <see cref="TrainOptions.PredictEvery"/> names.</summary>
    public Func<IReadOnlyDictionary<string, string>>? Predict { get; init; }

    /// <summary>What the messages call the model ("model", "MLP").</summary>
    public string ModelName { get; init; } = "model";

    public TrainResult Run(Action<EpochReport>? onEpoch, CancellationToken cancellationToken)
    {
        var options = Options;
        var schedule = options.Schedule is { } makeSchedule
            ? makeSchedule(Update.Optimizer ?? throw new InvalidOperationException("A schedule needs an optimizer."))
            : null;
        using var lastFinished = WeightSnapshot.Of(Parameters);
        using var best = new BestWeights(Parameters, options);
        var reports = new List<EpochReport>();
        var cancelled = false;
        for (var epoch = 1; epoch <= options.NumEpochs && !best.ShouldStop; epoch++)
        {
            var learningRate = Update.LearningRate;
            var norms = options.RecordGradientNorms ? new List<double>() : null;
            var (lossSum, tokens, seconds, finished) = TrainEpochOrRestore(epoch, norms, lastFinished, cancellationToken);
            if (!finished)
            {
                cancelled = true;
                break;
            }
            lastFinished.Take();

            double? validation = best.IsDue(epoch) ? Validate!() : null;
            if (validation is { } v) best.Record(epoch, v);
            var predictions = Predict is not null && options.PredictEvery > 0 && (epoch % options.PredictEvery == 0 || epoch == options.NumEpochs)
                ? Predict()
                : new Dictionary<string, string>();
            var report = new EpochReport(epoch, options.NumEpochs, Loss.ToPerplexity(lossSum, tokens), seconds, tokens, predictions)
            {
                ValidationPerplexity = validation,
                LearningRate = learningRate,
                GradientNorms = norms ?? [],
                Path = Step.Path,
            };
            reports.Add(report);
            onEpoch?.Invoke(report);
            schedule?.step();
        }
        var bestEpoch = best.Restore();
        if (bestEpoch is not null) Step.WeightsRestored();
        return new TrainResult(reports, cancelled) { Path = Step.Path, BestEpoch = bestEpoch, StoppedEarly = best.ShouldStop };
    }

    // One epoch; when it diverges, the model gets back the weights of the last finished epoch before the error leaves.
    private (double LossSum, long Tokens, double Seconds, bool Finished) TrainEpochOrRestore(int epoch, List<double>? gradientNorms,
        WeightSnapshot lastFinished, CancellationToken cancellationToken)
    {
        try
        {
            var result = TrainEpoch(epoch, gradientNorms, cancellationToken);
            // The last update of an epoch is checked by no later loss: look at the weights themselves.
            if (result.Finished && !IsFinite())
                throw new TrainingDivergedException(
                    $"The weights became NaN or infinite in the last update of epoch {epoch}. {TooLarge}");
            return result;
        }
        catch (TrainingDivergedException e)
        {
            lastFinished.Restore();
            Step.WeightsRestored();
            throw new TrainingDivergedException($"{e.Message} The {ModelName} holds the weights {TrainingDivergedException.KeptWeights(epoch)}.");
        }
    }

    private const string TooLarge = "The updates are too large: lower the learning rate or the clipping threshold (ClipTheta).";

    private bool IsFinite()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return Parameters.All(p => p.isfinite().all().item<bool>());
    }

    private (double LossSum, long Tokens, double Seconds, bool Finished) TrainEpoch(int epoch, List<double>? gradientNorms,
        CancellationToken cancellationToken)
    {
        var timer = Stopwatch.StartNew();
        double lossSum = 0;
        long tokens = 0;
        var minibatch = 0;
        foreach (var (xCpu, yCpu) in Data)
        {
            using var scope = NewDisposeScope();
            using var xOwned = xCpu;
            using var yOwned = yCpu;
            if (cancellationToken.IsCancellationRequested) return (lossSum, tokens, timer.Elapsed.TotalSeconds, false);
            minibatch++;
            // Sequential sampling: a fresh state at the start of the epoch, then carried on; random: fresh every minibatch.
            var l = Step.ComputeGradients(xCpu.to(Device), yCpu.to(Device), freshState: minibatch == 1 || FreshStateEveryMinibatch);
            // Checked before the update. A finite loss can still be beyond any sane model's (float32 holds losses whose
            // perplexity exp(loss) overflows a double).
            if (!float.IsFinite(l) || double.IsInfinity(Math.Exp(l)))
                throw new TrainingDivergedException(
                    $"The loss became {l}{(float.IsFinite(l) ? " (its perplexity overflows)" : "")} at epoch {epoch}, " +
                    $"minibatch {minibatch}. {TooLarge}");
            var norm = Step.Update();
            gradientNorms?.Add(norm);
            lossSum += (double)l * yCpu.numel();
            tokens += yCpu.numel();
        }
        return (lossSum, tokens, timer.Elapsed.TotalSeconds, true);
    }
}

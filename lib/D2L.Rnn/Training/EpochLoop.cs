using System.Diagnostics;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>
/// The one epoch loop behind <see cref="Trainer"/> and <see cref="NGramTrainer"/>: every epoch runs the step over the
/// minibatches, checks the loss and the weights, validates, predicts, reports and steps the schedule; with
/// <see cref="TrainOptions.RunCheckpoint"/> it keeps a run checkpoint and continues from one. Only the step, the data and
/// what validation and prediction mean differ between models.
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

    /// <summary>What makes the model the one it is (<see cref="RunIdentity"/>): a run checkpoint of another is refused.</summary>
    public IReadOnlyList<(string Name, string Value)> RunFacts { get; init; } = [];

    // The epochs the loader has drawn: where it stands, for a run checkpoint.
    private int LoaderEpochs => (Data as IRewindableLoader)?.EpochsDrawn ?? 0;

    public TrainResult Run(Action<EpochReport>? onEpoch, CancellationToken cancellationToken)
    {
        var options = Options;
        var schedule = options.Schedule is { } makeSchedule
            ? makeSchedule(Update.Optimizer ?? throw new InvalidOperationException("A schedule needs an optimizer."))
            : null;
        using var lastFinished = WeightSnapshot.Of(Parameters);
        using var best = new BestWeights(Parameters, options);
        var progress = new RunProgress { LoaderEpochs = LoaderEpochs };
        var checkpoint = options.RunCheckpoint is { } keep ? new RunCheckpointer(keep, this, lastFinished, best, schedule) : null;
        var continuedFrom = checkpoint?.Continue(progress);
        foreach (var restored in progress.Reports) onEpoch?.Invoke(restored);
        var cancelled = false;
        var firstEpoch = progress.FinishedEpochs + 1;
        for (var epoch = firstEpoch; epoch <= options.NumEpochs && !best.ShouldStop; epoch++)
        {
            var learningRate = Update.LearningRate;
            if (!TrainEpochOrRestore(epoch, progress, lastFinished, checkpoint, cancellationToken))
            {
                checkpoint?.Save(progress);
                cancelled = true;
                break;
            }
            lastFinished.Take();

            double? validation = best.IsDue(epoch) ? Validate!() : null;
            if (validation is { } v) best.Record(epoch, v);
            var predictions = Predict is not null && options.PredictEvery > 0 && (epoch % options.PredictEvery == 0 || epoch == options.NumEpochs)
                ? Predict()
                : new Dictionary<string, string>();
            var report = new EpochReport(epoch, options.NumEpochs, Loss.ToPerplexity(progress.LossSum, progress.Tokens), progress.Seconds,
                progress.Tokens, predictions)
            {
                ValidationPerplexity = validation,
                LearningRate = learningRate,
                GradientNorms = [.. progress.GradientNorms],
                Path = Step.Path,
                ContinuedFrom = epoch == firstEpoch ? continuedFrom : null,
            };
            onEpoch?.Invoke(report);
            schedule?.step();
            progress.Finish(report, LoaderEpochs);
            checkpoint?.Save(progress);
        }
        var bestEpoch = best.Restore();
        if (bestEpoch is not null) Step.WeightsRestored();
        return new TrainResult(progress.Reports, cancelled)
        {
            Path = Step.Path, BestEpoch = bestEpoch, StoppedEarly = best.ShouldStop, ContinuedFrom = continuedFrom,
        };
    }

    // One epoch (or what is left of it); when it diverges, the model gets back the weights of the last finished epoch
    // before the error leaves. False when cancelled.
    private bool TrainEpochOrRestore(int epoch, RunProgress progress, WeightSnapshot lastFinished, RunCheckpointer? checkpoint,
        CancellationToken cancellationToken)
    {
        try
        {
            var finished = TrainEpoch(epoch, progress, checkpoint, cancellationToken);
            // The last update of an epoch is checked by no later loss: look at the weights themselves.
            if (finished && !IsFinite())
                throw new TrainingDivergedException(
                    $"The weights became NaN or infinite in the last update of epoch {epoch}. {TooLarge}");
            return finished;
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

    // The minibatches of the epoch that progress has not trained yet (a continued run skips those it has), adding each
    // to progress; a run checkpoint when one is due. False when cancelled.
    private bool TrainEpoch(int epoch, RunProgress progress, RunCheckpointer? checkpoint, CancellationToken cancellationToken)
    {
        progress.LoaderEpochs = LoaderEpochs;
        var secondsBefore = progress.Seconds;
        var timer = Stopwatch.StartNew();
        var minibatch = 0;
        foreach (var (xCpu, yCpu) in Data)
        {
            using var scope = NewDisposeScope();
            using var xOwned = xCpu;
            using var yOwned = yCpu;
            if (++minibatch <= progress.Minibatches) continue; // trained before the run was continued
            if (cancellationToken.IsCancellationRequested)
            {
                progress.Seconds = secondsBefore + timer.Elapsed.TotalSeconds;
                return false;
            }
            // Sequential sampling: a fresh state at the start of the epoch, then carried on; random: fresh every minibatch.
            var l = Step.ComputeGradients(xCpu.to(Device), yCpu.to(Device), freshState: minibatch == 1 || FreshStateEveryMinibatch);
            // Checked before the update. A finite loss can still be beyond any sane model's (float32 holds losses whose
            // perplexity exp(loss) overflows a double).
            if (!float.IsFinite(l) || double.IsInfinity(Math.Exp(l)))
                throw new TrainingDivergedException(
                    $"The loss became {l}{(float.IsFinite(l) ? " (its perplexity overflows)" : "")} at epoch {epoch}, " +
                    $"minibatch {minibatch}. {TooLarge}");
            var norm = Step.Update();
            progress.Add((double)l * yCpu.numel(), yCpu.numel(), Options.RecordGradientNorms ? norm : null);
            progress.Seconds = secondsBefore + timer.Elapsed.TotalSeconds;
            if (checkpoint?.IsDue(minibatch) == true)
            {
                timer.Stop(); // writing is not training
                checkpoint.Save(progress);
                timer.Start();
            }
        }
        progress.Seconds = secondsBefore + timer.Elapsed.TotalSeconds;
        return true;
    }
}

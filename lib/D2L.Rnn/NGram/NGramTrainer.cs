using System.Diagnostics;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>
/// Trains an N-gram MLP with the same <see cref="TrainOptions"/> as <see cref="Trainer.Train"/> (epochs, optimizer and
/// schedule, clipping, validation, the best weights), so that it can be compared with a recurrent model under the same
/// budget. Predictions and the fast path do not apply.
/// </summary>
public static class NGramTrainer
{
    /// <summary>
    /// Trains <paramref name="mlp"/> on <paramref name="data"/>: mean cross-entropy, clipping on the global gradient norm,
    /// the optimizer's step; after every epoch the schedule and, with <see cref="TrainOptions.Validation"/> (token
    /// indices, read as windows of the loader's length), the validation perplexity.
    /// </summary>
    /// <exception cref="TrainingDivergedException">A loss became NaN or infinite; the MLP then holds the weights of the
    /// last finished epoch (or of before the run).</exception>
    public static TrainResult Train(Sequential mlp, NGramDataLoader data, TrainOptions options, Action<EpochReport>? onEpoch = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mlp);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var validation = options.Validation is { } held ? new NGramWindows(held, data.Windows.Length) : null;
        if (validation is not null)
            TokenIndices.EnsureWithin(validation.Tokens, data.VocabSize, "TrainOptions.Validation", nameof(options));

        mlp.train();
        using var optimizer = (options.Optimizer ?? Optimizers.Sgd)(mlp.parameters(), options.LearningRate);
        var schedule = options.Schedule?.Invoke(optimizer);
        using var lastFinished = WeightSnapshot.Of(mlp);
        using var best = new BestWeights(mlp, options);
        var reports = new List<EpochReport>();
        var cancelled = false;
        for (var epoch = 1; epoch <= options.NumEpochs && !best.ShouldStop && !cancelled; epoch++)
        {
            var learningRate = optimizer.ParamGroups.First().LearningRate;
            var timer = Stopwatch.StartNew();
            double lossSum = 0;
            long tokens = 0;
            foreach (var (x, y) in data)
            using (x) using (y) using (NewDisposeScope())
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    cancelled = true;
                    break;
                }
                var loss = nn.functional.cross_entropy(mlp.call(x), y);
                var l = loss.item<float>();
                if (!float.IsFinite(l))
                {
                    lastFinished.Restore();
                    throw new TrainingDivergedException(
                        $"The loss became {l} at epoch {epoch}. Lower the learning rate or the clipping threshold (ClipTheta). " +
                        $"The MLP holds the weights {TrainingDivergedException.KeptWeights(epoch)}.");
                }
                optimizer.zero_grad();
                loss.backward();
                GradClipping.Clip(mlp.parameters(), options.ClipTheta);
                optimizer.step();
                lossSum += (double)l * y.numel();
                tokens += y.numel();
            }
            if (cancelled) break;
            var seconds = timer.Elapsed.TotalSeconds;
            lastFinished.Take();

            double? validationPerplexity = best.IsDue(epoch) ? NGramEvaluator.Evaluate(mlp, validation!, data.VocabSize, data.Encoding).Perplexity : null;
            if (validationPerplexity is { } v) best.Record(epoch, v);
            var report = new EpochReport(epoch, options.NumEpochs, Loss.ToPerplexity(lossSum, tokens), seconds, tokens,
                new Dictionary<string, string>())
            {
                ValidationPerplexity = validationPerplexity, LearningRate = learningRate, Path = TrainingPath.Reference,
            };
            reports.Add(report);
            onEpoch?.Invoke(report);
            schedule?.step();
        }
        return new TrainResult(reports, cancelled) { Path = TrainingPath.Reference, BestEpoch = best.Restore(), StoppedEarly = best.ShouldStop };
    }
}

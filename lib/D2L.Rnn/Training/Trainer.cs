using System.Diagnostics;
using D2L.Rnn.FastPath;
using TorchSharp;
using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>d2l's <c>train_ch8</c>: minibatch SGD with gradient clipping, perplexity per epoch.</summary>
public static class Trainer
{
    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="data"/>. Every epoch enumerates the loader afresh
    /// (a new random offset). With sequential sampling the state starts at zero each epoch and is detached
    /// after each minibatch, so gradients stop at minibatch boundaries while the values carry on; with random
    /// sampling the state is zero for every minibatch. Loss is the mean cross-entropy; SGD; clipping on the
    /// joint gradient norm. A one-hot RNN, GRU or LSTM trains on the fast path unless <see cref="TrainOptions.UseFastPath"/>
    /// is false: the same updates, computed by a hand-written step split over the cores.
    /// </summary>
    /// <param name="model">The model; trained in place on its own device.</param>
    /// <param name="data">Minibatches; also decides random or sequential state handling.</param>
    /// <param name="vocab">For the periodic predictions.</param>
    /// <param name="options">Epochs, learning rate, clipping, predictions.</param>
    /// <param name="onEpoch">Called after every epoch (a live plot, a progress line).</param>
    /// <param name="cancellationToken">Stops at the next minibatch boundary; the result says Cancelled.</param>
    /// <exception cref="TrainingDivergedException">The loss, or the perplexity it implies, became NaN or infinite.</exception>
    public static TrainResult Train(RNNModel model, SeqDataLoader data, Vocab vocab, TrainOptions options,
        Action<EpochReport>? onEpoch = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(vocab);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        model.EnsureFits(vocab);

        var reports = new List<EpochReport>();
        var device = model.Device;
        model.train();
        using var step = NewStep(model, data, options);
        for (var epoch = 1; epoch <= options.NumEpochs; epoch++)
        {
            var norms = options.RecordGradientNorms ? new List<double>() : null;
            var (lossSum, tokens, seconds, finished) = TrainEpoch(step, data, device, epoch, norms, cancellationToken);
            if (!finished) return new TrainResult(reports, Cancelled: true);

            var predictions = new Dictionary<string, string>();
            if (options.PredictEvery > 0 && (epoch % options.PredictEvery == 0 || epoch == options.NumEpochs))
            {
                foreach (var prefix in options.PredictPrefixes)
                    predictions[prefix] = Predictor.Predict(prefix, options.PredictLength, model, vocab);
            }
            var report = new EpochReport(epoch, options.NumEpochs, Perplexity.FromLossSum(lossSum, tokens), seconds, tokens, predictions)
            {
                GradientNorms = norms ?? [],
            };
            reports.Add(report);
            onEpoch?.Invoke(report);
        }
        return new TrainResult(reports, Cancelled: false);
    }

    // The fast path when asked for and the model is one it supports (FastPath/); else d2l's step.
    private static ITrainingStep NewStep(RNNModel model, SeqDataLoader data, TrainOptions options) =>
        (options.UseFastPath
            ? FastTraining.TryCreate(model, data.BatchSize, data.NumSteps, options.LearningRate, options.ClipTheta,
                options.Threads ?? Environment.ProcessorCount)
            : null)
        ?? new ModuleTrainingStep(model, options.LearningRate, options.ClipTheta);

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
            // Checked before the update, so the model keeps the last finite parameters. A finite loss can still be
            // beyond any sane model's (float32 holds losses whose perplexity exp(loss) overflows a double).
            if (!float.IsFinite(l) || double.IsInfinity(Math.Exp(l)))
                throw new TrainingDivergedException(
                    $"The loss became {l}{(float.IsFinite(l) ? " (its perplexity overflows)" : "")} at epoch {epoch}, " +
                    $"minibatch {minibatch}. The updates are too large: lower the learning rate or the clipping threshold (ClipTheta).");
            var norm = step.Update();
            gradientNorms?.Add(norm);
            lossSum += (double)l * yCpu.numel();
            tokens += yCpu.numel();
        }
        return (lossSum, tokens, timer.Elapsed.TotalSeconds, true);
    }
}

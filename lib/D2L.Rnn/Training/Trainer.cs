using System.Diagnostics;
using D2L.Rnn.Data;
using D2L.Rnn.Model;
using D2L.Rnn.Prediction;
using TorchSharp;
using static TorchSharp.torch;

namespace D2L.Rnn.Training;

/// <summary>d2l's <c>train_ch8</c>: minibatch SGD with gradient clipping, perplexity per epoch.</summary>
public static class Trainer
{
    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="data"/>. Every epoch enumerates the loader afresh
    /// (a new random offset). With sequential sampling the state starts at zero each epoch and is detached
    /// after each minibatch, so gradients stop at minibatch boundaries while the values carry on; with random
    /// sampling the state is zero for every minibatch. Loss is the mean cross-entropy; SGD; clipping on the
    /// joint gradient norm.
    /// </summary>
    /// <param name="model">The model; trained in place on its own device.</param>
    /// <param name="data">Minibatches; also decides random or sequential state handling.</param>
    /// <param name="vocab">For the periodic predictions.</param>
    /// <param name="options">Epochs, learning rate, clipping, predictions.</param>
    /// <param name="onEpoch">Called after every epoch (a live plot, a progress line).</param>
    /// <param name="cancellationToken">Stops at the next minibatch boundary; the result says Cancelled.</param>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
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
        using var optimizer = optim.SGD(model.parameters(), options.LearningRate);
        var device = model.Device;
        model.train();
        for (var epoch = 1; epoch <= options.NumEpochs; epoch++)
        {
            var (lossSum, tokens, seconds, finished) = TrainEpoch(model, data, optimizer, options.ClipTheta, device, epoch, cancellationToken);
            if (!finished) return new TrainResult(reports, Cancelled: true);

            var predictions = new Dictionary<string, string>();
            if (options.PredictEvery > 0 && (epoch % options.PredictEvery == 0 || epoch == options.NumEpochs))
            {
                foreach (var prefix in options.PredictPrefixes)
                    predictions[prefix] = Predictor.Predict(prefix, options.PredictLength, model, vocab);
            }
            var report = new EpochReport(epoch, options.NumEpochs, Perplexity.FromLossSum(lossSum, tokens), seconds, tokens, predictions);
            reports.Add(report);
            onEpoch?.Invoke(report);
        }
        return new TrainResult(reports, Cancelled: false);
    }

    private static (double LossSum, long Tokens, double Seconds, bool Finished) TrainEpoch(RNNModel model, SeqDataLoader data,
        optim.Optimizer optimizer, double clipTheta, Device device, int epoch, CancellationToken cancellationToken)
    {
        var timer = Stopwatch.StartNew();
        double lossSum = 0;
        long tokens = 0;
        var minibatch = 0;
        RnnState? state = null;
        try
        {
            foreach (var (xCpu, yCpu) in data)
            {
                using var scope = NewDisposeScope();
                using var xOwned = xCpu;
                using var yOwned = yCpu;
                if (cancellationToken.IsCancellationRequested) return (lossSum, tokens, timer.Elapsed.TotalSeconds, false);
                minibatch++;

                if (state is null || data.UseRandomIter)
                {
                    state?.Dispose();
                    state = model.BeginState(data.BatchSize, device);
                }
                // Keep the values, drop the graph: backpropagation stops at this minibatch.
                var input = state.Detach();
                state.Dispose();
                state = null;

                var x = xCpu.to(device);
                var y = yCpu.to(device).T.reshape(-1);
                var (yHat, next) = model.call(x, input);
                state = next.MoveToOuterDisposeScope();
                var loss = nn.functional.cross_entropy(yHat, y);
                var l = loss.item<float>();
                // Checked before the update, so the model keeps the last finite parameters.
                if (!float.IsFinite(l))
                    throw new TrainingDivergedException(
                        $"The loss became {l} at epoch {epoch}, minibatch {minibatch}. The updates are too large: " +
                        "lower the learning rate or the clipping threshold (ClipTheta).");
                optimizer.zero_grad();
                loss.backward();
                GradClipping.Clip(model.parameters(), clipTheta);
                optimizer.step();
                lossSum += (double)l * y.numel();
                tokens += y.numel();
            }
        }
        finally
        {
            state?.Dispose();
        }
        return (lossSum, tokens, timer.Elapsed.TotalSeconds, true);
    }
}

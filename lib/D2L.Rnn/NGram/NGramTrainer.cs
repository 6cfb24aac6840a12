using TorchSharp.Modules;
using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>
/// Trains an N-gram MLP with the same <see cref="TrainOptions"/> as <see cref="Trainer.Train"/> (epochs, optimizer and
/// schedule, clipping, validation, the best weights), so that it can be compared with a recurrent model under the same
/// budget, through the same epoch loop. Predictions and the fast path do not apply.
/// </summary>
public static class NGramTrainer
{
    /// <summary>
    /// Trains <paramref name="mlp"/> on <paramref name="data"/>: mean cross-entropy, clipping on the global gradient norm,
    /// the optimizer's step; after every epoch the schedule and, with <see cref="TrainOptions.Validation"/> (token
    /// indices, read as windows of the loader's length), the validation perplexity. With
    /// <see cref="TrainOptions.RunCheckpoint"/>, a run checkpoint is kept and continued from, as in <see cref="Trainer.Train"/>.
    /// The MLP trains where <see cref="TrainOptions.Device"/> says (by default the GPU that <c>D2L_DEVICE=cuda</c> started,
    /// else where it is), moved there first.
    /// </summary>
    /// <exception cref="CheckpointException">The run checkpoint is damaged, or is the checkpoint of another run.</exception>
    /// <exception cref="TrainingDivergedException">The loss, or the perplexity it implies, became NaN or infinite, or the
    /// weights did; the MLP then holds the weights of the last finished epoch (or of before the run).</exception>
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

        TrainingDevice.MoveTo(mlp, mlp.parameters().First().device,
            TrainingDevice.Target(options.Device, TorchSetup.Choice, () => Devices.TryGpu()), asked: options.Device is not null);
        mlp.train();
        var parameters = mlp.parameters().ToArray();
        using var update = new ParameterUpdate(parameters, options);
        using var step = new NGramTrainingStep(mlp, update, options.ClipTheta);
        var loop = new EpochLoop
        {
            Step = step, Parameters = parameters, Update = update, Data = data, FreshStateEveryMinibatch = true,
            Device = parameters[0].device, Options = options, ModelName = "MLP",
            RunFacts = [("model", "N-gram MLP"), ("parameters", RunIdentity.Parameters(mlp, parameters))],
            Validate = () => NGramEvaluator.Evaluate(mlp, validation!, data.VocabSize, data.Encoding).Perplexity,
        };
        return loop.Run(onEpoch, cancellationToken);
    }
}

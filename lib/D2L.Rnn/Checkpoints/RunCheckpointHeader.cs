using System.Text.Json.Serialization;

namespace D2L.Rnn;

/// <summary>
/// The JSON header of a run checkpoint: which run it is (<see cref="RunIdentity"/>'s facts), where it stood, the
/// reports so far and what the tensors after the header hold.
/// </summary>
/// <param name="Run">The run's facts, name → value.</param>
/// <param name="Reports">The finished epochs' reports.</param>
/// <param name="Minibatches">Minibatches of the epoch in progress already trained.</param>
/// <param name="LossSum">Their Σ loss · tokens.</param>
/// <param name="Tokens">Their tokens.</param>
/// <param name="Seconds">The seconds spent training them.</param>
/// <param name="GradientNorms">Their gradient norms, when recorded.</param>
/// <param name="LearningRate">The learning rate of the epoch in progress (checked against the replayed schedule).</param>
/// <param name="LoaderSeed">The loader's seed.</param>
/// <param name="LoaderEpochs">The epochs the loader had drawn before the epoch in progress.</param>
/// <param name="Best">What the best-weights tracker had followed.</param>
/// <param name="HasBestWeights">Whether the best weights follow the last finished epoch's.</param>
/// <param name="CarriedState">"none", "hidden" or "hidden and cell": the state the next minibatch continues from.</param>
/// <param name="HasOptimizer">Whether the optimizer's state ends the file.</param>
internal sealed record RunCheckpointHeader(
    Dictionary<string, string> Run, SavedEpochReport[] Reports,
    int Minibatches, double LossSum, long Tokens, double Seconds, double[] GradientNorms,
    double LearningRate, int LoaderSeed, int LoaderEpochs, BestWeightsState Best,
    bool HasBestWeights, string CarriedState, bool HasOptimizer);

/// <summary>An <see cref="EpochReport"/> as a run checkpoint keeps it.</summary>
internal sealed record SavedEpochReport(int Epoch, int NumEpochs, double Perplexity, double Seconds, long Tokens,
    Dictionary<string, string> Predictions, double? ValidationPerplexity, double[] GradientNorms, double LearningRate, TrainingPath Path)
{
    public static SavedEpochReport Of(EpochReport r) => new(r.Epoch, r.NumEpochs, r.Perplexity, r.Seconds, r.Tokens,
        new Dictionary<string, string>(r.Predictions), r.ValidationPerplexity, [.. r.GradientNorms], r.LearningRate, r.Path);

    /// <summary>The report again, marked as read back from the run checkpoint.</summary>
    public EpochReport ToReport() => new(Epoch, NumEpochs, Perplexity, Seconds, Tokens, Predictions)
    {
        ValidationPerplexity = ValidationPerplexity, GradientNorms = GradientNorms, LearningRate = LearningRate, Path = Path,
        FromRunCheckpoint = true,
    };
}

// Source-generated, as the model checkpoint's header (trimmed and AOT apps, file-based apps). A best perplexity not yet
// set is infinite: written as "Infinity".
[JsonSourceGenerationOptions(UseStringEnumConverter = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(RunCheckpointHeader))]
internal sealed partial class RunCheckpointJson : JsonSerializerContext;

using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>
/// What makes a training run the run it is — model, data, options — as named, readable facts. A run checkpoint stores
/// them, and a run continues from it only when every fact is the same (the message names each one that differs).
/// </summary>
internal static class RunIdentity
{
    /// <summary>The first 16 hex digits of the SHA-256 of <paramref name="tokens"/> (as little-endian int32).</summary>
    public static string Hash(IReadOnlyList<int> tokens)
    {
        var bytes = new byte[tokens.Count * sizeof(int)];
        for (var i = 0; i < tokens.Count; i++) BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * sizeof(int)), tokens[i]);
        return Short(SHA256.HashData(bytes));
    }

    /// <summary>The same for text (the tokens of a vocabulary, in index order).</summary>
    public static string Hash(IEnumerable<string> texts) => Short(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\0', texts))));

    private static string Short(byte[] hash) => Convert.ToHexStringLower(hash)[..16];

    /// <summary>A number as it is stored and compared: exact, the same in every culture.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A recurrent model: what it is (the configuration of an <see cref="RNNModel"/>) and its parameters.</summary>
    public static IEnumerable<(string Name, string Value)> Of(IRecurrentModel model, Vocab vocab) =>
    [
        ("model", model is RNNModel rnn ? $"RNNModel ({rnn.Config})" : model.GetType().Name),
        ("parameters", Parameters(model as nn.Module, model.parameters())),
        ("vocabulary", $"{vocab.Count} tokens (SHA-256 {Hash(vocab.IdxToToken)})"),
    ];

    /// <summary>The parameters by name (when the model is a module) and shape, in order.</summary>
    public static string Parameters(nn.Module? module, IEnumerable<Parameter> parameters)
    {
        var names = module?.named_parameters().Select(p => p.name).ToArray();
        return string.Join(", ", parameters.Select((p, i) => $"{(names is not null && i < names.Length ? names[i] + " " : "")}({string.Join("×", p.shape)})"));
    }

    /// <summary>The training options that shape the run (all but the number of epochs, which may grow), with the
    /// optimizer and schedule they made.</summary>
    public static IEnumerable<(string Name, string Value)> Of(TrainOptions o, optim.Optimizer? optimizer, optim.lr_scheduler.LRScheduler? schedule) =>
    [
        ("learning rate", Number(o.LearningRate)),
        ("update", optimizer is not null ? $"optimizer {optimizer.GetType().Name}" : "an Updater of your own"),
        ("schedule", schedule?.GetType().Name ?? "none"),
        ("clipping θ", Number(o.ClipTheta)),
        ("validation", o.Validation is { } v ? $"{v.Count} tokens (SHA-256 {Hash(v)}), every {o.ValidateEvery} epochs" : "none"),
        ("best weights", $"{(o.KeepBestWeights ? "kept" : "not kept")}, stop after {o.StopAfterValidationsWithoutImprovement?.ToString() ?? "no"} validations without improvement"),
        ("predictions", o.PredictEvery == 0 || o.PredictPrefixes.Count == 0 ? "none"
            : $"every {o.PredictEvery} epochs, {o.PredictLength} tokens after {string.Join(", ", o.PredictPrefixes.Select(p => $"\"{p}\""))}"),
        ("gradient norms", o.RecordGradientNorms ? "recorded" : "not recorded"),
    ];
}

using System.Text.Json;

namespace D2L.Rnn.Tests.PyTorch;

/// <summary>What d2l_reference.py writes to MODE.json: the settings it used, d2l's vocabulary and each model's numbers.</summary>
public sealed record PythonSummary(string TorchVersion, string[] Vocab, string Prefix, int NumPreds, double StepLr, double StepTheta,
    PythonModelResult[] Models)
{
    public static PythonSummary Read(string path) =>
        JsonSerializer.Deserialize<PythonSummary>(File.ReadAllText(path), new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })
        ?? throw new InvalidDataException($"{path} is empty.");

    public PythonModelResult Model(string name) => Models.Single(m => m.Name == name);
}

/// <summary>One model's numbers: the predicted text (both modes) and, after an export, the loss and the gradient norm.</summary>
public sealed record PythonModelResult(string Name, string Text, double? Loss, double? GradNorm);

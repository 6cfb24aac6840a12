using static TorchSharp.torch;

namespace D2L.Rnn.Tests.PyTorch;

/// <summary>
/// C# → PyTorch: every <see cref="PyTorchCase"/> trained for a few minibatches by <see cref="Trainer.Train"/> and saved
/// with <see cref="PyTorchStateDict.Save"/>, then one run of <c>d2l_reference.py evaluate</c>: PyTorch loads each file
/// into d2l's RNNModel with <c>load_state_dict(strict=True)</c> and saves its scores on the fixed minibatch and its
/// greedy prediction.
/// </summary>
public sealed class CSharpExport : IDisposable
{
    /// <summary>Ten epochs: 80 minibatches of 32 × 35 tokens.</summary>
    public static readonly TrainOptions Training = new() { NumEpochs = 10, PredictEvery = 0 };

    public CSharpExport()
    {
        if (SystemTool.PyTorch.IsSkippedHere) return; // the tests that use it are skipped
        var corpus = PyTorchCase.Corpus;
        foreach (var c in PyTorchCase.All)
        {
            manual_seed(7);
            var model = new RNNModel(c.Config);
            Models[c.Name] = model;
            Trainer.Train(model, new SeqDataLoader(corpus.Indices, batchSize: 32, numSteps: 35, seed: 7), corpus.Vocab, Training);
            PyTorchStateDict.Save(Path.Combine(Folder, c.Name + ".pt"), model);
        }
        var manifest = Path.Combine(Folder, "manifest.json");
        PyTorchCase.WriteManifest(manifest);
        PythonPeer.Run("evaluate", manifest);
        Summary = PythonSummary.Read(Path.Combine(Folder, "evaluate.json"));
    }

    public string Folder { get; } = Directory.CreateTempSubdirectory("d2l-csharp-export-").FullName;

    /// <summary>The trained models, as they were saved.</summary>
    public Dictionary<string, RNNModel> Models { get; } = [];

    public PythonSummary Summary { get; } = null!; // set unless the tests are skipped

    /// <summary>What PyTorch computed for <paramref name="name"/>, by key (in the caller's dispose scope).</summary>
    public Dictionary<string, Tensor> Computed(string name) => PyTorchStateDict.ReadTensors(Path.Combine(Folder, name + "-pytorch.pt"));

    public void Dispose()
    {
        foreach (var model in Models.Values) model.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}

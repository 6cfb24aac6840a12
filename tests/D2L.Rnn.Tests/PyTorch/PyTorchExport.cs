namespace D2L.Rnn.Tests.PyTorch;

/// <summary>
/// PyTorch → C#: one run of <c>d2l_reference.py export</c> for every <see cref="PyTorchCase"/>. PyTorch trains d2l's
/// RNNModel briefly on the Time Machine and saves its weights (<c>NAME.pt</c>, by <c>torch.save(state_dict)</c>) and what
/// it computes from them on a fixed minibatch (<c>NAME-pytorch.pt</c>).
/// </summary>
public sealed class PyTorchExport : IDisposable
{
    public PyTorchExport()
    {
        if (SystemTool.PyTorch.IsSkippedHere) return; // the tests that use it are skipped
        var manifest = Path.Combine(Folder, "manifest.json");
        PyTorchCase.WriteManifest(manifest);
        PythonPeer.Run("export", manifest);
        Summary = PythonSummary.Read(Path.Combine(Folder, "export.json"));
    }

    public string Folder { get; } = Directory.CreateTempSubdirectory("d2l-pytorch-export-").FullName;

    public PythonSummary Summary { get; } = null!; // set unless the tests are skipped

    /// <summary>The state dict file PyTorch wrote for the model <paramref name="name"/>.</summary>
    public string Weights(string name) => Path.Combine(Folder, name + ".pt");

    /// <summary>What PyTorch computed for <paramref name="name"/>, by key (in the caller's dispose scope).</summary>
    public Dictionary<string, TorchSharp.torch.Tensor> Computed(string name) =>
        PyTorchStateDict.ReadTensors(Path.Combine(Folder, name + "-pytorch.pt"));

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

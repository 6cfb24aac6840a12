using System.Collections;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>
/// An <see cref="RNNModel"/>'s weights in PyTorch's own file format, both ways: what
/// <c>torch.save(model.state_dict(), path)</c> writes and what <c>model.load_state_dict(torch.load(path))</c> reads.
/// The names are d2l's (<c>rnn.weight_ih_l0</c> … <c>linear.bias</c>, <c>rnn.weight_ih_l0_reverse</c> … for the reverse
/// direction of a bidirectional layer, and <c>embedding.weight</c> for a model with an embedding), so d2l's PyTorch
/// <c>RNNModel</c> of the same configuration and this library's exchange weights directly.
/// </summary>
/// <remarks>
/// The file holds weights only: build the model with the matching <see cref="ModelConfig"/> (kind, vocabulary size,
/// hidden units, layers, nonlinearity, directions) and use the same vocabulary. To keep the vocabulary and the
/// configuration with the weights, use <see cref="Checkpoint"/>.
/// </remarks>
public static class PyTorchStateDict
{
    /// <summary>
    /// Writes the weights of <paramref name="model"/> to <paramref name="path"/> as PyTorch's <c>torch.save</c> does,
    /// atomically (a temporary file renamed into place). In Python:
    /// <c>model.load_state_dict(torch.load(path))</c>.
    /// </summary>
    /// <param name="path">The file (PyTorch's convention: <c>.pt</c> or <c>.pth</c>); its folder is created.</param>
    /// <param name="model">The model, on any device (its weights are written as CPU tensors).</param>
    public static void Save(string path, RNNModel model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(model);
        using var scope = NewDisposeScope();
        // Plain CPU tensors of their own storage, as in PyTorch's state dict (no gradient, offset 0, contiguous).
        var weights = model.state_dict().ToDictionary(e => e.Key, e => e.Value.detach().cpu().contiguous().clone());
        AtomicFile.Write(path, file => PyTorchPickler.PickleStateDict(file, weights, leaveOpen: true));
    }

    /// <summary>
    /// Copies the weights in a file written by <c>torch.save(model.state_dict(), path)</c> (or by <see cref="Save"/>)
    /// into <paramref name="model"/>, as PyTorch's <c>load_state_dict</c> with <c>strict=True</c>. Every name and shape
    /// is checked first: a file that does not fit changes nothing.
    /// </summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="CheckpointException">The file is not a PyTorch state dict, or its names or shapes do not fit
    /// the model's configuration (the message lists what is missing, extra and mis-shaped).</exception>
    public static void LoadInto(RNNModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"No PyTorch state dict at '{Path.GetFullPath(path)}'.", path);
        using var scope = NewDisposeScope();
        var file = ReadTensors(path);
        var target = model.state_dict();
        var mismatch = StateDictMismatch.Between(
            file.ToDictionary(e => e.Key, e => e.Value.shape), target.ToDictionary(e => e.Key, e => e.Value.shape));
        if (!mismatch.IsEmpty)
            throw new CheckpointException(
                $"'{path}' does not fit a model {model.Config}:{Environment.NewLine}{mismatch.Describe()}{Environment.NewLine}" +
                "Build the RNNModel with the configuration the file was trained with (kind, vocabulary size, hidden units, " +
                "layers, embedding, directions).");
        using var noGrad = no_grad();
        // As PyTorch's load_state_dict: copy_ converts the dtype and the device to the model's.
        foreach (var (name, value) in file) target[name].copy_(value);
    }

    /// <summary>The tensors of a file that <c>torch.save</c> wrote from a dict of tensors, by name (CPU tensors in the
    /// caller's dispose scope).</summary>
    /// <exception cref="CheckpointException">Not such a file, or an entry is not a tensor.</exception>
    internal static Dictionary<string, Tensor> ReadTensors(string path)
    {
        Hashtable table;
        try
        {
            using var stream = File.OpenRead(path);
            table = PyTorchUnpickler.UnpickleStateDict(stream);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new CheckpointException(
                $"'{path}' is not a PyTorch state dict that can be read here ({e.GetType().Name}: {e.Message}). " +
                "Write it with torch.save(model.state_dict(), path) (PyTorch 1.6 or later).", e);
        }
        var tensors = new Dictionary<string, Tensor>();
        var notTensors = new List<string>();
        foreach (DictionaryEntry entry in table)
        {
            if (entry is { Key: string name, Value: Tensor tensor }) tensors[name] = tensor;
            else notTensors.Add($"{entry.Key} ({entry.Value?.GetType().Name ?? "None"})");
        }
        if (notTensors.Count > 0)
            throw new CheckpointException(
                $"'{path}' holds entries that are not tensors: {string.Join(", ", notTensors)}. " +
                "Save the model's state dict itself: torch.save(model.state_dict(), path).");
        return tensors;
    }
}

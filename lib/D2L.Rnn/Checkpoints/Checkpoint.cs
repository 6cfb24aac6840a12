using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using D2L.Rnn.Data;
using D2L.Rnn.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace D2L.Rnn.Checkpoints;

/// <summary>
/// Saves and loads a trained model with its vocabulary and configuration in one file.
/// Layout: a magic line, the length and bytes of a JSON header (config, vocabulary, notes), the TorchSharp
/// state dict, and a SHA-256 of everything before it, so that a damaged file is recognised as such.
/// </summary>
public static class Checkpoint
{
    private static readonly byte[] Magic = "D2L.Rnn checkpoint v1\n"u8.ToArray();

    private sealed record Header(CellKind Kind, int VocabSize, int NumHiddens, int NumLayers, string[] Tokens,
        Dictionary<string, string> Notes);

    /// <summary>
    /// Writes <paramref name="model"/> and <paramref name="vocab"/> to <paramref name="path"/> atomically
    /// (a temporary file renamed into place, so an interrupted save leaves the old file intact).
    /// </summary>
    /// <param name="path">The checkpoint file; its folder is created.</param>
    /// <param name="model">The model to save.</param>
    /// <param name="vocab">Its vocabulary (the same size as the model's).</param>
    /// <param name="notes">Free-form facts to keep with the model (epochs, perplexity, corpus).</param>
    public static void Save(string path, RNNModel model, Vocab vocab, IReadOnlyDictionary<string, string>? notes = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(vocab);
        model.EnsureFits(vocab);

        var c = model.Config;
        var header = JsonSerializer.SerializeToUtf8Bytes(new Header(c.Kind, c.VocabSize, c.NumHiddens, c.NumLayers,
            vocab.IdxToToken.ToArray(), new Dictionary<string, string>(notes ?? new Dictionary<string, string>())));
        using var body = new MemoryStream();
        using (var writer = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(header.Length);
            writer.Write(header);
            model.save(writer);
        }
        var bytes = body.ToArray();
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + $".{Environment.ProcessId}.tmp";
        try
        {
            using (var file = File.Create(tmp))
            {
                file.Write(bytes);
                file.Write(SHA256.HashData(bytes));
                file.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    /// <summary>Reads a checkpoint into a new model (on the CPU) with its vocabulary and notes.</summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="CheckpointException">The file is not a checkpoint, or it is damaged.</exception>
    public static (RNNModel Model, Vocab Vocab, IReadOnlyDictionary<string, string> Notes) Load(string path)
    {
        var (header, weights) = Read(path);
        var model = new RNNModel(new ModelConfig(header.Kind, header.VocabSize, header.NumHiddens, header.NumLayers));
        LoadWeights(model, weights, path);
        return (model, Vocab.FromIndexOrder(header.Tokens), header.Notes);
    }

    /// <summary>Loads a checkpoint's weights into an existing model, which must have the same configuration.</summary>
    /// <exception cref="CheckpointException">Damaged file, or a model of another configuration.</exception>
    public static void LoadInto(RNNModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        var (header, weights) = Read(path);
        var saved = new ModelConfig(header.Kind, header.VocabSize, header.NumHiddens, header.NumLayers);
        if (saved != model.Config)
            throw new CheckpointException($"'{path}' holds a model {saved}, which does not fit this model {model.Config}.");
        LoadWeights(model, weights, path);
    }

    private static (Header Header, byte[] Weights) Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"No checkpoint at '{Path.GetFullPath(path)}'.", path);
        var all = File.ReadAllBytes(path);
        if (all.Length < Magic.Length || !all.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new CheckpointException($"'{path}' is not a D2L.Rnn checkpoint (it does not start with the checkpoint marker).");
        if (all.Length < Magic.Length + 4 + 32 ||
            !SHA256.HashData(all.AsSpan(0, all.Length - 32)).AsSpan().SequenceEqual(all.AsSpan(all.Length - 32)))
            throw new CheckpointException($"'{path}' is damaged: its checksum does not match its contents (truncated or modified).");
        try
        {
            var length = BitConverter.ToInt32(all, Magic.Length);
            var headerStart = Magic.Length + 4;
            var header = JsonSerializer.Deserialize<Header>(all.AsSpan(headerStart, length))
                         ?? throw new CheckpointException($"'{path}' has an empty header.");
            var weightsStart = headerStart + length;
            return (header, all[weightsStart..^32]);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new CheckpointException($"'{path}' has an unreadable header: {e.Message}", e);
        }
    }

    private static void LoadWeights(RNNModel model, byte[] weights, string path)
    {
        var device = model.Device;
        try
        {
            using var reader = new BinaryReader(new MemoryStream(weights));
            model.to(CPU);
            model.load(reader);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new CheckpointException($"'{path}' has weights that do not fit the model: {e.Message}", e);
        }
        finally
        {
            model.to(device);
        }
    }
}

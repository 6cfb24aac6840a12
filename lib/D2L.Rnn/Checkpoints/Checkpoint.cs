using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>
/// Saves and loads a trained model with its vocabulary and configuration in one file.
/// Layout: a magic line, the length and bytes of a JSON header (config, vocabulary, notes), the TorchSharp
/// state dict, and a SHA-256 of everything before it, so that a damaged file is recognised as such.
/// </summary>
/// <remarks>
/// Version 2 names the parameters as d2l does (<c>rnn.*</c>, <c>linear.*</c>, and <c>embedding.weight</c> for a model
/// with an embedding) and records the RNN's nonlinearity, the embedding size (absent: one-hot input) and whether the
/// layer is bidirectional (absent: one direction).
/// Version 1 files (<c>_rnn.*</c>, <c>_dense.*</c>, always tanh) still load.
/// </remarks>
public static class Checkpoint
{
    private static readonly byte[] Magic = "D2L.Rnn checkpoint v2\n"u8.ToArray();
    private static readonly byte[] MagicV1 = "D2L.Rnn checkpoint v1\n"u8.ToArray();

    /// <summary>
    /// Writes <paramref name="model"/> and <paramref name="vocab"/> to <paramref name="path"/> atomically
    /// (a temporary file renamed into place, so an interrupted save leaves the old file intact).
    /// </summary>
    /// <param name="path">The checkpoint file; its folder is created.</param>
    /// <param name="model">The model to save.</param>
    /// <param name="vocab">Its vocabulary (the same size as the model's).</param>
    /// <param name="notes">Free-form facts to keep with the model (epochs, perplexity, corpus).</param>
    /// <param name="preset">The corpus' preprocessing, stored by name so that <see cref="LanguageModel.Load"/> applies it
    /// to new text (null: not stored; <see cref="LanguageModel.Save"/> always stores it).</param>
    public static void Save(string path, RNNModel model, Vocab vocab, IReadOnlyDictionary<string, string>? notes = null,
        TextPreset? preset = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(vocab);
        ModelContract.EnsureFits(model, vocab);

        var c = model.Config;
        var header = JsonSerializer.SerializeToUtf8Bytes(
            new CheckpointHeader(c.Kind, c.VocabSize, c.NumHiddens, c.NumLayers, c.Nonlinearity, vocab.IdxToToken.ToArray(),
                new Dictionary<string, string>(notes ?? new Dictionary<string, string>()), c.EmbeddingSize, preset?.Name,
                c.Bidirectional),
            CheckpointJson.Default.CheckpointHeader);
        using var body = new MemoryStream();
        using (var writer = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(header.Length);
            writer.Write(header);
            model.save(writer);
        }
        var bytes = body.ToArray();
        AtomicFile.Write(path, file =>
        {
            file.Write(bytes);
            file.Write(SHA256.HashData(bytes));
        });
    }

    /// <summary>Reads a checkpoint into a new model (on the CPU) with its vocabulary and notes.</summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="CheckpointException">The file is not a checkpoint, or it is damaged.</exception>
    public static (RNNModel Model, Vocab Vocab, IReadOnlyDictionary<string, string> Notes) Load(string path)
    {
        var (model, vocab, notes, _) = LoadWithPreset(path);
        return (model, vocab, notes);
    }

    /// <summary>As <see cref="Load"/>, with the name of the stored preprocessing (null in files that have none).</summary>
    internal static (RNNModel Model, Vocab Vocab, IReadOnlyDictionary<string, string> Notes, string? Preset) LoadWithPreset(string path)
    {
        var file = Read(path);
        var model = new RNNModel(file.Config);
        LoadWeights(model, file, path);
        return (model, Vocab.FromIndexOrder(file.Header.Tokens), file.Header.Notes, file.Header.Preset);
    }

    /// <summary>Loads a checkpoint's weights into an existing model, which must have the same configuration.</summary>
    /// <exception cref="CheckpointException">Damaged file, or a model of another configuration.</exception>
    public static void LoadInto(RNNModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        var file = Read(path);
        if (file.Config != model.Config)
        {
            var differences = file.Config.Differences(model.Config).Select(d => $"{d.Name} {d.Mine} where this model has {d.Theirs}");
            throw new CheckpointException(
                $"'{path}' does not fit this model: the file has {string.Join(", ", differences)}. The file holds " +
                $"{file.Config}; this model is {model.Config}. Build the model with the file's settings, or use " +
                "Checkpoint.Load(path), which builds a model that fits.");
        }
        LoadWeights(model, file, path);
    }

    private sealed record CheckpointFile(int Version, CheckpointHeader Header, ModelConfig Config, byte[] Weights);

    private static CheckpointFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"No checkpoint at '{Path.GetFullPath(path)}'.", path);
        var all = File.ReadAllBytes(path);
        var version = all.AsSpan().StartsWith(Magic) ? 2 : all.AsSpan().StartsWith(MagicV1) ? 1
            : throw new CheckpointException($"'{path}' is not a D2L.Rnn checkpoint (it does not start with the checkpoint marker).");
        if (all.Length < Magic.Length + 4 + 32 ||
            !SHA256.HashData(all.AsSpan(0, all.Length - 32)).AsSpan().SequenceEqual(all.AsSpan(all.Length - 32)))
            throw new CheckpointException($"'{path}' is damaged: its checksum does not match its contents (truncated or modified).");
        try
        {
            var length = BitConverter.ToInt32(all, Magic.Length);
            var headerStart = Magic.Length + 4;
            var header = JsonSerializer.Deserialize(all.AsSpan(headerStart, length), CheckpointJson.Default.CheckpointHeader)
                         ?? throw new CheckpointException($"'{path}' has an empty header.");
            var config = new ModelConfig(header.Kind, header.VocabSize, header.NumHiddens, header.NumLayers, header.Nonlinearity,
                header.EmbeddingSize, header.Bidirectional);
            config.Validate();
            // Version 1 predates embeddings and bidirectional layers: its layout has no place for them.
            if (version == 1 && config.EmbeddingSize is not null)
                throw new CheckpointException($"'{path}' is a version 1 file, which cannot hold an embedding.");
            if (version == 1 && config.Bidirectional)
                throw new CheckpointException($"'{path}' is a version 1 file, which cannot hold a bidirectional layer.");
            return new CheckpointFile(version, header, config, all[(headerStart + length)..^32]);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new CheckpointException($"'{path}' has an unreadable header: {e.Message}", e);
        }
    }

    private static void LoadWeights(RNNModel model, CheckpointFile file, string path)
    {
        var device = model.Device;
        try
        {
            using var reader = new BinaryReader(new MemoryStream(file.Weights));
            model.to(CPU);
            if (file.Version == 1) LoadVersion1(model, reader);
            else model.load(reader);
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

    // Version 1 named the children _rnn and _dense: load into a module with those names, then copy across.
    private static void LoadVersion1(RNNModel model, BinaryReader reader)
    {
        using var legacy = new Version1Layout(model.Config);
        legacy.load(reader);
        var target = model.state_dict();
        using var noGrad = no_grad();
        foreach (var (name, value) in legacy.state_dict())
            target[name.Replace("_rnn.", "rnn.").Replace("_dense.", "linear.")].copy_(value);
    }

    private sealed class Version1Layout : nn.Module
    {
#pragma warning disable IDE1006, IDE0052 // the names are the state-dict keys of version 1 files
        private readonly nn.Module _rnn;
        private readonly Linear _dense;
#pragma warning restore IDE1006, IDE0052

        public Version1Layout(ModelConfig config) : base("RNNModel")
        {
            _rnn = RecurrentLayer.Create(config);
            _dense = nn.Linear(config.NumHiddens, config.VocabSize, device: CPU);
            RegisterComponents();
        }
    }
}

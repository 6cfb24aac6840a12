using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace D2L.Rnn;

/// <summary>
/// The file of a run checkpoint (<see cref="RunCheckpointOptions"/>), a format of its own beside the model's
/// <see cref="Checkpoint"/>: a magic line, the length and bytes of a JSON header (<see cref="RunCheckpointHeader"/>), the
/// tensors and optimizer state the header announces, and a SHA-256 of everything before it. Written atomically; before
/// a new one replaces it, an intact old one is copied to <c>path.bak</c>, so the last good checkpoint is never lost.
/// </summary>
internal static class RunCheckpointFile
{
    private static readonly byte[] Magic = "D2L.Rnn run checkpoint v1\n"u8.ToArray();

    /// <summary>For tests: called halfway through writing the new file (half its bytes are in the temporary file, the
    /// old file is untouched), so that a test can end the process there.</summary>
    internal static Action? WhileWriting { get; set; }

    /// <summary>Where the checkpoint before the last one is kept.</summary>
    public static string Backup(string path) => path + ".bak";

    /// <summary>Writes the header and <paramref name="body"/> (tensors, optimizer state) to <paramref name="path"/>.</summary>
    public static void Write(string path, RunCheckpointHeader header, Action<BinaryWriter> body)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(header, RunCheckpointJson.Default.RunCheckpointHeader);
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(json.Length);
            writer.Write(json);
            body(writer);
        }
        var bytes = buffer.ToArray();
        if (File.Exists(path) && File.ReadAllBytes(path) is var previous && IsIntact(previous))
            AtomicFile.Write(Backup(path), file => file.Write(previous));
        AtomicFile.Write(path, file =>
        {
            var half = bytes.Length / 2;
            file.Write(bytes, 0, half);
            if (WhileWriting is { } hook)
            {
                file.Flush();
                hook();
            }
            file.Write(bytes, half, bytes.Length - half);
            file.Write(SHA256.HashData(bytes));
        });
    }

    /// <summary>Reads and checks the file: its header, and a reader positioned at the tensors after it.</summary>
    /// <exception cref="CheckpointException">Not a run checkpoint, or damaged (saying whether the one before is intact).</exception>
    public static (RunCheckpointHeader Header, BinaryReader Body) Read(string path)
    {
        var all = File.ReadAllBytes(path);
        if (!all.AsSpan().StartsWith(Magic))
            throw new CheckpointException(
                $"'{path}' is not a D2L.Rnn run checkpoint (it does not start with the run checkpoint marker" +
                $"{(all.AsSpan().StartsWith("D2L.Rnn checkpoint"u8) ? "; it is a model checkpoint, which Checkpoint.Load reads" : "")}). " +
                "Give TrainOptions.RunCheckpoint a file of its own.");
        if (!IsIntact(all)) throw Damaged(path, "its checksum does not match its contents (truncated or modified)");
        try
        {
            var length = BitConverter.ToInt32(all, Magic.Length);
            var start = Magic.Length + sizeof(int);
            var header = JsonSerializer.Deserialize(all.AsSpan(start, length), RunCheckpointJson.Default.RunCheckpointHeader)
                         ?? throw Damaged(path, "its header is empty");
            var body = new BinaryReader(new MemoryStream(all, start + length, all.Length - 32 - start - length, writable: false));
            return (header, body);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw Damaged(path, $"its header cannot be read ({e.Message})");
        }
    }

    private static bool IsIntact(byte[] all) =>
        all.Length >= Magic.Length + sizeof(int) + 32 && all.AsSpan().StartsWith(Magic) &&
        SHA256.HashData(all.AsSpan(0, all.Length - 32)).AsSpan().SequenceEqual(all.AsSpan(all.Length - 32));

    // Says what to do: continue from the one before when it is intact, else start afresh.
    private static CheckpointException Damaged(string path, string why)
    {
        var backup = Backup(path);
        var before = File.Exists(backup) && IsIntact(File.ReadAllBytes(backup))
            ? $"The run checkpoint before it is intact: move '{backup}' to '{path}' to continue from there, or delete both to start the run afresh."
            : "Delete it to start the run afresh.";
        return new CheckpointException($"'{path}' is damaged: {why}. {before}");
    }
}

namespace D2L.Rnn;

/// <summary>Writes files so that a reader, or an interrupted run, never sees half of one. Internal: compiled into the
/// notebook helpers and the notebook runner too (one source).</summary>
internal static class AtomicFile
{
    /// <summary>
    /// Creates the folder of <paramref name="path"/>, lets <paramref name="write"/> fill a temporary file beside it,
    /// and moves that file into place only when <paramref name="write"/> returned: an exception or an interruption
    /// leaves the old file (or none) and no temporary file. Returns the full path.
    /// </summary>
    public static string Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = $"{full}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var file = File.Create(tmp))
            {
                write(file);
                file.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
        return full;
    }

    /// <summary><see cref="Write(string, Action{Stream})"/> for text (UTF-8).</summary>
    public static string WriteAllText(string path, string text) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(text);
        });
}

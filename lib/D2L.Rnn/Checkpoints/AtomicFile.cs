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

    /// <summary>
    /// Deletes the temporary files that a <see cref="Write(string, Action{Stream})"/> of <paramref name="path"/> (or of
    /// a file whose name starts with it) left when its process was killed: those of processes no longer running.
    /// </summary>
    public static void RemoveLeftovers(string path)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder)) return;
        foreach (var tmp in Directory.GetFiles(folder, Path.GetFileName(full) + ".*.tmp"))
        {
            // name.{process id}.{guid}.tmp
            var parts = Path.GetFileName(tmp).Split('.');
            if (parts.Length >= 4 && int.TryParse(parts[^3], out var processId) && !IsRunning(processId)) File.Delete(tmp);
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary><see cref="Write(string, Action{Stream})"/> for text (UTF-8).</summary>
    public static string WriteAllText(string path, string text) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(text);
        });
}

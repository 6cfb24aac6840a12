using System.Security.Cryptography;

namespace D2L.Rnn;

/// <summary>Finds a corpus file: an explicit path, else the data directory, else a verified download into it.</summary>
public static class CorpusFiles
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(5) };

    /// <summary>
    /// The path of <paramref name="corpus"/> on disk, downloading it into <paramref name="dataDirectory"/>
    /// (default <see cref="DataDirectory.Resolve"/>) when it is not there yet.
    /// </summary>
    /// <param name="corpus">Which corpus.</param>
    /// <param name="explicitPath">A file to use as it is (no checksum: it may be your own text).</param>
    /// <param name="dataDirectory">Where to look for and cache the file.</param>
    /// <param name="url">Download from here instead of <see cref="CorpusSource.Url"/> (a mirror).</param>
    /// <param name="log">Receives one line per step (found, downloading, verified).</param>
    /// <exception cref="FileNotFoundException">The explicit path does not exist.</exception>
    /// <exception cref="CorpusNotFoundException">The file is not on disk and the download failed or was not the
    /// expected file (its checksum differs; nothing was written).</exception>
    public static string Locate(CorpusSource corpus, string? explicitPath = null, string? dataDirectory = null,
        Uri? url = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        if (explicitPath is not null)
        {
            return File.Exists(explicitPath)
                ? Path.GetFullPath(explicitPath)
                : throw new FileNotFoundException($"No corpus file at '{Path.GetFullPath(explicitPath)}'.", explicitPath);
        }

        var dir = dataDirectory ?? DataDirectory.Resolve();
        var path = Path.Combine(dir, corpus.FileName);
        if (File.Exists(path))
        {
            log?.Invoke($"Using {corpus.FileName} from the data directory");
            return path;
        }

        var source = url ?? corpus.Url;
        log?.Invoke($"Downloading {corpus.FileName} from {source}");
        try
        {
            Download(source, path, corpus.Sha1);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or UnauthorizedAccessException
                                      or IOException or InvalidDataException)
        {
            throw new CorpusNotFoundException(
                $"'{corpus.FileName}' is not in the data directory '{dir}' and could not be downloaded from " +
                $"{source} ({e.Message}). Download it by hand and put it at '{path}', or set " +
                $"{DataDirectory.EnvironmentVariable} to a folder that has it.", e);
        }
        log?.Invoke(corpus.Sha1 is null ? $"Downloaded (no pinned checksum; SHA-1 {Sha1Of(path)})" : $"Verified SHA-1 {corpus.Sha1}");
        return path;
    }

    /// <summary>
    /// Downloads <paramref name="url"/> to <paramref name="path"/> atomically: the bytes go to a temporary
    /// file beside it, are checked against <paramref name="sha1"/> (when given), and only then renamed into place.
    /// </summary>
    public static void Download(Uri url, string path, string? sha1) =>
        AtomicFile.Write(path, file =>
        {
            using var response = Http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
            response.EnsureSuccessStatusCode();
            using var body = response.Content.ReadAsStream();
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
            var buffer = new byte[81920];
            int n;
            while ((n = body.Read(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                file.Write(buffer, 0, n);
            }
            var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (sha1 is not null && !string.Equals(actual, sha1, StringComparison.OrdinalIgnoreCase))
                throw new InvalidDataException(
                    $"The file downloaded from {url} has SHA-1 {actual}, expected {sha1}; it was discarded.");
        });

    /// <summary>Lower-case hex SHA-1 of a file.</summary>
    public static string Sha1Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA1.HashData(stream));
    }
}

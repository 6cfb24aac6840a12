using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using D2L.Rnn;

namespace D2L.Rnn.Tests;

/// <summary>
/// The downloader against a real HTTP server on loopback. The server listens on <c>http://localhost:PORT/</c>: Windows
/// lets any user listen there, but refuses an address such as 127.0.0.1 without a URL reservation made as administrator.
/// </summary>
public sealed class DownloadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("d2l-dl-").FullName;
    private readonly HttpListener _server = new();
    private readonly string _prefix;
    private readonly byte[] _body = "The Time Traveller (for so it will be convenient to speak of him)"u8.ToArray();
    private int _requests;

    public DownloadTests()
    {
        _prefix = $"http://localhost:{FreePort()}/";
        _server.Prefixes.Add(_prefix);
        _server.Start();
        _ = Task.Run(async () =>
        {
            while (_server.IsListening)
            {
                HttpListenerContext ctx;
                try { ctx = await _server.GetContextAsync(); } catch { return; }
                Interlocked.Increment(ref _requests);
                if (ctx.Request.Url!.AbsolutePath == "/text.txt") await ctx.Response.OutputStream.WriteAsync(_body);
                else ctx.Response.StatusCode = 404;
                ctx.Response.Close();
            }
        });
    }

    public void Dispose()
    {
        _server.Close();
        Directory.Delete(_dir, recursive: true);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private CorpusSource Served(string sha1) => new("text.txt", new Uri(_prefix + "text.txt"), sha1);

    [Fact]
    public void DownloadsVerifiesAndThenUsesTheCachedFile()
    {
        var corpus = Served(Convert.ToHexStringLower(SHA1.HashData(_body)));
        var log = new List<string>();
        var path = CorpusFiles.Locate(corpus, dataDirectory: _dir, log: log.Add);
        Assert.Equal(Path.Combine(_dir, "text.txt"), path);
        Assert.Equal(_body, File.ReadAllBytes(path));
        Assert.Contains(log, l => l.StartsWith("Downloading"));
        Assert.Equal(1, _requests);

        Assert.Equal(path, CorpusFiles.Locate(corpus, dataDirectory: _dir));
        Assert.Equal(1, _requests); // the second call found the file and did not download again
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Fact]
    public void AChecksumMismatchLeavesNothingBehind()
    {
        var corpus = Served("0000000000000000000000000000000000000000");
        var e = Assert.Throws<CorpusNotFoundException>(() => CorpusFiles.Locate(corpus, dataDirectory: _dir));
        Assert.Contains($"SHA-1 {Convert.ToHexStringLower(SHA1.HashData(_body))}, expected 0000000000000000000000000000000000000000", e.Message);
        Assert.Contains(DataDirectory.EnvironmentVariable, e.Message); // and how to put the file in place by hand
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void AnUnreachableHostGivesOneClearErrorNamingFileUrlAndPlace()
    {
        var corpus = new CorpusSource("timemachine.txt", new Uri($"http://localhost:{FreePort()}/timemachine.txt"), CorpusSource.TimeMachine.Sha1);
        var e = Assert.Throws<CorpusNotFoundException>(() => CorpusFiles.Locate(corpus, dataDirectory: _dir));
        Assert.Contains("timemachine.txt", e.Message);
        Assert.Contains(corpus.Url.ToString(), e.Message);
        Assert.Contains(Path.Combine(_dir, "timemachine.txt"), e.Message);
        Assert.Contains(DataDirectory.EnvironmentVariable, e.Message);
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void A404IsTheSameClearError()
    {
        var corpus = new CorpusSource("missing.txt", new Uri(_prefix + "missing.txt"), CorpusSource.TimeMachine.Sha1);
        Assert.Throws<CorpusNotFoundException>(() => CorpusFiles.Locate(corpus, dataDirectory: _dir));
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void AnExplicitPathIsUsedAsItIsOrIsAClearError()
    {
        var own = Path.Combine(_dir, "mine.txt");
        File.WriteAllText(own, "my own text");
        Assert.Equal(own, CorpusFiles.Locate(CorpusSource.TimeMachine, explicitPath: own));
        var e = Assert.Throws<FileNotFoundException>(() => CorpusFiles.Locate(CorpusSource.TimeMachine, explicitPath: own + ".nope"));
        Assert.Contains("mine.txt.nope", e.Message);
        Assert.Equal(0, _requests);
    }
}

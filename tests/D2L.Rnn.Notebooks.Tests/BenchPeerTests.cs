using System.Text.Json;
using System.Text.Json.Nodes;
using D2L.Rnn.Bench;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>
/// The PyTorch peer names the BLAS it multiplies with (bench/pytorch/blas.py on sample /proc/self/maps lines, and
/// the real process with each of Debian's BLAS libraries), and the bench prints no ratio against the reference BLAS.
/// </summary>
[Trait("Category", "Slow")]
public class BenchPeerTests
{
    private const string Debian = "/usr/lib/x86_64-linux-gnu";

    /// <summary>A /proc/self/maps line for <paramref name="path"/>, or an anonymous mapping for null.</summary>
    private static string MapsLine(string? path, int i) =>
        $"7f3c{i:x4}0000-7f3c{i:x4}1000 r-xp 00000000 fe:00 {247_000 + i,-8}                {path}".TrimEnd();

    private static string[] Maps(params string[] paths) =>
        [MapsLine("/usr/bin/python3.11", 0), MapsLine(null, 1), .. paths.Select((p, i) => MapsLine(p, i + 2)),
         "7ffd5e1f0000-7ffd5e211000 rw-p 00000000 00:00 0                          [stack]"];

    public static TheoryData<string, string[], string, string> Samples => new()
    {
        // Debian with libopenblas0-pthread: the alternatives point libblas.so.3 at OpenBLAS.
        { "generic", Maps($"{Debian}/openblas-pthread/libblas.so.3", $"{Debian}/openblas-pthread/liblapack.so.3",
            $"{Debian}/openblas-pthread/libopenblasp-r0.3.21.so"), "openblas", $"{Debian}/openblas-pthread/libblas.so.3" },
        // The reference BLAS forced (LD_LIBRARY_PATH): OpenBLAS's LAPACK still maps libopenblas beside it, unused.
        { "generic", Maps($"{Debian}/blas/libblas.so.3.11.0", $"{Debian}/openblas-pthread/liblapack.so.3",
            $"{Debian}/openblas-pthread/libopenblasp-r0.3.21.so"), "reference", $"{Debian}/blas/libblas.so.3.11.0" },
        // Debian with BLIS chosen by the alternatives: named, not guessed.
        { "generic", Maps($"{Debian}/blis-pthread/libblas.so.3"), "other", $"{Debian}/blis-pthread/libblas.so.3" },
        // conda: libtorch links MKL's runtime library.
        { "mkl", Maps("/opt/conda/lib/libtorch_cpu.so", "/opt/conda/lib/libmkl_rt.so.2"), "mkl", "/opt/conda/lib/libmkl_rt.so.2" },
        // pip's x86 wheel: MKL inside libtorch_cpu.so; NumPy's own OpenBLAS mapped beside it does not decide.
        { "mkl", Maps("/venv/lib/python3.11/site-packages/torch/lib/libtorch_cpu.so",
            "/venv/lib/python3.11/site-packages/numpy.libs/libopenblas64_p-r0-0cf96a72.3.23.dev.so"),
            "mkl", "/venv/lib/python3.11/site-packages/torch/lib/libtorch_cpu.so (linked in)" },
        // A wheel built for OpenBLAS that bundles it.
        { "open", Maps("/venv/lib/python3.11/site-packages/torch/lib/libtorch_cpu.so",
            "/venv/lib/python3.11/site-packages/torch.libs/libopenblasp-r0-f658af2e.3.25.so"),
            "openblas", "/venv/lib/python3.11/site-packages/torch.libs/libopenblasp-r0-f658af2e.3.25.so" },
        // Nothing to go by.
        { "generic", Maps("/venv/lib/libtorch_cpu.so"), "other", "no BLAS library mapped (libtorch built with BLAS_INFO=generic)" },
    };

    [RequiresTheory(Tool.Python)]
    [MemberData(nameof(Samples))]
    public void TheClassifierReadsTheBlasFromMapsLines(string blasInfo, string[] maps, string kind, string library)
    {
        // blas.py needs no torch: any python3 runs it.
        var script = "import json, sys; sys.path.insert(0, sys.argv[1]); import blas; " +
                     "print(json.dumps(blas.classify(blas.mapped_files(json.loads(sys.argv[2])), sys.argv[3])))";
        var (exit, output) = Processes.Run(Repo.Root, TimeSpan.FromMinutes(1), SystemTool.Python.Require(),
            ["-c", script, Path.Combine(Repo.Root, "bench", "pytorch"), JsonSerializer.Serialize(maps), blasInfo]);
        Assert.True(exit == 0, output);
        var result = JsonNode.Parse(output)!.AsArray();
        Assert.Equal(kind, (string)result[0]!);
        Assert.Equal(library, (string)result[1]!);
    }

    [RequiresFact(Tool.DebianPyTorch)]
    public void ThePeerProcessReportsTheBlasTheLoaderChoseAndTheForcedReference()
    {
        // .ci/install-deps installs both; a machine without them cannot run the peer as measured.
        SystemTool.DebianPyTorch.Require();
        (string Blas, string Library) Blas(params (string, string)[] env)
        {
            var (exit, output) = Processes.Run(Repo.Root, TimeSpan.FromMinutes(2), "/usr/bin/python3",
                [Path.Combine(Repo.Root, "bench", "pytorch", "d2l_rnn.py"), "--blas"], [("OPENBLAS_NUM_THREADS", "1"), .. env]);
            Assert.True(exit == 0, output);
            var json = JsonNode.Parse(output.Split('\n').Single(l => l.StartsWith('{')))!;
            Assert.Equal("pytorch.blas", (string)json["what"]!);
            return ((string)json["blas"]!, (string)json["blas_library"]!);
        }

        // Whatever Debian's alternatives chose: the peer names that very file.
        var chosen = File.ResolveLinkTarget($"{Debian}/libblas.so.3", returnFinalTarget: true)?.FullName ?? $"{Debian}/libblas.so.3";
        var (kind, library) = Blas();
        Assert.Equal(chosen, library);
        Assert.Equal(chosen.Contains("/openblas") ? "openblas" : chosen.StartsWith($"{Debian}/blas/") ? "reference" : "other", kind);

        (kind, library) = Blas(("LD_LIBRARY_PATH", $"{Debian}/blas"));
        Assert.Equal("reference", kind);
        Assert.StartsWith($"{Debian}/blas/libblas.so.3", library);
    }

    [Fact]
    public void NoRatioAgainstTheReferenceBlasAndTheWarningNamesTheLibrary()
    {
        var reference = new PeerResult(8_000, "reference", $"{Debian}/blas/libblas.so.3.11.0", "");
        Assert.True(reference.OnReferenceBlas);
        Assert.Null(reference.OursOverPyTorch(240_000));
        Assert.Contains($"{Debian}/blas/libblas.so.3.11.0", reference.ReferenceBlasWarning);
        Assert.Contains("apt-get install libopenblas0-pthread", reference.ReferenceBlasWarning);
        Assert.Contains("D2L_PYTHON", reference.ReferenceBlasWarning);

        foreach (var blas in new[] { "openblas", "mkl", "other" })
        {
            var peer = new PeerResult(93_000, blas, "lib", "");
            Assert.False(peer.OnReferenceBlas);
            Assert.Equal(240_000 / 93_000.0, peer.OursOverPyTorch(240_000)!.Value, 9);
        }
    }
}

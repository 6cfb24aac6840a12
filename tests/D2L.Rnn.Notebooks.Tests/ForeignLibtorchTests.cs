using NotebookRunner;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>
/// A machine with Debian's or Ubuntu's PyTorch (python3-torch) has another libtorch_cpu.so on the loader's path. A
/// notebook must still load TorchSharp's own libraries. The situation is reproduced without installing anything: a
/// decoy libtorch_cpu.so (the system's zlib under libtorch's name) first on LD_LIBRARY_PATH of the notebook engine.
/// </summary>
[Trait("Category", "Slow")]
public class ForeignLibtorchTests
{
    private static readonly string[] Zlib =
        ["/lib/x86_64-linux-gnu/libz.so.1", "/usr/lib/x86_64-linux-gnu/libz.so.1", "/lib/aarch64-linux-gnu/libz.so.1", "/usr/lib64/libz.so.1"];

    [LinuxFact]
    public async Task TheLecturesFirstCellsRunWithADecoyLibtorchFirstOnTheLoaderPath()
    {
        Repo.UseSharedDataWhenPresent();
        var decoy = Repo.NewScratchFolder("decoy-libtorch");
        var zlib = Zlib.FirstOrDefault(File.Exists) ?? throw new InvalidOperationException("No system zlib found to use as a decoy.");
        File.Copy(zlib, Path.Combine(decoy, "libtorch_cpu.so"));
        var before = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH");
        Environment.SetEnvironmentVariable("LD_LIBRARY_PATH", string.IsNullOrEmpty(before) ? decoy : $"{decoy}:{before}");
        try
        {
            // Sections 1 to 4: setup, data, nn.RNN, the state and one pass through the layer.
            var all = NotebookFile.Read(Path.Combine(Repo.Notebooks, "rnn-gluon.dib"));
            var cells = all.Take(all.FindIndex(c => !c.IsCode && c.Source.StartsWith("## 5.", StringComparison.Ordinal))).Where(c => c.IsCode).ToList();
            await using var engine = await InteractiveEngine.StartAsync(Repo.Notebooks, TimeSpan.FromMinutes(3));
            var results = new List<CellResult>();
            foreach (var cell in cells)
            {
                var result = await engine.RunAsync(cell, TimeSpan.FromMinutes(10));
                results.Add(result);
                Assert.True(result.Succeeded, $"{cell.Source}\n→ {result.Error}");
            }
            Assert.Contains("new state (1, 2, 256)", string.Concat(results.Select(r => r.StandardOutput)));
        }
        finally
        {
            Environment.SetEnvironmentVariable("LD_LIBRARY_PATH", before);
            Directory.Delete(decoy, true);
        }
    }
}

using System.Text.Json.Nodes;
using NotebookRunner;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>The committed .ipynb files mirror their .dib sources and hold the outputs of a real run.</summary>
public class NotebookFilesTests
{
    public static TheoryData<string> Notebooks() => new(Directory.GetFiles(Repo.Notebooks, "*.dib").Select(Path.GetFileNameWithoutExtension)!);

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void DibAndIpynbHoldTheSameCells(string name)
    {
        var dib = NotebookFile.Read(Path.Combine(Repo.Notebooks, name + ".dib"));
        var ipynb = NotebookFile.Read(Path.Combine(Repo.Notebooks, name + ".ipynb"));
        Assert.Equal(dib.Select(c => (c.Kind, c.KernelName, c.Source)), ipynb.Select(c => (c.Kind, c.KernelName, c.Source)));
    }

    /// <summary>
    /// The setup every notebook starts with, unchanged (docs/notebooks.md shows it): the library built, TorchSharp's
    /// managed package alone (LibTorch is the one package for this machine that the build restored; TorchSharp-cpu would
    /// restore every platform's), the library, and its setup.
    /// </summary>
    public static readonly string[] SetupCells =
    [
        "#load \"build-library.csx\"",
        """
        #r "nuget: TorchSharp, 0.107.0"
        #r "../lib/D2L.Rnn.Notebooks/bin/Release/net10.0/D2L.Rnn.dll"
        #r "../lib/D2L.Rnn.Notebooks/bin/Release/net10.0/D2L.Rnn.Notebooks.dll"
        D2L.Rnn.Notebooks.NotebookSetup.Initialize();
        """,
    ];

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void EveryNotebookStartsWithTheSetupCells(string name)
    {
        var code = NotebookFile.Read(Path.Combine(Repo.Notebooks, name + ".dib")).Where(c => c.IsCode).Take(2).Select(c => c.Source.Trim());
        Assert.Equal(SetupCells.Select(c => c.ReplaceLineEndings("\n").Trim()), code);
        var guide = File.ReadAllText(Path.Combine(Repo.Root, "docs", "notebooks.md")).ReplaceLineEndings("\n");
        Assert.All(SetupCells, c => Assert.Contains("```\n" + c.ReplaceLineEndings("\n").Trim() + "\n```", guide));
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void TheIpynbOutputsComeFromARunOfTheCurrentCells(string name)
    {
        var path = Path.Combine(Repo.Notebooks, name + ".ipynb");
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        var dib = NotebookFile.Read(Path.Combine(Repo.Notebooks, name + ".dib"));
        Assert.Equal(NotebookFile.CodeHash(dib), (string?)json["metadata"]?["d2l_run"]?["codeSha256"]);
        Assert.Equal(".net-csharp", (string?)json["metadata"]?["kernelspec"]?["name"]);
        var code = json["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "code").ToList();
        Assert.All(code, c => Assert.NotNull((int?)c!["execution_count"]));
        Assert.DoesNotContain(code, c => c!["outputs"]!.AsArray().Any(o => (string?)o!["output_type"] == "error"));
        // Cells that print show what they printed.
        Assert.All(code.Where(c => string.Concat(c!["source"]!.AsArray().Select(s => (string?)s)).Contains("Console.WriteLine")),
            c => Assert.NotEmpty(c!["outputs"]!.AsArray()));
    }
}

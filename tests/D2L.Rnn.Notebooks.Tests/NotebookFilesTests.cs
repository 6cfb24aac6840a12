using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NotebookRunner;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>
/// The committed files of every lesson (<see cref="Lessons.All"/>) belong together: the .ipynb mirrors its .dib and holds
/// the outputs of a run of the current cells, the app is the one generated from the .dib, and every notebook starts with
/// the same setup cells.
/// </summary>
public class NotebookFilesTests
{
    [Fact]
    public void EveryNotebookIsALessonOfTheList()
    {
        var notebooks = Directory.GetFiles(Repo.Notebooks, "*.dib").Select(Path.GetFileNameWithoutExtension).Order();
        Assert.Equal(notebooks, Lessons.All.Select(l => l.Name).Order());
        Assert.All(Lessons.All, l => Assert.True(File.Exists(l.Ipynb) && File.Exists(l.App), $"{l.Name}: its .ipynb or .cs is missing"));
    }

    [Theory]
    [MemberData(nameof(Lessons.Names), MemberType = typeof(Lessons))]
    public void DibAndIpynbHoldTheSameCells(string name)
    {
        var lesson = Lessons.Named(name);
        var dib = NotebookFile.Read(lesson.Dib);
        var ipynb = NotebookFile.Read(lesson.Ipynb);
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
    [MemberData(nameof(Lessons.Names), MemberType = typeof(Lessons))]
    public void EveryNotebookStartsWithTheSetupCells(string name)
    {
        var code = NotebookFile.Read(Lessons.Named(name).Dib).Where(c => c.IsCode).Take(2).Select(c => c.Source.Trim());
        Assert.Equal(SetupCells.Select(c => c.ReplaceLineEndings("\n").Trim()), code);
        var guide = File.ReadAllText(Path.Combine(Repo.Root, "docs", "notebooks.md")).ReplaceLineEndings("\n");
        Assert.All(SetupCells, c => Assert.Contains("```\n" + c.ReplaceLineEndings("\n").Trim() + "\n```", guide));
    }

    [Theory]
    [MemberData(nameof(Lessons.Names), MemberType = typeof(Lessons))]
    public void TheIpynbOutputsComeFromARunOfTheCurrentCells(string name)
    {
        var lesson = Lessons.Named(name);
        var json = JsonNode.Parse(File.ReadAllText(lesson.Ipynb))!;
        var dib = NotebookFile.Read(lesson.Dib);
        Assert.Equal(NotebookFile.CodeHash(dib), (string?)json["metadata"]?["d2l_run"]?["codeSha256"]);
        Assert.Equal(".net-csharp", (string?)json["metadata"]?["kernelspec"]?["name"]);
        var code = json["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "code").ToList();
        Assert.All(code, c => Assert.NotNull((int?)c!["execution_count"]));
        Assert.DoesNotContain(code, c => c!["outputs"]!.AsArray().Any(o => (string?)o!["output_type"] == "error"));
        // Cells that print show what they printed (a top-level Console.Write, at the start of a line: a cell that only
        // defines a function that prints shows nothing until the function is called).
        Assert.All(code.Where(c => string.Concat(c!["source"]!.AsArray().Select(s => (string?)s)).Split('\n').Any(l => l.StartsWith("Console.Write"))),
            c => Assert.NotEmpty(c!["outputs"]!.AsArray()));
        // The charts the lesson shows, in order, each with its picture for renderers that run no script.
        var charts = code.SelectMany(c => c!["outputs"]!.AsArray()).Select(o => o!["data"] as JsonObject)
            .Where(d => d?["text/html"] is { } h && Text(h).Contains("Plotly.newPlot")).ToList();
        Assert.Equal(lesson.Charts, charts.Select(d => ChartJson.Parse(Text(d!["text/html"]!)).Title));
        Assert.All(charts, d => Assert.Contains(StaticChartImage.ImageClass, Text(d!["text/html"]!)));
    }

    /// <summary>The app cannot drift from its notebook: it is generated from it (tools/NotebookRunner --app).</summary>
    [Theory]
    [MemberData(nameof(Lessons.Names), MemberType = typeof(Lessons))]
    public void TheAppIsTheOneGeneratedFromTheNotebook(string name)
    {
        var lesson = Lessons.Named(name);
        Assert.True(FileBasedApp.Generate(lesson.Dib) == File.ReadAllText(lesson.App).ReplaceLineEndings("\n"),
            $"notebooks/{name}.cs is not what notebooks/{name}.dib generates: run\n" +
            $"  dotnet run --project tools/NotebookRunner -c Release -- notebooks/{name}.dib --app notebooks/{name}.cs");
    }

    /// <summary>
    /// The homework says how long its default run takes, and its executed notebook records how long its cells ran
    /// (<c>d2l_run.seconds</c>): no less than the training time its progress lines report.
    /// </summary>
    [Fact]
    public void TheHomeworkRecordsHowLongItsRunTook()
    {
        var ipynb = File.ReadAllText(Lessons.Named("homework8-shakespeare").Ipynb);
        var seconds = (int?)JsonNode.Parse(ipynb)!["metadata"]?["d2l_run"]?["seconds"];
        Assert.NotNull(seconds);
        // "done: 12 epochs trained in 1 h 2 min (planned: …)", one per long cell; rounded to 10 s, or to a minute above 10 min.
        var cells = Regex.Matches(ipynb, @"done: \d+ epochs? trained in (?:(\d+) h ?)?(?:(\d+) min ?)?(?:(\d+) s)? \(planned");
        Assert.Equal(5, cells.Count);
        var trained = cells.Sum(m => 3600 * Whole(m.Groups[1]) + 60 * Whole(m.Groups[2]) + Whole(m.Groups[3]));
        Assert.InRange(seconds.Value, trained - 5 * 30, 24 * 3600);
    }

    [Fact]
    public void ARunsSecondsAreItsCellsDurationsTogetherRoundedUp()
    {
        var cell = new NotebookCell("code", "csharp", "1");
        Assert.Equal(13, NotebookFile.RunSeconds([new CellResult { Cell = cell, Duration = TimeSpan.FromSeconds(2.5) },
            new CellResult { Cell = cell, Duration = TimeSpan.FromSeconds(10.1) }]));
        Assert.Equal(0, NotebookFile.RunSeconds([]));
    }

    private static int Whole(System.Text.RegularExpressions.Group group) => group.Success ? int.Parse(group.Value) : 0;

    private static string Text(JsonNode node) =>
        node is JsonArray lines ? string.Concat(lines.Select(l => (string?)l)) : (string?)node ?? "";
}

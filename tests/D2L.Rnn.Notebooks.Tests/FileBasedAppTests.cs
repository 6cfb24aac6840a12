using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>notebooks/rnn-gluon.cs, the lecture as a .NET 10 file-based app, and the Jupyter kernel spec.</summary>
public class FileBasedAppTests
{
    [Fact]
    public void TheFileBasedAppPrintsTheLectureStepsWithAShortBudget()
    {
        Repo.UseSharedDataWhenPresent();
        var chart = Path.Combine(Repo.Artifacts, "rnn-gluon-perplexity.html");
        var (exit, output) = Processes.Run(Repo.Root, TimeSpan.FromMinutes(10), "dotnet", ["run", "notebooks/rnn-gluon.cs"],
            ("D2L_EPOCHS", "20"));
        Assert.True(exit == 0, output);
        foreach (var line in new[] { "10000 characters, vocabulary of 43 symbols", "state (1, 2, 256)", "input (35, 2, 43)",
                                     "output (35, 2, 256)", "new state (1, 2, 256)", "begin state (1, 2, 256)" })
            Assert.Contains(line, output);
        Assert.Matches(@"(?m)^traveller.{10}$", output); // prediction before training
        var epoch = Regex.Match(output, @"(?m)^epoch 20, perplexity ([\d.]+), time [\d.]+ sec$");
        Assert.True(epoch.Success, output);
        // After 20 epochs the lecture's model is well below a uniform guess over 43 symbols.
        Assert.InRange(double.Parse(epoch.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 1, 20);
        Assert.Contains("20 epochs, ", output);
        Assert.Matches(@"(?m)^time traveller.{50}$", output); // prediction after training
        Assert.Contains($"chart written to {chart}", output);
        Assert.Contains("Plotly.newPlot", File.ReadAllText(chart));
    }

    [Fact]
    public void TheJupyterKernelSpecInstallsAndTheNotebookNamesIt()
    {
        var dir = Directory.CreateTempSubdirectory("kernels-").FullName;
        try
        {
            var (exit, output) = Processes.Run(Repo.Root, TimeSpan.FromMinutes(3), "dotnet", ["interactive", "jupyter", "install", "--path", dir]);
            Assert.True(exit == 0, output);
            var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, ".net-csharp", "kernel.json")))!;
            Assert.Equal(["dotnet", "interactive", "jupyter", "--default-kernel", "csharp"], spec["argv"]!.AsArray().Take(5).Select(a => (string?)a));
            var notebook = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Notebooks, "rnn-gluon.ipynb")))!;
            Assert.Equal(".net-csharp", (string?)notebook["metadata"]!["kernelspec"]!["name"]);
            Assert.Equal((string?)spec["language"], (string?)notebook["metadata"]!["kernelspec"]!["language"]);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}

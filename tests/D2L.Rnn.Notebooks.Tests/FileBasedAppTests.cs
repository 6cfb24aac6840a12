using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>.NET 10 file-based apps: a homework-style script, and the Jupyter kernel spec (the lecture's app: <see cref="LectureAppTests"/>).</summary>
[Trait("Category", "Slow")]
public class FileBasedAppTests
{
    /// <summary>
    /// A homework script as a file-based app: train a few minibatches, save a checkpoint, load it back, predict.
    /// File-based apps turn reflection-based JSON off by default, which checkpoints must not need.
    /// </summary>
    [Fact]
    public void AFileBasedAppSavesLoadsAndPredictsWithACheckpoint()
    {
        Repo.UseSharedDataWhenPresent();
        var dir = Repo.NewScratchFolder("script");
        try
        {
            var project = Path.Combine(Repo.Root, "lib", "D2L.Rnn", "D2L.Rnn.csproj");
            File.WriteAllText(Path.Combine(dir, "homework.cs"), $$"""
                #:project {{project}}
                using D2L.Rnn;

                TorchSetup.Initialize();
                var corpus = TimeMachine.LoadD2l(maxTokens: 3_000);
                var model = new RNNModel(new ModelConfig(CellKind.Lstm, corpus.Vocab.Count, 32));
                var data = new SeqDataLoader(corpus.Indices, batchSize: 8, numSteps: 10, seed: 0);
                var result = Trainer.Train(model, data, corpus.Vocab, new TrainOptions { NumEpochs = 1, PredictEvery = 0 });
                Checkpoint.Save("model.ckpt", model, corpus.Vocab, new Dictionary<string, string> { ["epochs"] = "1" });
                var (loaded, vocab, notes) = Checkpoint.Load("model.ckpt");
                Console.WriteLine($"trained {result.Epochs[^1].Tokens} tokens, saved after {notes["epochs"]} epoch");
                Console.WriteLine($"before: {Predictor.Predict("time traveller", 20, model, corpus.Vocab)}");
                Console.WriteLine($"after:  {Predictor.Predict("time traveller", 20, loaded, vocab)}");
                """);
            var (exit, printed) = Processes.Run(dir, TimeSpan.FromMinutes(10), "dotnet", ["run", "homework.cs"]);
            Assert.True(exit == 0, printed);
            Assert.Matches(@"(?m)^trained \d+ tokens, saved after 1 epoch", printed);
            var before = Regex.Match(printed, @"(?m)^before: (time traveller.{20})\r?$");
            var after = Regex.Match(printed, @"(?m)^after:  (time traveller.{20})\r?$");
            Assert.True(before.Success && after.Success, printed);
            Assert.Equal(before.Groups[1].Value, after.Groups[1].Value);
            Assert.True(File.Exists(Path.Combine(dir, "model.ckpt")));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void TheJupyterKernelSpecInstallsAndTheNotebookNamesIt()
    {
        var dir = Repo.NewScratchFolder("kernels");
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

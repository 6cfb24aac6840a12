using D2L.Rnn;
using TorchSharp;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests;

/// <summary>
/// The training loop of your own that docs/library.md shows: it runs here verbatim (the region below is compared with
/// the document) and must end at the same parameters as <see cref="Trainer"/>'s reference step.
/// </summary>
public class OwnLoopTests
{
    [Fact]
    public void TheDocumentedLoopEndsWhereTheTrainersReferenceStepEnds()
    {
        Environment.SetEnvironmentVariable(DataDirectory.EnvironmentVariable, TestData.Directory);
        #region own-loop
        manual_seed(0);
        var corpus = TimeMachine.LoadD2l(maxTokens: 10_000);
        using var model = new RNNModel(new ModelConfig(CellKind.Gru, corpus.Vocab.Count, 64));
        using var optimizer = optim.Adam(model.parameters(), 0.01);
        var data = new SeqDataLoader(corpus.Indices, batchSize: 32, numSteps: 35, seed: 0);
        for (var epoch = 1; epoch <= 2; epoch++)
        {
            RnnState? state = null;                             // sequential sampling: zero at the start of an epoch
            double lossSum = 0;
            long tokens = 0;
            foreach (var (x, y) in data)
            using (x) using (y) using (NewDisposeScope())     // every tensor of this minibatch is freed after it
            {
                var begin = state?.Detach() ?? model.BeginState(32); // keep the values, cut the graph
                state?.Dispose();
                var (scores, next) = model.call(x, begin);
                state = next.DetachFromDisposeScope();          // carried on to the next minibatch
                var loss = Loss.CrossEntropy(scores, y);        // y as the loader gives it: (batch, steps)
                optimizer.zero_grad();
                loss.backward();
                GradClipping.Clip(model.parameters(), theta: 1);
                optimizer.step();
                lossSum += loss.item<float>() * y.numel();
                tokens += y.numel();
            }
            state?.Dispose();
            Console.WriteLine($"epoch {epoch}, perplexity {Loss.ToPerplexity(lossSum, tokens):F3}");
        }
        #endregion

        manual_seed(0);
        using var reference = new RNNModel(new ModelConfig(CellKind.Gru, corpus.Vocab.Count, 64));
        Trainer.Train(reference, new SeqDataLoader(corpus.Indices, 32, 35, seed: 0), corpus.Vocab, new TrainOptions
        {
            NumEpochs = 2, LearningRate = 0.01, Optimizer = Optimizers.Adam, ClipTheta = 1, PredictEvery = 0, UseFastPath = false,
        });
        foreach (var (ours, theirs) in model.parameters().Zip(reference.parameters()))
            FloatAssert.Close(theirs.data<float>().ToArray(), ours.data<float>().ToArray(), "parameter", atol: 1e-6, rtol: 1e-5);
    }

    [Fact]
    public void TheDocumentShowsTheLoopThatRunsHere()
    {
        static string[] Code(string text) => text.Split('\n').Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith("using D2L", StringComparison.Ordinal) && !l.StartsWith("using TorchSharp", StringComparison.Ordinal)
                        && !l.StartsWith("using static", StringComparison.Ordinal)).ToArray();
        var test = File.ReadAllText(Path.Combine(Root, "tests", "D2L.Rnn.Tests", "OwnLoopTests.cs"));
        var start = test.IndexOf("#region own-loop", StringComparison.Ordinal) + "#region own-loop".Length;
        var region = Code(test[start..test.IndexOf("#endregion", StringComparison.Ordinal)]);
        var blocks = File.ReadAllText(Path.Combine(Root, "docs", "library.md")).Split("```");
        var shown = blocks.Where((_, i) => i % 2 == 1).SingleOrDefault(b => b.Contains("Loss.CrossEntropy(scores, y)"));
        Assert.True(shown is not null, "docs/library.md has no code block with the training loop of your own");
        Assert.Equal(region, Code(shown!.StartsWith("csharp") ? shown[6..] : shown));
    }

    [Fact]
    public void TheLossReadsTheLabelsInTheScoresOrder()
    {
        // Two sequences of three steps; scores are time-major (row t·batch + b) and certain of one token each.
        using var y = tensor(new long[] { 0, 1, 2, 3, 4, 5 }, [2, 3]);
        var timeMajor = new long[] { 0, 3, 1, 4, 2, 5 };
        using var scores = nn.functional.one_hot(tensor(timeMajor), 6).to(float32) * 50;
        Assert.True(Loss.CrossEntropy(scores, y).item<float>() < 1e-6);
        // y.T.reshape(-1) by hand is exactly what the helper guards against: it is refused, not mis-scored.
        var e = Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(scores, y.T.reshape(-1)));
        Assert.Equal("y", e.ParamName);
        Assert.Contains("(batch, steps)", e.Message);
        using var wrongRows = zeros(5, 6);
        e = Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(wrongRows, y));
        Assert.Equal("scores", e.ParamName);
    }

    private static string Root => D2L.Rnn.Notebooks.Repository.FindRoot(AppContext.BaseDirectory)!;
}

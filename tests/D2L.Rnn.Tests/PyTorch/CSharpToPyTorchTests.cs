using Xunit.Abstractions;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests.PyTorch;

/// <summary>
/// Weights trained in C# and saved with <see cref="PyTorchStateDict.Save"/> load into d2l's PyTorch RNNModel
/// (strictly: every name and shape) and give there the scores and the greedy text they give here.
/// </summary>
[Trait("Category", "Slow")]
public sealed class CSharpToPyTorchTests(CSharpExport export, ITestOutputHelper output) : IClassFixture<CSharpExport>
{
    private const double Relative = 1e-4, TopTwoGap = 1e-3;

    public static TheoryData<string> Names => PyTorchCase.Names;

    [RequiresTheory(Tool.PyTorch)]
    [MemberData(nameof(Names))]
    public void PyTorchLoadsTheWeightsAndComputesTheSameScoresStateAndText(string name)
    {
        using var scope = NewDisposeScope();
        var model = export.Models[name];
        var vocab = PyTorchCase.Corpus.Vocab;
        Assert.Equal(vocab.IdxToToken, export.Summary.Vocab);
        var pytorch = export.Computed(name);

        var (scores, state) = model.call(pytorch["X"], model.BeginState((int)pytorch["X"].shape[0]));
        var differences = new List<double> { Differences.Relative(scores, pytorch["output"]), Differences.Relative(state.Hidden, pytorch["state.h"]) };
        if (state.Cell is { } cell) differences.Add(Differences.Relative(cell, pytorch["state.c"]));
        Differences.AtMost(Relative, differences.Max(), "scores and state");

        var pytorchScores = pytorch["predict_scores"];
        var gap = PredictionScores.SmallestTopTwoGap(pytorchScores);
        Assert.True(gap > TopTwoGap, $"PyTorch's top two scores come within {gap:E2} at some step: exact text is not a fair demand");
        var text = Predictor.Predict(export.Summary.Prefix, export.Summary.NumPreds, model, vocab);
        Assert.Equal(text, export.Summary.Model(name).Text);
        var predictionDifference = Differences.Relative(PredictionScores.Along(model, vocab, text, export.Summary.Prefix.Length), pytorchScores);
        Differences.AtMost(Relative, predictionDifference, "prediction scores");
        output.WriteLine($"{name}: \"{text}\", scores/state {string.Join(" / ", differences.Select(d => d.ToString("E2")))}, " +
                         $"prediction scores {predictionDifference:E2}, smallest top-two gap {gap:E2}");
    }
}

using Xunit.Abstractions;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests.PyTorch;

/// <summary>
/// Weights that d2l's PyTorch RNNModel trained, loaded into <see cref="RNNModel"/>: both training paths compute what
/// PyTorch computed from them on the same minibatch, and greedy prediction writes the same text. Relative differences
/// are max|ours − PyTorch| / max|PyTorch| per tensor (<see cref="Differences.Relative(Tensor, Tensor)"/>).
/// </summary>
[Trait("Category", "Slow")]
public sealed class PyTorchToCSharpTests(PyTorchExport export, ITestOutputHelper output) : IClassFixture<PyTorchExport>
{
    private const double Relative = 1e-4, StepAbsolute = 1e-6, TopTwoGap = 1e-3;
    private const int Batch = 32, Steps = 35;

    public static TheoryData<string> Names => PyTorchCase.Names;

    public static TheoryData<TrainingPath, string> PathsAndNames
    {
        get
        {
            var data = new TheoryData<TrainingPath, string>();
            foreach (var path in Enum.GetValues<TrainingPath>())
                // The fast path declines a bidirectional model (BidirectionalTests): the reference path alone takes it.
                foreach (var c in PyTorchCase.All.Where(c => path == TrainingPath.Reference || !c.Bidirectional)) data.Add(path, c.Name);
            return data;
        }
    }

    private RNNModel Load(string name)
    {
        var model = new RNNModel(PyTorchCase.Named(name).Config);
        PyTorchStateDict.LoadInto(model, export.Weights(name));
        return model;
    }

    [RequiresFact(Tool.PyTorch)]
    public void PyTorchBuiltD2lsVocabularyAsTheLibraryDoes()
    {
        var vocab = PyTorchCase.Corpus.Vocab;
        Assert.Equal(vocab.IdxToToken, export.Summary.Vocab);
        Assert.Equal(PyTorchCase.VocabSize, vocab.Count);
    }

    [RequiresTheory(Tool.PyTorch)]
    [MemberData(nameof(Names))]
    public void TheLoadedModelHoldsPyTorchsWeightsAndGivesItsScoresAndState(string name)
    {
        using var scope = NewDisposeScope();
        using var model = Load(name);
        var weights = PyTorchStateDict.ReadTensors(export.Weights(name));
        Assert.Equal(weights.Keys.Order(), model.state_dict().Keys.Order());
        foreach (var (key, value) in model.state_dict())
            Assert.True(value.equal(weights[key]).all().item<bool>(), $"{key} was not copied exactly");

        var pytorch = export.Computed(name);
        var (scores, state) = model.call(pytorch["X"], model.BeginState(Batch));
        var differences = new List<string>
        {
            Compare("scores", scores, pytorch["output"]),
            Compare("state h", state.Hidden, pytorch["state.h"]),
        };
        if (state.Cell is { } cell) differences.Add(Compare("state c", cell, pytorch["state.c"]));
        else Assert.False(pytorch.ContainsKey("state.c"));
        output.WriteLine($"{name}: {string.Join(", ", differences)}");
    }

    [RequiresFact(Tool.PyTorch)]
    public void PyTorchsFileOfAnotherConfigurationIsRefusedWithWhatDoesNotFit()
    {
        using var oneLayer = new RNNModel(PyTorchCase.Named("lstm").Config);
        var message = Assert.Throws<CheckpointException>(() => PyTorchStateDict.LoadInto(oneLayer, export.Weights("lstm-2-layers"))).Message;
        Assert.Contains("not in the model: rnn.bias_hh_l1 (file [512]), rnn.bias_ih_l1 (file [512]), " +
                        "rnn.weight_hh_l1 (file [512, 128]), rnn.weight_ih_l1 (file [512, 128])", message);
        using var gru = new RNNModel(PyTorchCase.Named("gru").Config);
        message = Assert.Throws<CheckpointException>(() => PyTorchStateDict.LoadInto(gru, export.Weights("rnn-tanh"))).Message;
        Assert.Contains("mis-shaped: rnn.weight_ih_l0 (file [128, 28], model [384, 28])", message);
    }

    [RequiresTheory(Tool.PyTorch)]
    [InlineData("whole-model.pt", "contains the entire model")]  // torch.save(net)
    [InlineData("nested.pt", "entries that are not tensors: ")]  // torch.save({"model": net.state_dict(), "epoch": 3})
    [InlineData("legacy.pt", "old PyTorch format")]              // _use_new_zipfile_serialization=False
    public void PyTorchsFilesThatAreNotAStateDictAreRefusedWithWhatToDo(string file, string reason)
    {
        using var model = new RNNModel(PyTorchCase.All[0].Config);
        var message = Assert.Throws<CheckpointException>(() => PyTorchStateDict.LoadInto(model, Path.Combine(export.Folder, file))).Message;
        Assert.Contains(reason, message);
        Assert.Contains("torch.save(model.state_dict(), path)", message);
    }

    [RequiresTheory(Tool.PyTorch)]
    [MemberData(nameof(PathsAndNames))]
    public void OneMinibatchGivesPyTorchsLossGradientsAndClippedSgdStep(TrainingPath path, string name)
    {
        using var scope = NewDisposeScope();
        using var model = Load(name);
        var pytorch = export.Computed(name);
        var result = export.Summary.Model(name);
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using var step = new TrainingPathStep(path, model, Batch, Steps, export.Summary.StepLr, export.Summary.StepTheta);

        var loss = Differences.Relative(step.LossAndGradients(pytorch["X"], pytorch["Y"]), result.Loss!.Value);
        Differences.AtMost(Relative, loss, "loss");
        var gradients = step.Gradients();
        Assert.Equal(pytorch.Keys.Where(k => k.StartsWith("grad.")).Order(), gradients.Keys.Select(k => "grad." + k).Order());
        var worstGradient = gradients.Max(g =>
        {
            var difference = Differences.Relative(g.Value, pytorch["grad." + g.Key]);
            Differences.AtMost(Relative, difference, $"gradient of {g.Key}");
            return difference;
        });

        var norm = Differences.Relative(step.ClippedSgdStep(), result.GradNorm!.Value);
        Differences.AtMost(Relative, norm, "global gradient norm");
        var worstStep = 0.0;
        var largestMove = 0.0;
        foreach (var (key, parameter) in model.named_parameters())
        {
            var expected = pytorch["stepped." + key];
            var difference = Differences.Absolute(parameter, expected);
            Differences.AtMost(StepAbsolute, difference, $"{key} after the step");
            worstStep = Math.Max(worstStep, difference);
            largestMove = Math.Max(largestMove, Differences.Absolute(before[key], expected));
        }
        // The step itself is far larger than the tolerance: comparing after it says something about the step.
        Assert.True(largestMove > 100 * StepAbsolute, $"the step moved no weight by more than {largestMove:E2}");
        output.WriteLine($"{name}, {path} path: loss {loss:E2}, gradients {worstGradient:E2} (largest over parameters), " +
                         $"norm {norm:E2}, after the step {worstStep:E2} absolute (the step moved weights by up to {largestMove:E2})");
    }

    [RequiresTheory(Tool.PyTorch)]
    [MemberData(nameof(Names))]
    public void GreedyPredictionWritesPyTorchsTextCharacterForCharacter(string name)
    {
        using var scope = NewDisposeScope();
        using var model = Load(name);
        var vocab = PyTorchCase.Corpus.Vocab;
        var expected = export.Summary.Model(name).Text;
        var pytorchScores = export.Computed(name)["predict_scores"];
        var pytorchGap = PredictionScores.SmallestTopTwoGap(pytorchScores);
        Assert.True(pytorchGap > TopTwoGap, $"PyTorch's top two scores come within {pytorchGap:E2} at some step: exact text is not a fair demand");

        var text = Predictor.Predict(export.Summary.Prefix, export.Summary.NumPreds, model, vocab);
        Assert.Equal(expected, text);
        var scores = PredictionScores.Along(model, vocab, text, export.Summary.Prefix.Length);
        var difference = Compare("prediction scores", scores, pytorchScores);
        output.WriteLine($"{name}: \"{text}\", {difference}, smallest top-two gap {pytorchGap:E2}");
    }

    private static string Compare(string what, Tensor ours, Tensor pytorch)
    {
        var difference = Differences.Relative(ours, pytorch);
        Differences.AtMost(Relative, difference, what);
        return $"{what} {difference:E2}";
    }
}

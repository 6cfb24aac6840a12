using System.Collections;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests.PyTorch;

/// <summary><see cref="PyTorchStateDict"/> within C#: round trips, atomic writes and the errors for files that do not fit.</summary>
public sealed class PyTorchStateDictTests : IDisposable
{
    private const int Vocab = 11, Hiddens = 6;
    private readonly string _dir = Directory.CreateTempSubdirectory("d2l-pytorch-state-dict-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static RNNModel NewModel(int seed, CellKind kind, int layers = 1, int? embedding = null, Nonlinearity nonlinearity = Nonlinearity.Tanh,
        bool bidirectional = false)
    {
        manual_seed(seed);
        return new RNNModel(new ModelConfig(kind, Vocab, Hiddens, layers, nonlinearity, embedding, bidirectional));
    }

    [Theory]
    [InlineData(CellKind.Rnn, 1, null, Nonlinearity.ReLU)]
    [InlineData(CellKind.Gru, 2, null, Nonlinearity.Tanh)]
    [InlineData(CellKind.Lstm, 2, null, Nonlinearity.Tanh)]
    [InlineData(CellKind.Lstm, 1, 5, Nonlinearity.Tanh)] // an embedding model: embedding.weight travels too
    [InlineData(CellKind.Lstm, 2, null, Nonlinearity.Tanh, true)] // the reverse direction's rnn.*_reverse travel too
    public void SaveThenLoadIntoAModelOfTheSameConfigurationGivesIdenticalOutputs(CellKind kind, int layers, int? embedding, Nonlinearity nonlinearity,
        bool bidirectional = false)
    {
        using var saved = NewModel(1, kind, layers, embedding, nonlinearity, bidirectional);
        using var loaded = NewModel(2, kind, layers, embedding, nonlinearity, bidirectional);
        var path = PathOf("model.pt");
        PyTorchStateDict.Save(path, saved);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));

        // The file is PyTorch's: a zip archive whose entries hold one tensor each, named as the model's state dict.
        using (var scope = NewDisposeScope())
        {
            var tensors = PyTorchStateDict.ReadTensors(path);
            Assert.Equal(saved.state_dict().Keys.Order(), tensors.Keys.Order());
            Assert.All(tensors.Values, t => Assert.False(t.requires_grad));
        }
        PyTorchStateDict.LoadInto(loaded, path);
        ModelAssert.SameOutputsAndStates(saved, loaded, Vocab);
        Assert.All(loaded.parameters(), p => Assert.True(p.requires_grad)); // still trainable
    }

    [Fact]
    public void SavingOverAFileReplacesItWhole()
    {
        var path = PathOf("sub/folder/model.pt");
        using var small = NewModel(1, CellKind.Rnn);
        using var large = NewModel(1, CellKind.Lstm, 2);
        PyTorchStateDict.Save(path, large);
        PyTorchStateDict.Save(path, small);
        using var loaded = NewModel(3, CellKind.Rnn);
        PyTorchStateDict.LoadInto(loaded, path);
        ModelAssert.SameOutputsAndStates(small, loaded, Vocab);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void AFileOfAnotherConfigurationListsWhatIsMissingExtraAndMisShapedAndChangesNothing()
    {
        using var twoLayerLstm = NewModel(1, CellKind.Lstm, 2);
        var path = PathOf("lstm2.pt");
        PyTorchStateDict.Save(path, twoLayerLstm);
        using var gru = NewModel(2, CellKind.Gru);
        var before = gru.parameters().Select(p => p.detach().clone()).ToArray();

        var message = Assert.Throws<CheckpointException>(() => PyTorchStateDict.LoadInto(gru, path)).Message;
        Assert.Contains("not in the model: rnn.bias_hh_l1 (file [24]), rnn.bias_ih_l1 (file [24]), rnn.weight_hh_l1 (file [24, 6]), rnn.weight_ih_l1 (file [24, 6])", message);
        Assert.Contains("mis-shaped: rnn.weight_ih_l0 (file [24, 11], model [18, 11]), rnn.weight_hh_l0 (file [24, 6], model [18, 6]), " +
                        "rnn.bias_ih_l0 (file [24], model [18]), rnn.bias_hh_l0 (file [24], model [18])", message);
        Assert.DoesNotContain("linear.", message);
        Assert.DoesNotContain("missing from", message);
        Assert.Contains("Build the RNNModel with the configuration", message);
        foreach (var (p, b) in gru.parameters().Zip(before)) Assert.True(p.equal(b).all().item<bool>(), "a failed load changed the model");

        // The other way round: what the file lacks.
        PyTorchStateDict.Save(path, NewModel(3, CellKind.Lstm));
        message = Assert.Throws<CheckpointException>(() => PyTorchStateDict.LoadInto(twoLayerLstm, path)).Message;
        Assert.Contains("missing from the file: rnn.weight_ih_l1 (model [24, 6]), rnn.weight_hh_l1 (model [24, 6]), " +
                        "rnn.bias_ih_l1 (model [24]), rnn.bias_hh_l1 (model [24])", message);
    }

    [Fact]
    public void AnEmbeddingModelsFileDoesNotFitAOneHotModel()
    {
        using var embedded = NewModel(1, CellKind.Gru, embedding: 4);
        var path = PathOf("embedded.pt");
        PyTorchStateDict.Save(path, embedded);
        using var oneHot = NewModel(1, CellKind.Gru);
        var message = Assert.Throws<CheckpointException>(() => PyTorchStateDict.LoadInto(oneHot, path)).Message;
        Assert.Contains("not in the model: embedding.weight (file [11, 4])", message);
        Assert.Contains("mis-shaped: rnn.weight_ih_l0 (file [18, 4], model [18, 11])", message);
    }

    [Fact]
    public void ABidirectionalModelsFileNamesTheReverseDirectionAsPyTorchAndDoesNotFitAOneDirectionalModel()
    {
        using var bidirectional = NewModel(1, CellKind.Gru, bidirectional: true);
        var path = PathOf("bidirectional.pt");
        PyTorchStateDict.Save(path, bidirectional);
        // PyTorch's names, in PyTorch's order (each layer's forward direction, then its reverse).
        Assert.Equal(["rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "rnn.weight_ih_l0_reverse",
            "rnn.weight_hh_l0_reverse", "rnn.bias_ih_l0_reverse", "rnn.bias_hh_l0_reverse", "linear.weight", "linear.bias"],
            bidirectional.state_dict().Keys);
        using (var scope = NewDisposeScope())
            Assert.Equal(bidirectional.state_dict().Keys.Order(), PyTorchStateDict.ReadTensors(path).Keys.Order());
        using var oneWay = NewModel(1, CellKind.Gru);
        var message = Assert.Throws<CheckpointException>(() => PyTorchStateDict.LoadInto(oneWay, path)).Message;
        Assert.Contains("not in the model: rnn.bias_hh_l0_reverse (file [18]), rnn.bias_ih_l0_reverse (file [18]), " +
                        "rnn.weight_hh_l0_reverse (file [18, 6]), rnn.weight_ih_l0_reverse (file [18, 11])", message);
        Assert.Contains("mis-shaped: linear.weight (file [11, 12], model [11, 6])", message);
    }

    [Fact]
    public void AFileThatIsNotAStateDictIsAClearError()
    {
        using var model = NewModel(1, CellKind.Rnn);
        Assert.Throws<FileNotFoundException>(() => PyTorchStateDict.LoadInto(model, PathOf("missing.pt")));

        var path = PathOf("model.pt");
        File.WriteAllText(path, "hello");
        var message = Assert.Throws<CheckpointException>(() => PyTorchStateDict.LoadInto(model, path)).Message;
        Assert.Contains("is not a PyTorch state dict", message);
        Assert.Contains("torch.save(model.state_dict(), path)", message);

        // A dict holding more than tensors, as torch.save({"model": ..., "epoch": 3}) writes.
        using (var stream = File.Create(path))
            PyTorchPickler.PickleStateDict(stream, new Hashtable { ["linear.bias"] = zeros(Vocab), ["epoch"] = 3 });
        message = Assert.Throws<CheckpointException>(() => PyTorchStateDict.LoadInto(model, path)).Message;
        Assert.Contains("not tensors: epoch (Int32)", message);
    }

    [Fact]
    public void BadArgumentsNameTheArgument()
    {
        using var model = NewModel(1, CellKind.Rnn);
        Assert.Equal("path", Assert.ThrowsAny<ArgumentException>(() => PyTorchStateDict.Save(" ", model)).ParamName);
        Assert.Equal("model", Assert.Throws<ArgumentNullException>(() => PyTorchStateDict.Save(PathOf("m.pt"), null!)).ParamName);
        Assert.Equal("model", Assert.Throws<ArgumentNullException>(() => PyTorchStateDict.LoadInto(null!, PathOf("m.pt"))).ParamName);
        Assert.Equal("path", Assert.ThrowsAny<ArgumentException>(() => PyTorchStateDict.LoadInto(model, "")).ParamName);
    }
}

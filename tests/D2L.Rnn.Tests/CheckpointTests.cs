using D2L.Rnn;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("d2l-ckpt-").FullName;
    private static readonly Vocab Vocab = new("to be or not to be".Select(c => c.ToString()));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(CellKind.Rnn, 1, Nonlinearity.Tanh)]
    [InlineData(CellKind.Rnn, 1, Nonlinearity.ReLU)]
    [InlineData(CellKind.Gru, 1, Nonlinearity.Tanh)]
    [InlineData(CellKind.Lstm, 2, Nonlinearity.Tanh)]
    [InlineData(CellKind.Lstm, 2, Nonlinearity.Tanh, true)]
    [InlineData(CellKind.Rnn, 1, Nonlinearity.ReLU, true)]
    public void SaveThenLoadGivesIdenticalOutputs(CellKind kind, int layers, Nonlinearity nonlinearity, bool bidirectional = false)
    {
        manual_seed(12);
        using var model = new RNNModel(new ModelConfig(kind, Vocab.Count, 10, layers, nonlinearity, Bidirectional: bidirectional));
        var path = Path.Combine(_dir, "m.ckpt");
        Checkpoint.Save(path, model, Vocab, new Dictionary<string, string> { ["epochs"] = "7" });

        var (loaded, vocab, notes) = Checkpoint.Load(path);
        using (loaded)
        {
            Assert.Equal(model.Config, loaded.Config);
            Assert.Equal(Vocab.IdxToToken, vocab.IdxToToken);
            Assert.Equal("7", notes["epochs"]);
            ModelAssert.SameOutputsAndStates(model, loaded, Vocab.Count);
        }
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Fact]
    public void ACorruptOrForeignFileIsAClearError()
    {
        using var model = new RNNModel(new ModelConfig(CellKind.Rnn, Vocab.Count, 10));
        var path = Path.Combine(_dir, "m.ckpt");
        Checkpoint.Save(path, model, Vocab);
        var bytes = File.ReadAllBytes(path);

        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
        Assert.Contains("damaged", Assert.Throws<CheckpointException>(() => Checkpoint.Load(path)).Message);

        File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]);
        Assert.Contains("damaged", Assert.Throws<CheckpointException>(() => Checkpoint.Load(path)).Message);

        File.WriteAllText(path, "hello");
        Assert.Contains("not a D2L.Rnn checkpoint", Assert.Throws<CheckpointException>(() => Checkpoint.Load(path)).Message);

        Assert.Throws<FileNotFoundException>(() => Checkpoint.Load(Path.Combine(_dir, "missing.ckpt")));
    }

    [Fact]
    public void LoadingIntoAModelOfAnotherShapeIsAClearError()
    {
        using var model = new RNNModel(new ModelConfig(CellKind.Rnn, Vocab.Count, 10));
        var path = Path.Combine(_dir, "m.ckpt");
        Checkpoint.Save(path, model, Vocab);
        using var other = new RNNModel(new ModelConfig(CellKind.Gru, Vocab.Count, 10));
        var e = Assert.Throws<CheckpointException>(() => Checkpoint.LoadInto(other, path));
        Assert.Equal($"'{path}' does not fit this model: the file has Kind Rnn where this model has Gru. The file holds " +
                     "RNN (tanh), 8 tokens, 10 hidden units, 1 layer, one-hot input; this model is GRU, 8 tokens, 10 hidden units, " +
                     "1 layer, one-hot input. Build the model with the file's settings, or use Checkpoint.Load(path), which builds " +
                     "a model that fits.", e.Message);

        // An embedding that one side lacks reads as one-hot input, never as an empty value.
        using var embedded = new RNNModel(new ModelConfig(CellKind.Rnn, Vocab.Count, 10, EmbeddingSize: 4));
        var message = Assert.Throws<CheckpointException>(() => Checkpoint.LoadInto(embedded, path)).Message;
        Assert.Contains("the file has EmbeddingSize none (one-hot input) where this model has 4.", message);
        Assert.Contains("this model is RNN (tanh), 8 tokens, 10 hidden units, 1 layer, embedding of 4.", message);
        Assert.DoesNotContain("= ,", message);
    }

    [Fact]
    public void BidirectionalIsInTheHeaderOnlyWhenTrueAndAOneDirectionalModelIsToldTheDifference()
    {
        using var oneWay = new RNNModel(new ModelConfig(CellKind.Lstm, Vocab.Count, 10));
        using var bothWays = new RNNModel(new ModelConfig(CellKind.Lstm, Vocab.Count, 10, Bidirectional: true));
        var oneWayPath = Path.Combine(_dir, "one-way.ckpt");
        var bothWaysPath = Path.Combine(_dir, "both-ways.ckpt");
        Checkpoint.Save(oneWayPath, oneWay, Vocab);
        Checkpoint.Save(bothWaysPath, bothWays, Vocab);
        // Files of one-directional models are byte for byte what they were before the flag existed.
        Assert.DoesNotContain("Bidirectional", System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(oneWayPath)));
        Assert.Contains("\"Bidirectional\":true", System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(bothWaysPath)));

        var message = Assert.Throws<CheckpointException>(() => Checkpoint.LoadInto(oneWay, bothWaysPath)).Message;
        Assert.Contains("the file has Bidirectional true where this model has false.", message);
        Assert.Contains("The file holds LSTM, 8 tokens, 10 hidden units, 1 layer, bidirectional, one-hot input;", message);
        Checkpoint.LoadInto(bothWays, bothWaysPath);
    }

    [Fact]
    public void AConfigurationReadsAsWords() =>
        Assert.Equal("LSTM, 28 tokens, 256 hidden units, 2 layers, embedding of 8",
            new ModelConfig(CellKind.Lstm, 28, 256, 2, EmbeddingSize: 8).ToString());

    /// <summary>
    /// Files written by version 1 of the format (children named _rnn and _dense, no nonlinearity), made with the
    /// library as it was then: each recorded its own prediction and perplexity on the first 500 tokens.
    /// </summary>
    [Theory]
    [InlineData("v1-rnn.ckpt", CellKind.Rnn, 1)]
    [InlineData("v1-lstm-2-layers.ckpt", CellKind.Lstm, 2)]
    public void Version1FilesStillLoadAndPredictWhatTheyDidWhenSaved(string file, CellKind kind, int layers)
    {
        var (model, vocab, notes) = Checkpoint.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", file));
        using (model)
        {
            Assert.Equal(new ModelConfig(kind, 28, 16, layers), model.Config);
            var corpus = TimeMachine.LoadD2l(maxTokens: 2000, dataDirectory: TestData.Directory);
            Assert.Equal(corpus.Vocab.IdxToToken, vocab.IdxToToken);
            Assert.Equal(notes["prediction"], Predictor.Predict("time traveller", 20, model, vocab));
            var saved = double.Parse(notes["perplexity of the first 500 tokens"], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(saved, Evaluator.Perplexity(model, corpus.Indices[..500]), 1e-5);
        }
    }
}

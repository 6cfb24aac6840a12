using D2L.Rnn.FastPath;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests;

/// <summary>An <see cref="RNNModel"/> whose input is a learned embedding instead of one-hot vectors.</summary>
public sealed class EmbeddingTests(ITestOutputHelper output) : IDisposable
{
    private const int VocabSize = 28, Hiddens = 16, EmbeddingSize = 8;
    private readonly string _dir = Directory.CreateTempSubdirectory("d2l-embed-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ModelConfig Config(CellKind kind, int layers = 1) =>
        new(kind, VocabSize, Hiddens, layers, EmbeddingSize: EmbeddingSize);

    [Theory]
    [InlineData(CellKind.Rnn, 1)]
    [InlineData(CellKind.Gru, 1)]
    [InlineData(CellKind.Lstm, 1)]
    [InlineData(CellKind.Lstm, 2)]
    public void ShapesOfParametersOutputsAndStates(CellKind kind, int layers)
    {
        using var model = new RNNModel(Config(kind, layers));
        var gates = kind switch { CellKind.Rnn => 1, CellKind.Gru => 3, _ => 4 };
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        Assert.Equal([(long)VocabSize, EmbeddingSize], parameters["embedding.weight"]);
        Assert.Equal([(long)gates * Hiddens, EmbeddingSize], parameters["rnn.weight_ih_l0"]);
        if (layers > 1) Assert.Equal([(long)gates * Hiddens, Hiddens], parameters["rnn.weight_ih_l1"]);
        Assert.Contains("embedding", model.named_children().Select(c => c.name));
        Assert.Equal(EmbeddingSize, model.Config.InputSize);

        using var state = model.BeginState(3);
        using var tokens = randint(0, VocabSize, [3, 5], dtype: int64);
        var (y, next) = model.call(tokens, state);
        using (y)
        using (next)
        {
            Assert.Equal([5L * 3, VocabSize], y.shape);
            Assert.Equal([(long)layers, 3L, Hiddens], next.Hidden.shape);
            if (kind == CellKind.Lstm) Assert.Equal([(long)layers, 3L, Hiddens], next.Cell!.shape);
            else Assert.Null(next.Cell);
        }
    }

    [Fact]
    public void ForwardLooksUpTheEmbeddingRowsThenRunsTheLayer()
    {
        manual_seed(3);
        using var model = new RNNModel(Config(CellKind.Gru));
        using var tokens = tensor(new long[] { 1, 4, 9, 0, 3, 3 }, [2, 3]);
        using var state = model.BeginState(2);
        var (scores, s) = model.call(tokens, state);
        s.Dispose();
        // Row t·batch + b is step t of sequence b: the embedding row of tokens[b, t].
        using var rows = model.Embedding!.weight!.index_select(0, tokens.T.reshape(-1)).reshape(3, 2, EmbeddingSize);
        var (y, s2) = model.Recur(rows, state);
        s2.Dispose();
        using var expected = model.Linear.call(y.reshape(-1, Hiddens));
        Assert.True(scores.allclose(expected));
    }

    [Fact]
    public void GradientsReachTheEmbeddingRowsOfTheTokensSeen()
    {
        manual_seed(4);
        using var model = new RNNModel(Config(CellKind.Lstm, 2));
        using var tokens = tensor(new long[] { 2, 5, 7, 5, 2, 11 }, [2, 3]);
        using var targets = tensor(new long[] { 5, 7, 5, 2, 11, 2 }, [2, 3]);
        using var state = model.BeginState(2);
        var (y, next) = model.call(tokens, state);
        next.Dispose();
        using var loss = nn.functional.cross_entropy(y, targets.T.reshape(-1));
        loss.backward();

        var grad = model.Embedding!.weight!.grad!;
        var rowNorms = grad.norm(1, false).data<float>().ToArray();
        int[] seen = [2, 5, 7, 11];
        for (var v = 0; v < VocabSize; v++)
        {
            if (seen.Contains(v)) Assert.True(rowNorms[v] > 0, $"row {v} of a token seen has no gradient");
            else Assert.Equal(0f, rowNorms[v]);
        }
        y.Dispose();
    }

    [Theory]
    [InlineData(CellKind.Rnn, 1)]
    [InlineData(CellKind.Gru, 1)]
    [InlineData(CellKind.Lstm, 2)]
    public void CheckpointRoundTripGivesIdenticalOutputs(CellKind kind, int layers)
    {
        manual_seed(5);
        var vocab = new Vocab("to be or not to be".Select(c => c.ToString()));
        using var model = new RNNModel(new ModelConfig(kind, vocab.Count, 10, layers, EmbeddingSize: 6));
        var path = Path.Combine(_dir, "m.ckpt");
        Checkpoint.Save(path, model, vocab);

        var (loaded, _, _) = Checkpoint.Load(path);
        using (loaded)
        {
            Assert.Equal(model.Config, loaded.Config);
            Assert.Equal(6, loaded.Config.EmbeddingSize);
            Assert.True(model.Embedding!.weight!.equal(loaded.Embedding!.weight!).all().item<bool>());
            ModelAssert.SameOutputsAndStates(model, loaded, vocab.Count);
            Assert.Equal(Predictor.Predict("to b", 10, model, vocab), Predictor.Predict("to b", 10, loaded, vocab));
        }

        // A model of the same shape without the embedding is another configuration.
        using var oneHot = new RNNModel(new ModelConfig(kind, vocab.Count, 10, layers));
        Assert.Contains("does not fit", Assert.Throws<CheckpointException>(() => Checkpoint.LoadInto(oneHot, path)).Message);
    }

    [Fact]
    public void AOneHotCheckpointHasNoEmbeddingFieldAndReadsAsOneHot()
    {
        var vocab = new Vocab("to be or not to be".Select(c => c.ToString()));
        using var model = new RNNModel(new ModelConfig(CellKind.Rnn, vocab.Count, 10));
        var path = Path.Combine(_dir, "one-hot.ckpt");
        Checkpoint.Save(path, model, vocab);
        // The header is what older version 2 files hold: no EmbeddingSize at all.
        Assert.DoesNotContain("EmbeddingSize", System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(path)));
        var (loaded, _, _) = Checkpoint.Load(path);
        using (loaded)
        {
            Assert.Null(loaded.Config.EmbeddingSize);
            Assert.Null(loaded.Embedding);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void ANonPositiveEmbeddingSizeIsNamed(int size)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new RNNModel(new ModelConfig(CellKind.Gru, VocabSize, Hiddens, EmbeddingSize: size)));
        Assert.Equal("EmbeddingSize", e.ParamName);
    }

    [Fact]
    public void Normal001CoversTheEmbeddingWeight()
    {
        manual_seed(6);
        using var model = new RNNModel(new ModelConfig(CellKind.Rnn, 43, 64, EmbeddingSize: 32), WeightInit.Normal001);
        var weight = model.Embedding!.weight!;
        Assert.InRange(weight.std().item<float>(), 0.009, 0.011);
        Assert.InRange(weight.mean().item<float>(), -0.002, 0.002);
        // TorchSharp's own embedding starts at Normal(0, 1).
        using var defaults = new RNNModel(new ModelConfig(CellKind.Rnn, 43, 64, EmbeddingSize: 32));
        Assert.InRange(defaults.Embedding!.weight!.std().item<float>(), 0.9, 1.1);
    }

    [Theory]
    [InlineData(CellKind.Rnn)]
    [InlineData(CellKind.Gru)]
    [InlineData(CellKind.Lstm)]
    public void TheFastPathDeclinesEmbeddingModels(CellKind kind)
    {
        using var embedded = new RNNModel(Config(kind));
        using var oneHot = new RNNModel(new ModelConfig(kind, VocabSize, Hiddens));
        Assert.Contains("embedding", FastTrainingStep.Unsupported(embedded));
        using var sgd = optim.SGD(oneHot.parameters(), 1);
        Assert.Null(FastTrainingStep.TryCreate(embedded, 16, 5, ParameterUpdate.Through(sgd), 1, 1).Step);
        Assert.Throws<ArgumentException>(() => new FastParameters(embedded));
        var (step, _) = FastTrainingStep.TryCreate(oneHot, 16, 5, ParameterUpdate.Through(sgd), 1, 1);
        using (step) Assert.NotNull(step);
    }

    [Fact]
    public void TrainerTrainsAnEmbeddingModelAndPerplexityFalls()
    {
        var corpus = TimeMachine.LoadD2l(maxTokens: 2000, dataDirectory: TestData.Directory);
        var options = new TrainOptions { NumEpochs = 4, LearningRate = 1, ClipTheta = 1, PredictEvery = 0 };

        TrainResult Run(bool useFastPath)
        {
            manual_seed(7);
            using var model = new RNNModel(new ModelConfig(CellKind.Rnn, corpus.Vocab.Count, 32, EmbeddingSize: 16));
            var data = new SeqDataLoader(corpus.Indices, 16, 10, seed: 8);
            return Trainer.Train(model, data, corpus.Vocab, options with { UseFastPath = useFastPath });
        }

        var result = Run(useFastPath: true);
        var perplexities = result.Epochs.Select(e => e.Perplexity).ToArray();
        output.WriteLine($"perplexity by epoch: {string.Join(", ", perplexities.Select(p => p.ToString("F2")))}");
        Assert.Equal(4, perplexities.Length);
        Assert.All(perplexities, p => Assert.True(double.IsFinite(p)));
        Assert.True(perplexities[^1] < perplexities[0] * 0.9, $"perplexity {string.Join(" → ", perplexities)}");
        // Declined by the fast path, the run is the reference path's, update for update.
        Assert.Equal(perplexities, Run(useFastPath: false).Epochs.Select(e => e.Perplexity));
    }
}

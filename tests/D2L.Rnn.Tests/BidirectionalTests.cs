using D2L.Rnn.FastPath;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests;

/// <summary>
/// Bidirectional layers as d2l's <c>RNNModel</c> takes them (the lecture on bidirectional RNNs): the dense layer reads
/// both directions, the state has one layer per direction, and the model, reading the text both ways, sees at step t
/// the characters after t that it is asked to predict.
/// </summary>
public class BidirectionalTests(ITestOutputHelper output)
{
    private const int Vocab = 11, Hiddens = 8, Epochs = 3;

    private static readonly CharCorpus Corpus = TimeMachine.LoadD2l(maxTokens: 10_000, dataDirectory: TestData.Directory);

    private static RNNModel NewModel(int seed, CellKind kind = CellKind.Lstm, int layers = 2, bool bidirectional = true)
    {
        manual_seed(seed);
        return new RNNModel(new ModelConfig(kind, Vocab, Hiddens, layers, Bidirectional: bidirectional));
    }

    [Theory]
    [InlineData(CellKind.Rnn, 1)]
    [InlineData(CellKind.Gru, 1)]
    [InlineData(CellKind.Lstm, 2)]
    public void TheDenseLayerReadsBothDirectionsAndTheStateHasALayerPerDirection(CellKind kind, int layers)
    {
        using var model = NewModel(1, kind, layers);
        Assert.Equal(2, model.Config.NumDirections);
        // d2l: nn.Linear(num_hiddens * 2, vocab_size); begin_state (num_directions * num_layers, batch, num_hiddens).
        Assert.Equal([(long)Vocab, 2L * Hiddens], model.Linear.weight!.shape);
        using var scope = NewDisposeScope();
        var begin = model.BeginState(3);
        Assert.Equal([2L * layers, 3, Hiddens], begin.Hidden.shape);
        if (kind == CellKind.Lstm) Assert.Equal([2L * layers, 3, Hiddens], begin.Cell!.shape);
        else Assert.Null(begin.Cell);

        var (output, state) = model.call(randint(0, Vocab, [3, 5], dtype: int64), begin);
        Assert.Equal([5L * 3, Vocab], output.shape);
        Assert.Equal(begin.Hidden.shape, state.Hidden.shape);
        // The reverse direction has weights of its own, named as in PyTorch; the layer above reads both directions.
        var names = model.state_dict().Keys.ToArray();
        Assert.Contains("rnn.weight_ih_l0_reverse", names);
        Assert.Contains("rnn.bias_hh_l0_reverse", names);
        if (layers == 2) Assert.Equal(2L * Hiddens, model.state_dict()["rnn.weight_ih_l1_reverse"].shape[1]);
        Assert.Equal("linear.bias", names[^1]);
    }

    [Fact]
    public void TheLessonsLayerIsReadAsBidirectional()
    {
        // The lesson: RNNModel(nn.LSTM(vocab_size, num_hiddens, num_layers=2, bidirectional=True), vocab_size).
        manual_seed(2);
        var layer = nn.LSTM(28, 16, numLayers: 2, bidirectional: true);
        using var model = new RNNModel(layer, 28);
        Assert.Same(layer, model.Rnn);
        Assert.Equal(new ModelConfig(CellKind.Lstm, 28, 16, 2, Bidirectional: true), model.Config);
        Assert.Equal([28L, 32L], model.Linear.weight!.shape);
        using var state = model.BeginState(4);
        Assert.Equal([4L, 4L, 16L], state.Hidden.shape);

        // A plain RNN's nonlinearity is still read from the layer.
        using var relu = new RNNModel(nn.RNN(28, 16, nonLinearity: nn.NonLinearities.ReLU, bidirectional: true), 28);
        Assert.Equal(new ModelConfig(CellKind.Rnn, 28, 16, 1, Nonlinearity.ReLU, Bidirectional: true), relu.Config);
    }

    [Fact]
    public void TheConfigurationSaysItIsBidirectional()
    {
        Assert.Equal("LSTM, 28 tokens, 256 hidden units, 2 layers, bidirectional, one-hot input",
            new ModelConfig(CellKind.Lstm, 28, 256, 2, Bidirectional: true).ToString());
        var difference = Assert.Single(new ModelConfig(CellKind.Gru, 28, Bidirectional: true).Differences(new ModelConfig(CellKind.Gru, 28)));
        Assert.Equal(("Bidirectional", "true", "false"), difference);
    }

    [Theory]
    [InlineData(CellKind.Rnn)]
    [InlineData(CellKind.Gru)]
    [InlineData(CellKind.Lstm)]
    public void TheScoresOfAStepDependOnLaterInputsOnlyWhenBidirectional(CellKind kind)
    {
        // Why a bidirectional language model is no language model: the scores for the token after step t change when a
        // token after t changes, so in training it reads the answers.
        using var scope = NewDisposeScope();
        long[] text = [1, 4, 2, 7, 3, 9, 5, 0];
        var changed = (long[])text.Clone();
        changed[6] = 8;
        foreach (var bidirectional in new[] { true, false })
        {
            using var model = NewModel(3, kind, 2, bidirectional);
            var before = model.call(tensor(text, [1, text.Length]), model.BeginState(1)).Output;
            var after = model.call(tensor(changed, [1, changed.Length]), model.BeginState(1)).Output;
            var earlierStepsChanged = !before[..6].equal(after[..6]).all().item<bool>();
            Assert.Equal(bidirectional, earlierStepsChanged);
            // Every step before the change moves when the model reads backwards too (the reverse direction carries it).
            if (bidirectional)
                for (var t = 0; t < 6; t++)
                    Assert.True((before[t] - after[t]).abs().max().item<float>() > 1e-6, $"step {t} did not see the change at step 6");
            Assert.False(before[6].equal(after[6]).all().item<bool>()); // the changed step itself, either way
        }
    }

    [Fact]
    public void ItTrainsOnTheReferencePathAndReadingTheAnswersItsPerplexityFallsFarBelowAOneDirectionalModels()
    {
        // The lesson's point, small: the same budget takes the bidirectional LSTM's training perplexity far below what a
        // one-directional LSTM of the same size reaches, because each position sees the character it must predict.
        TrainResult Train(bool bidirectional)
        {
            manual_seed(6);
            using var model = new RNNModel(new ModelConfig(CellKind.Lstm, Corpus.Vocab.Count, 16, 1, Bidirectional: bidirectional));
            if (bidirectional)
                Assert.Equal("the model is bidirectional: the hand-written pass runs one direction, forward in time",
                    FastTrainingStep.Unsupported(model));
            return Trainer.Train(model, new SeqDataLoader(Corpus.Indices, 8, 35, seed: 6), Corpus.Vocab,
                new TrainOptions { NumEpochs = Epochs, LearningRate = 0.01, Optimizer = Optimizers.Adam, PredictEvery = 0 });
        }
        var forward = Train(false);
        var both = Train(true);
        Assert.Equal(TrainingPath.Reference, both.Path);
        Assert.Contains("bidirectional", both.FastPathDeclined);
        Assert.All(both.Epochs, e => Assert.Equal(TrainingPath.Reference, e.Path));
        output.WriteLine($"perplexity by epoch, bidirectional: {string.Join(", ", both.Epochs.Select(e => e.Perplexity.ToString("F2")))}");
        output.WriteLine($"one direction: {string.Join(", ", forward.Epochs.Select(e => e.Perplexity.ToString("F2")))}");
        Assert.True(both.Epochs[^1].Perplexity < forward.Epochs[^1].Perplexity / 2,
            $"bidirectional {both.Epochs[^1].Perplexity:F2}, one direction {forward.Epochs[^1].Perplexity:F2}");
    }

    [Fact]
    public void PredictionEvaluationAndHiddenStatesRun()
    {
        using var model = NewModel(7, CellKind.Gru, 1);
        var vocab = new Vocab("abcdefghijk".Select(c => c.ToString()), withUnknown: false);
        Assert.Equal(Vocab, vocab.Count);
        // Prediction feeds one character at a time, the state carrying both directions from step to step (as d2l's
        // predict_ch8): it runs, though what it predicts means little.
        var text = Predictor.Predict("abc", 10, model, vocab);
        Assert.Equal(13, text.Length);
        Assert.StartsWith("abc", text);
        Assert.All(text, c => Assert.Contains(c.ToString(), vocab.IdxToToken));
        var perplexity = Evaluator.Perplexity(model, [1, 2, 3, 4, 5, 6, 7]);
        Assert.InRange(perplexity, 1, 100);

        // The hidden states are what the dense layer reads: the forward direction's state, then the reverse direction's.
        int[] indices = [1, 4, 2, 7, 3];
        using var states = HiddenStates.Of(model, indices);
        Assert.Equal([5L, 2L * Hiddens], states.shape);
        using var scope = NewDisposeScope();
        var (scores, last) = model.call(tensor(indices.Select(i => (long)i).ToArray(), [1, 5]), model.BeginState(1));
        Assert.True(model.Linear.call(states).allclose(scores, rtol: 1e-4, atol: 1e-5), "dense layer of the states ≠ the model's scores");
        // The forward half ends (last row) at the forward direction's final state, the reverse half (first row) at the
        // reverse direction's, which read the text from its end.
        Assert.True(states[-1, ..Hiddens].allclose(last.Hidden[0, 0], rtol: 1e-4, atol: 1e-6));
        Assert.True(states[0, Hiddens..].allclose(last.Hidden[1, 0], rtol: 1e-4, atol: 1e-6));
    }

    [Fact]
    public void TheCostCountsBothDirections()
    {
        const long v = 28, h = 16;
        using var model = new RNNModel(new ModelConfig(CellKind.Lstm, (int)v, (int)h, 2, Bidirectional: true));
        var cost = ModelCost.Of(model);
        // Each layer twice (one per direction); the second layer reads 2h inputs, the dense layer 2h.
        Assert.Equal(2 * (4 * (h * (v + h) + 2 * h)) + 2 * (4 * (h * (2 * h + h) + 2 * h)) + 2 * h * v + v, cost.Parameters);
        Assert.Equal(2 * 4 * h * (v + h) + 2 * 4 * h * (2 * h + h) + 2 * h * v, cost.MultiplyAdds);
        Assert.Equal(model.parameters().Sum(p => p.numel()), cost.Parameters);
    }
}

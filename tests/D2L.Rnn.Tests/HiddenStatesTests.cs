using D2L.Rnn;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests;

public class HiddenStatesTests
{
    // Without <unk>, as the lecture's: a character outside it is an error, not a silent <unk>.
    private static readonly Vocab Vocab = new("the time traveller".Select(c => c.ToString()), withUnknown: false);
    private static readonly int[] Text = Vocab.ToIndices("time traveller the".Select(c => c.ToString()));

    public static TheoryData<CellKind, int, int?> Models() => new()
    {
        { CellKind.Rnn, 1, null }, { CellKind.Gru, 1, null }, { CellKind.Lstm, 1, null },
        { CellKind.Rnn, 2, null }, { CellKind.Lstm, 2, null }, { CellKind.Gru, 1, 5 },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void TheTopLayersStateOfEveryStepIsWhatTheDenseLayerScores(CellKind kind, int layers, int? embedding)
    {
        manual_seed(4);
        using var model = new RNNModel(new ModelConfig(kind, Vocab.Count, 12, layers, EmbeddingSize: embedding));
        using var states = HiddenStates.Of(model, Text);

        Assert.Equal([Text.Length, 12L], states.shape);
        Assert.False(states.requires_grad);
        using var scope = NewDisposeScope();
        // The model's own forward pass over the same text from a zero state: its scores are the dense layer of these states.
        var (scores, last) = model.call(tensor(Text.Select(i => (long)i).ToArray(), [1, Text.Length]), model.BeginState(1));
        Assert.True(model.Linear.call(states).allclose(scores, rtol: 1e-4, atol: 1e-5), "dense layer of the states ≠ the model's scores");
        // The last row is the final state of the top layer.
        Assert.True(states[-1].allclose(last.Hidden[layers - 1, 0], rtol: 1e-4, atol: 1e-6), "last row ≠ the top layer's final state");
    }

    [Fact]
    public void TheFirstStepOfTheLecturesReluRnnIsReluOfItsInputColumnAndBiases()
    {
        manual_seed(5);
        using var model = new RNNModel(new ModelConfig(CellKind.Rnn, Vocab.Count, 8, Nonlinearity: Nonlinearity.ReLU));
        using var states = HiddenStates.Of(model, Text);
        using var scope = NewDisposeScope();
        var layer = (TorchSharp.Modules.RNN)model.Rnn;
        // From h = 0 the step is relu(W_ih one_hot(x) + b_ih + b_hh): a column of W_ih.
        var expected = (layer.get_weight_ih(0)![.., Text[0]] + layer.get_bias_ih(0)! + layer.get_bias_hh(0)!).relu();
        Assert.True(states[0].allclose(expected, atol: 1e-6), "first step ≠ relu(W_ih[:, x0] + b_ih + b_hh)");
        Assert.True((states >= 0).all().item<bool>(), "a ReLU state is never negative");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheModelsModeIsRestored(bool training)
    {
        using var model = new RNNModel(new ModelConfig(CellKind.Lstm, Vocab.Count, 6));
        model.train(training);
        HiddenStates.Of(model, Text).Dispose();
        Assert.Equal(training, model.training);
    }

    [Fact]
    public void ATextGivesTheStatesOfItsCharacters()
    {
        using var model = new RNNModel(new ModelConfig(CellKind.Gru, Vocab.Count, 6));
        using var fromText = HiddenStates.Of(model, Vocab, "time traveller the");
        using var fromIndices = HiddenStates.Of(model, Text);
        Assert.True(fromText.equal(fromIndices).all().item<bool>());
    }

    [Fact]
    public void BadInputIsNamed()
    {
        using var model = new RNNModel(new ModelConfig(CellKind.Rnn, Vocab.Count, 4));
        Assert.Equal("indices", Assert.Throws<ArgumentException>(() => HiddenStates.Of(model, [])).ParamName);
        Assert.Equal("indices", Assert.Throws<ArgumentException>(() => HiddenStates.Of(model, [1, Vocab.Count])).ParamName);
        var unknown = Assert.Throws<ArgumentException>(() => HiddenStates.Of(model, Vocab, "time machine"));
        Assert.Equal("text", unknown.ParamName);
        Assert.Contains("not in the vocabulary: 'c', 'n'.", unknown.Message); // each once, in the order they occur
        Assert.Equal("text", Assert.Throws<ArgumentException>(() => HiddenStates.Of(model, Vocab, "")).ParamName);
        Assert.Equal("vocab", Assert.Throws<ArgumentException>(() => HiddenStates.Of(model, new Vocab(["a", "b"], withUnknown: false), "ab")).ParamName);
    }
}

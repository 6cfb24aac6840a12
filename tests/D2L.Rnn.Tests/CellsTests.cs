using D2L.Rnn;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests;

/// <summary>One cell per kind, and nothing that silently stands in for a kind the library does not know.</summary>
public class CellsTests
{
    [Fact]
    public void EveryKindHasExactlyOneCellThatBuildsAndRecognisesItsOwnModule()
    {
        foreach (var kind in Enum.GetValues<CellKind>())
        {
            var cell = Cells.Of(kind);
            Assert.Equal(kind, cell.Kind);
            using var layer = cell.Create(new ModelConfig(kind, 5, 4));
            Assert.Same(cell, Cells.Of(layer));
            Assert.True(D2L.Rnn.FastPath.FastLayers.Has(kind));
        }
    }

    [Fact]
    public void AnUnknownKindIsAnErrorEverywhereNotAStandIn()
    {
        var unknown = (CellKind)42;
        Assert.Throws<ArgumentOutOfRangeException>(() => Cells.Of(unknown));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RNNModel(new ModelConfig(unknown, 5, 4)));
        Assert.Null(Cells.Of(nn.Linear(3, 3)));
        var e = Assert.Throws<ArgumentException>(() => new RNNModel(nn.Linear(5, 5), 5));
        Assert.Contains("nn.RNN, nn.GRU or nn.LSTM", e.Message);
    }

    [Theory]
    [InlineData(CellKind.Rnn, false)]
    [InlineData(CellKind.Gru, false)]
    [InlineData(CellKind.Lstm, true)]
    public void TheStateHasAMemoryCellOnlyForAnLstm(CellKind kind, bool cell)
    {
        using var model = new RNNModel(new ModelConfig(kind, 5, 4, NumLayers: 2));
        using var state = model.BeginState(3);
        Assert.Equal([2L, 3, 4], state.Hidden.shape);
        Assert.Equal(cell, state.Cell is not null);
    }
}

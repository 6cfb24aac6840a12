namespace D2L.Rnn.Tests;

/// <summary>The models the fast path trains: tanh and ReLU RNN, GRU, LSTM, with one layer and with two.</summary>
public static class FastPathCells
{
    public static TheoryData<CellKind, Nonlinearity, int> All => new()
    {
        { CellKind.Rnn, Nonlinearity.Tanh, 1 },
        { CellKind.Rnn, Nonlinearity.ReLU, 1 },
        { CellKind.Gru, Nonlinearity.Tanh, 1 },
        { CellKind.Lstm, Nonlinearity.Tanh, 1 },
        { CellKind.Rnn, Nonlinearity.Tanh, 2 },
        { CellKind.Rnn, Nonlinearity.ReLU, 2 },
        { CellKind.Gru, Nonlinearity.Tanh, 2 },
        { CellKind.Lstm, Nonlinearity.Tanh, 2 },
    };
}

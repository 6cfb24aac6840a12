namespace D2L.Rnn.Tests;

/// <summary>The one-layer cells the fast path trains: tanh and ReLU RNN, GRU, LSTM.</summary>
public static class FastPathCells
{
    public static TheoryData<CellKind, Nonlinearity> All => new()
    {
        { CellKind.Rnn, Nonlinearity.Tanh },
        { CellKind.Rnn, Nonlinearity.ReLU },
        { CellKind.Gru, Nonlinearity.Tanh },
        { CellKind.Lstm, Nonlinearity.Tanh },
    };
}

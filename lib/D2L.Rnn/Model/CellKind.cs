namespace D2L.Rnn;

/// <summary>The recurrent layer inside an <see cref="RNNModel"/>.</summary>
public enum CellKind
{
    /// <summary>Elman RNN (d2l's <c>nn.RNN</c>), with tanh or ReLU (<see cref="Nonlinearity"/>).</summary>
    Rnn,
    /// <summary>Gated recurrent unit.</summary>
    Gru,
    /// <summary>Long short-term memory; its state is a pair (hidden, cell).</summary>
    Lstm,
}

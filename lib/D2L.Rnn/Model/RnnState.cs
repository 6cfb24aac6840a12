using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>
/// The hidden state of a recurrent layer: <see cref="Hidden"/> shaped (layers, batch, hiddens) (directions × layers for
/// a bidirectional layer), and for an LSTM also the memory <see cref="Cell"/> of the same shape.
/// </summary>
public sealed class RnnState : IDisposable
{
    /// <summary>Wraps the state tensors (the state takes ownership).</summary>
    public RnnState(Tensor hidden, Tensor? cell = null)
    {
        Hidden = hidden;
        Cell = cell;
    }

    /// <summary>Hidden state H.</summary>
    public Tensor Hidden { get; }

    /// <summary>LSTM memory cell C, or null for RNN and GRU.</summary>
    public Tensor? Cell { get; }

    /// <summary>
    /// The same values cut from the autograd graph, so that backpropagation stops at the minibatch boundary
    /// (d2l's <c>state.detach_()</c> for sequential sampling).
    /// </summary>
    public RnnState Detach() => new(Hidden.detach(), Cell?.detach());

    /// <summary>Keeps the tensors alive past the current dispose scope.</summary>
    public RnnState MoveToOuterDisposeScope()
    {
        Hidden.MoveToOuterDisposeScope();
        Cell?.MoveToOuterDisposeScope();
        return this;
    }

    /// <summary>Takes the tensors out of every dispose scope: the caller disposes them (a state carried from one minibatch
    /// to the next in a training loop of your own).</summary>
    public RnnState DetachFromDisposeScope()
    {
        Hidden.DetachFromDisposeScope();
        Cell?.DetachFromDisposeScope();
        return this;
    }

    /// <summary>Disposes the tensors.</summary>
    public void Dispose()
    {
        Hidden.Dispose();
        Cell?.Dispose();
    }
}

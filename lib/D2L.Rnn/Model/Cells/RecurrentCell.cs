using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>
/// Everything the library knows about one kind of recurrent layer (<see cref="CellKind"/>), in one place: how to build
/// TorchSharp's module for it, how to recognise and run such a module and what its state holds. <see cref="Cells"/>
/// lists them; adding a kind is a subclass and a line there (and, for the fast path, a layer in FastPath/FastLayers).
/// </summary>
internal abstract class RecurrentCell
{
    /// <summary>The kind this cell is.</summary>
    public abstract CellKind Kind { get; }

    /// <summary>The name readers know (PyTorch's module name): "RNN", "GRU", "LSTM".</summary>
    public abstract string Name { get; }

    /// <summary>Whether the state carries a memory cell beside the hidden state (an LSTM's c).</summary>
    public virtual bool HasMemoryCell => false;

    /// <summary>Whether <see cref="ModelConfig.Nonlinearity"/> means anything for this kind (a gated cell has its own).</summary>
    public virtual bool TakesNonlinearity => false;

    /// <summary>TorchSharp's module for <paramref name="config"/>, reading <see cref="ModelConfig.InputSize"/> features, on
    /// the CPU whatever TorchSharp's default device.</summary>
    public abstract nn.Module Create(ModelConfig config);

    /// <summary>Whether <paramref name="layer"/> is a module of this kind.</summary>
    public abstract bool Builds(nn.Module layer);

    /// <summary>Runs <paramref name="layer"/> on (steps, batch, features) from <paramref name="state"/> (null: zeros).</summary>
    public abstract (Tensor Y, RnnState State) Run(nn.Module layer, Tensor x, RnnState? state);

    /// <summary>The nonlinearity of a layer of this kind built elsewhere (read from the layer when the kind takes one).</summary>
    public virtual Nonlinearity NonlinearityOf(nn.Module layer, int inputs) => Nonlinearity.Tanh;
}

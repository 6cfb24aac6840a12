using TorchSharp.Modules;
using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>Long short-term memory (PyTorch's <c>nn.LSTM</c>: gates i, f, g, o); its state is a pair (hidden, cell).</summary>
internal sealed class LstmCell : RecurrentCell
{
    public override CellKind Kind => CellKind.Lstm;
    public override string Name => "LSTM";
    public override bool HasMemoryCell => true;

    public override nn.Module Create(ModelConfig config) => nn.LSTM(config.InputSize, config.NumHiddens, config.NumLayers,
        bidirectional: config.Bidirectional, device: CPU);

    public override bool Builds(nn.Module layer) => layer is LSTM;

    public override (Tensor Y, RnnState State) Run(nn.Module layer, Tensor x, RnnState? state)
    {
        if (state is { Cell: null })
            throw new ArgumentException("An LSTM needs a state with a memory cell: start from model.BeginState(batchSize).", nameof(state));
        var (y, h, c) = ((LSTM)layer).call(x, state is null ? null : (state.Hidden, state.Cell!));
        return (y, new RnnState(h, c));
    }
}

using TorchSharp.Modules;
using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>The gated recurrent unit (PyTorch's <c>nn.GRU</c>: gates r, z, n).</summary>
internal sealed class GruCell : RecurrentCell
{
    public override CellKind Kind => CellKind.Gru;
    public override string Name => "GRU";

    public override nn.Module Create(ModelConfig config) => nn.GRU(config.InputSize, config.NumHiddens, config.NumLayers,
        bidirectional: config.Bidirectional, device: CPU);

    public override bool Builds(nn.Module layer) => layer is GRU;

    public override (Tensor Y, RnnState State) Run(nn.Module layer, Tensor x, RnnState? state)
    {
        var (y, h) = ((GRU)layer).call(x, state?.Hidden);
        return (y, new RnnState(h));
    }
}

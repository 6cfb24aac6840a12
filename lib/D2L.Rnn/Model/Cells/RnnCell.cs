using TorchSharp.Modules;
using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>The Elman RNN (d2l's <c>nn.RNN</c>): hₜ = f(xₜ W_ihᵀ + b_ih + hₜ₋₁ W_hhᵀ + b_hh), f tanh or ReLU.</summary>
internal sealed class RnnCell : RecurrentCell
{
    public override CellKind Kind => CellKind.Rnn;
    public override string Name => "RNN";
    public override bool TakesNonlinearity => true;

    public override nn.Module Create(ModelConfig config) => nn.RNN(config.InputSize, config.NumHiddens, config.NumLayers,
        config.Nonlinearity == Nonlinearity.ReLU ? nn.NonLinearities.ReLU : nn.NonLinearities.Tanh, bidirectional: config.Bidirectional, device: CPU);

    public override bool Builds(nn.Module layer) => layer is RNN;

    public override (Tensor Y, RnnState State) Run(nn.Module layer, Tensor x, RnnState? state)
    {
        var (y, h) = ((RNN)layer).call(x, state?.Hidden);
        return (y, new RnnState(h));
    }

    // TorchSharp's RNN module does not expose its nonlinearity, so one step is computed both ways and compared with
    // the layer's own output. With inputs +1 and −1 everywhere, some pre-activation is negative unless W_ih is zero,
    // and there ReLU gives 0 where tanh is negative. (With W_ih = 0 and zero biases both agree: tanh is reported.)
    public override Nonlinearity NonlinearityOf(nn.Module layer, int inputs)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var rnn = (RNN)layer;
        var w = rnn.get_weight_ih(0)!;
        var b = rnn.get_bias_ih(0)! + rnn.get_bias_hh(0)!;
        double tanhError = 0, reluError = 0;
        foreach (var sign in new[] { 1f, -1f })
        {
            var x = full([1, 1, inputs], sign, device: w.device);
            var (_, h) = rnn.call(x, null);
            var hidden = h[0, 0];
            var z = w.sum(1).mul(sign) + b;
            tanhError += (hidden - z.tanh()).abs().max().item<float>();
            reluError += (hidden - z.relu()).abs().max().item<float>();
        }
        return reluError < tanhError ? Nonlinearity.ReLU : Nonlinearity.Tanh;
    }
}

using static TorchSharp.torch;

namespace D2L.Rnn.FastPath;

/// <summary>
/// One recurrent layer's gradients: views into <see cref="FastGradients.Flat"/>. <c>WeightIhT</c> is the (inputs, G)
/// view of <c>WeightIh</c>: for the first layer, row v collects the steps whose input was token v.
/// </summary>
internal sealed record FastLayerGradients(Tensor WeightIhT, Tensor WeightIh, Tensor WeightHh, Tensor BiasIh, Tensor BiasHh);

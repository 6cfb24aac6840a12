using static TorchSharp.torch;

namespace D2L.Rnn.FastPath;

/// <summary>
/// The hand-written pass over a slice of the minibatch's sequences (a shard): the recurrent layers stacked
/// (<see cref="FastRnnLayer"/>, <see cref="FastGruLayer"/>, <see cref="FastLstmLayer"/>), then the dense output and
/// the loss (<see cref="FastOutput"/>), with the shard's own gradient buffer. <see cref="FastTrainingStep"/> runs one
/// per core.
/// </summary>
internal sealed class FastShard : IDisposable
{
    private readonly FastLayer[] _layers;
    private readonly FastOutput _output;

    /// <summary>Buffers for <paramref name="batch"/> sequences of <paramref name="steps"/> steps.</summary>
    public FastShard(FastParameters parameters, int batch, int steps)
    {
        _output = new FastOutput(parameters, (long)steps * batch);
        _layers = parameters.Layers.Select(layer => FastLayers.Create(layer, batch, steps, _output.Ones)).ToArray();
        Gradients = parameters.NewGradientBuffer();
    }

    /// <summary>This shard's gradients, one flat buffer (<see cref="FastGradients"/>), overwritten by every step.</summary>
    public FastGradients Gradients { get; }

    /// <summary>
    /// Forward and backward for this shard. <paramref name="x"/> and <paramref name="y"/> are (batch, steps) int64.
    /// Every layer's state starts at zero, or with <paramref name="continueState"/> from where this shard's previous
    /// step ended (values only: gradients stop at the minibatch boundary). <paramref name="tokensInMinibatch"/> is N,
    /// the mean's divisor. Returns the shard's summed loss (a scalar tensor) and fills <see cref="Gradients"/>. Call
    /// with autograd off.
    /// </summary>
    public Tensor Step(Tensor x, Tensor y, bool continueState, long tokensInMinibatch)
    {
        // Time-major indices: row t·batch + b.
        var xIndex = x.t().reshape(-1);
        var yIndex = y.t().reshape(-1);
        Tensor? input = null; // the first layer reads the tokens
        foreach (var layer in _layers)
        {
            layer.Forward(xIndex, input, continueState);
            input = layer.Output;
        }
        var top = _layers[^1];
        var lossSum = _output.LossAndBackward(top.Output, yIndex, top.OutputGradient, Gradients, tokensInMinibatch);
        for (var l = _layers.Length - 1; l >= 0; l--)
        {
            // A layer's outputs feed only the layer above (and its own next step): what comes back from above is all
            // of their gradient from outside the layer.
            var below = l > 0 ? _layers[l - 1] : null;
            _layers[l].Backward(xIndex, below?.Output, below?.OutputGradient, Gradients.Layers[l]);
        }
        return lossSum;
    }

    /// <summary>The layers, bottom first: their last states are where the next step continues from.</summary>
    public IReadOnlyList<FastLayer> Layers => _layers;

    /// <summary>Frees the buffers.</summary>
    public void Dispose()
    {
        foreach (var layer in _layers) layer.Dispose();
        _output.Dispose();
        Gradients.Dispose();
    }
}

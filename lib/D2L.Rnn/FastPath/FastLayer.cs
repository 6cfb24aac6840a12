using static TorchSharp.torch;

namespace D2L.Rnn.FastPath;

/// <summary>
/// One recurrent layer's hand-written forward and backward pass over a shard's slice of the minibatch: its hidden
/// states h₀ … h_T with the views the time loops and the weight gradients read, and its gradient with respect to
/// them. A cell adds its gates' buffers and writes <see cref="Forward"/> and <see cref="Backward"/>.
/// </summary>
/// <remarks>
/// Rows are time-major (t·batch + b). The first layer reads tokens (its input terms are rows of the input table),
/// a layer above reads the hidden states of the layer below and hands the gradient with respect to them back down.
/// </remarks>
internal abstract class FastLayer : IDisposable
{
    protected static readonly Tensor One = tensor(1f, device: CPU).DetachFromDisposeScope(); // the fast path runs on the CPU only
    protected static readonly Tensor Two = tensor(2f, device: CPU).DetachFromDisposeScope();
    protected readonly FastLayerParameters _p;
    protected readonly int _batch, _steps, _hiddens;
    protected readonly Tensor _h;            // (steps + 1, batch, H): h₀ … h_T
    protected readonly Tensor[] _hAt;        // views _h[t]
    protected readonly Tensor _hOut, _hIn;   // (steps·batch, H) views of h₁…h_T and h₀…h_{T−1}
    protected readonly Tensor _ones;         // FastOutput.Ones, (steps·batch) of 1: column sums as products (docs/performance.md)
    protected readonly ShardTensors _kept = new(); // every buffer and view, the derived cell's included

    /// <summary>Buffers for <paramref name="batch"/> sequences of <paramref name="steps"/> steps; <paramref name="ones"/>
    /// is the shard's (steps·batch) vector of 1 (<see cref="FastOutput.Ones"/>).</summary>
    protected FastLayer(FastLayerParameters parameters, int batch, int steps, Tensor ones)
    {
        _p = parameters;
        (_batch, _steps, _hiddens) = (batch, steps, parameters.Hiddens);
        using var scope = NewDisposeScope(); // frees the intermediate views; the buffers are kept below
        _h = StepBuffer(steps + 1, _hiddens);
        _hAt = _kept.PerStep(_h, steps + 1, v => v);
        _hOut = _kept.Keep(_h.narrow(0, 1, steps).view(-1, _hiddens));
        _hIn = _kept.Keep(_h.narrow(0, 0, steps).view(-1, _hiddens));
        _ones = ones;
    }

    /// <summary>h₁ … h_T, (steps·batch, H): what the layer above or the dense output reads.</summary>
    public Tensor Output => _hOut;

    /// <summary>h_T of the last minibatch, (batch, H): where the next one continues from (a view into the buffers).</summary>
    public Tensor LastHidden => _hAt[_steps];

    /// <summary>An LSTM's c_T of the last minibatch, (batch, H); null for a layer without a memory cell.</summary>
    public virtual Tensor? LastCell => null;

    /// <summary>∂loss/∂h₁ … ∂loss/∂h_T, (steps·batch, H): the layer above or the output writes it before
    /// <see cref="Backward"/>, which adds what flows back through time.</summary>
    public abstract Tensor OutputGradient { get; }

    /// <summary>
    /// Runs the layer over the steps: its input is the tokens <paramref name="xIndex"/> (steps·batch, first layer) or
    /// <paramref name="input"/>, the hidden states of the layer below. The state starts at zero or, with
    /// <paramref name="continueState"/>, where this layer's previous step ended (values only).
    /// </summary>
    public abstract void Forward(Tensor xIndex, Tensor? input, bool continueState);

    /// <summary>
    /// Back through time from <see cref="OutputGradient"/>: fills <paramref name="grads"/>, and, for a layer above the
    /// first, writes ∂loss/∂<paramref name="input"/> into <paramref name="inputGradient"/>.
    /// </summary>
    public abstract void Backward(Tensor xIndex, Tensor? input, Tensor? inputGradient, FastLayerGradients grads);

    /// <summary>A zeroed (<paramref name="count"/>, batch, <paramref name="width"/>) buffer kept for the layer's life.</summary>
    protected Tensor StepBuffer(int count, long width) =>
        _kept.Keep(zeros([count, _batch, width], device: _p.WeightHh.device));

    /// <summary>
    /// ∂W_ih, and ∂input for the layer below, from <paramref name="dInputTerms"/> (steps·batch, G): the gradients of
    /// the gate arguments' input parts, in W_ih's row order. The first layer sums them by token.
    /// </summary>
    protected void InputBackward(Tensor dInputTerms, Tensor xIndex, Tensor? input, Tensor? inputGradient, FastLayerGradients grads)
    {
        if (input is null) grads.WeightIhT.zero_().index_add_(0, xIndex, dInputTerms, 1);
        else grads.WeightIh.addmm_(dInputTerms.t(), input, 0, 1);
        inputGradient?.addmm_(dInputTerms, _p.WeightIh, 0, 1);
    }

    /// <summary>Frees the buffers.</summary>
    public void Dispose() => _kept.Dispose();
}

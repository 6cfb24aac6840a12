using static TorchSharp.torch;

namespace D2L.Rnn.FastPath;

/// <summary>
/// What every cell's hand-written pass keeps: its parameters, the hidden states h₀ … h_T of its slice of the
/// sequences with the views the time loops and the weight gradients read, the dense output and loss, and its own
/// gradient buffer. A cell adds its gates' buffers and writes <see cref="Step"/>.
/// </summary>
internal abstract class FusedShard : IFusedShard
{
    protected static readonly Tensor One = tensor(1f).DetachFromDisposeScope();
    protected static readonly Tensor Two = tensor(2f).DetachFromDisposeScope();
    protected readonly FusedParameters _p;
    protected readonly FusedOutput _output;
    protected readonly int _batch, _steps, _hiddens;
    protected readonly Tensor _h;            // (steps + 1, batch, H): h₀ … h_T
    protected readonly Tensor[] _hAt;        // views _h[t]
    protected readonly Tensor _hOut, _hIn;   // (steps·batch, H) views of h₁…h_T and h₀…h_{T−1}
    protected readonly ShardTensors _kept = new(); // every buffer and view, the derived cell's included

    /// <summary>Buffers for <paramref name="batch"/> sequences of <paramref name="steps"/> steps.</summary>
    protected FusedShard(FusedParameters parameters, int batch, int steps)
    {
        _p = parameters;
        (_batch, _steps, _hiddens) = (batch, steps, parameters.Hiddens);
        using var scope = NewDisposeScope(); // frees the intermediate views; the buffers are kept below
        _h = StepBuffer(steps + 1, _hiddens);
        _hAt = _kept.PerStep(_h, steps + 1, v => v);
        _hOut = _kept.Keep(_h.narrow(0, 1, steps).view(-1, _hiddens));
        _hIn = _kept.Keep(_h.narrow(0, 0, steps).view(-1, _hiddens));
        Gradients = parameters.NewGradientBuffer();
        _output = new FusedOutput(parameters, (long)steps * batch);
    }

    /// <summary>This shard's gradients, one flat buffer (<see cref="FusedGradients"/>).</summary>
    public FusedGradients Gradients { get; }

    /// <inheritdoc/>
    public abstract Tensor Step(Tensor x, Tensor y, bool continueState, long tokensInMinibatch);

    /// <summary>A zeroed (<paramref name="count"/>, batch, <paramref name="width"/>) buffer kept for the shard's life.</summary>
    protected Tensor StepBuffer(int count, long width) =>
        _kept.Keep(zeros([count, _batch, width], device: _p.WeightHh.device));

    /// <summary>Frees the buffers.</summary>
    public void Dispose()
    {
        _kept.Dispose();
        _output.Dispose();
        Gradients.Dispose();
    }
}

using static TorchSharp.torch;

namespace D2L.Rnn.FastPath;

/// <summary>
/// The fast training step for a one-hot <see cref="RNNModel"/> (RNN with tanh or ReLU, GRU, LSTM; one or more
/// layers): the minibatch's sequences are split into shards that run the hand-written pass (<see cref="FusedShard"/>)
/// on their own core; their gradients are summed, clipped
/// on the global norm (d2l's <c>grad_clipping</c>) and applied by SGD to the model's own parameters. Same updates as
/// the module path up to float32 rounding (FusedTrainingTests).
/// </summary>
internal sealed class FusedTraining : ITrainingStep
{
    private readonly FusedParameters _parameters;
    private readonly FusedShard[] _shards;
    private readonly (int Start, int Length)[] _slices;
    private readonly double[] _lossSums;
    private readonly ShardRunner _runner;
    private readonly int _batch, _steps;
    private readonly double _learningRate, _clipTheta;
    private readonly (Tensor Parameter, Tensor Gradient)[] _updates;
    private bool _hasState;

    /// <summary>Whether <paramref name="model"/> can train on this path: recurrent layers of any kind (RNN, GRU, LSTM)
    /// with biases and no dropout between them, one-hot input, float32.</summary>
    public static bool Supports(RNNModel model) =>
        // The fused step reads one-hot input (its input table is W_ihᵀ row by token): no embedding.
        model.Config is { EmbeddingSize: null } && model.Embedding is null && model.NoDropoutBetweenLayers
        && model.Linear.weight!.dtype == ScalarType.Float32 && model.Linear.bias is not null
        && model.Rnn.named_parameters().Any(p => p.name == "bias_ih_l0");

    /// <summary>
    /// Buffers for minibatches of <paramref name="batch"/> × <paramref name="steps"/>, split into at most
    /// <paramref name="maxShards"/> shards (one per core; each shard keeps at least 8 sequences).
    /// </summary>
    public FusedTraining(RNNModel model, int batch, int steps, double learningRate, double clipTheta, int maxShards)
    {
        _learningRate = learningRate;
        _clipTheta = clipTheta;
        _batch = batch;
        _steps = steps;
        var shards = model.Device.type == TorchSharp.DeviceType.CPU ? Math.Clamp(Math.Min(maxShards, batch / 8), 1, batch) : 1;
        _parameters = new FusedParameters(model);
        _slices = Enumerable.Range(0, shards)
            .Select(s => (Start: s * batch / shards, Length: (s + 1) * batch / shards - s * batch / shards)).ToArray();
        _shards = _slices.Select(s => new FusedShard(_parameters, s.Length, steps)).ToArray();
        _updates = _parameters.Pairs(_shards[0].Gradients).ToArray(); // shard 0's buffer receives the sum
        _lossSums = new double[shards];
        _runner = new ShardRunner(shards); // its threads compute single-threaded; the caller's settings stay as they are
    }

    /// <summary>
    /// Forward and backward on one minibatch (x, y: (batch, steps) int64). The state continues from the previous
    /// minibatch unless <paramref name="freshState"/>. Returns the mean loss; gradients wait for <see cref="Update"/>.
    /// </summary>
    public float ComputeGradients(Tensor x, Tensor y, bool freshState)
    {
        if (freshState) _hasState = false;
        if (x.shape[0] != _batch || x.shape[1] != _steps)
            throw new ArgumentException($"Expected a ({_batch}, {_steps}) minibatch, got ({string.Join(", ", x.shape)}).", nameof(x));
        using var noGrad = no_grad();
        var continueState = _hasState;
        var tokens = (long)_batch * _steps;
        _runner.Run(s =>
        {
            using var scope = NewDisposeScope();
            var (start, length) = _slices[s];
            var shard = _shards[s];
            _lossSums[s] = shard.Step(x.narrow(0, start, length), y.narrow(0, start, length), continueState, tokens).item<float>();
        });
        _hasState = true;
        return (float)(_lossSums.Sum() / tokens);
    }

    /// <summary>Sums the shards' gradients, clips them to norm θ and takes the SGD step; returns the norm before clipping.</summary>
    public double Update()
    {
        // On a shard thread (single-threaded libtorch there), not the caller's: with several intra-op threads on the
        // caller, libtorch's OpenMP workers spin on after the update and take cores from the next minibatch's shards
        // (measured: half the throughput on 2 cores).
        var norm = 0.0;
        _runner.Run(shard =>
        {
            if (shard == 0) norm = SumClipAndStep();
        });
        return norm;
    }

    private double SumClipAndStep()
    {
        var total = _shards[0].Gradients;
        for (var s = 1; s < _shards.Length; s++) total.Flat.add_(_shards[s].Gradients.Flat);
        var norm = GradClipping.ClipGradients([total.Flat], _clipTheta);
        foreach (var (parameter, gradient) in _updates) parameter.add_(gradient, -_learningRate);
        _parameters.Refresh();
        return norm;
    }

    /// <summary>The gradients of the last <see cref="ComputeGradients"/>, summed over shards, in the model's parameter
    /// order. For tests; call it before <see cref="Update"/>, which sums and clips in place.</summary>
    internal Tensor[] SummedGradients()
    {
        using var noGrad = no_grad();
        var perShard = _shards.Select(shard => _parameters.Pairs(shard.Gradients).Select(p => p.Gradient).ToArray()).ToArray();
        return Enumerable.Range(0, perShard[0].Length).Select(i =>
        {
            var sum = zeros(perShard[0][i].shape);
            foreach (var shard in perShard) sum.add_(shard[i]);
            return sum;
        }).ToArray();
    }

    public void Dispose()
    {
        _runner.Dispose();
        foreach (var s in _shards) s.Dispose();
        _parameters.Dispose();
    }
}

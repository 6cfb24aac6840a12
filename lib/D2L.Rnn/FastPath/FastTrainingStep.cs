using static TorchSharp.torch;

namespace D2L.Rnn.FastPath;

/// <summary>
/// The fast training step for a one-hot <see cref="RNNModel"/> (RNN with tanh or ReLU, GRU, LSTM; one or more
/// layers) on the CPU: the minibatch's sequences are split into shards that run the hand-written pass
/// (<see cref="FastShard"/>) on their own core; their gradients are summed into the model's own <c>grad</c> tensors,
/// clipped on the global norm (d2l's <c>grad_clipping</c>) and applied by the same update (optimizer or d2l's
/// <c>updater</c>) as the reference step's. Same gradients as autograd up to float32 rounding (FastTrainingStepTests).
/// </summary>
internal sealed class FastTrainingStep : ITrainingStep
{
    private readonly FastParameters _parameters;
    private readonly FastShard[] _shards;
    private readonly (int Start, int Length)[] _slices;
    private readonly double[] _lossSums;
    private readonly ShardRunner _runner;
    private readonly int _batch, _steps;
    private readonly ParameterUpdate _update;
    private readonly double _clipTheta;
    private readonly Tensor[] _modelParameters;
    private bool _hasState;

    /// <summary>Null when <paramref name="model"/> can train on this path (recurrent layers of any kind with biases and no
    /// dropout between them, one direction, one-hot input, float32, on the CPU), else why not.</summary>
    public static string? Unsupported(RNNModel model) =>
        model.Device.type != TorchSharp.DeviceType.CPU
            ? $"the model is on {model.Device}: the fast path runs on the CPU (on a GPU, cuDNN's layers are the right choice)"
        // The fast step reads one-hot input (its input table is W_ihᵀ row by token).
        : model.Embedding is not null ? "the model has an embedding: the fast path reads one-hot input"
        // The hand-written pass runs each layer forward in time only; a reverse direction would need a pass of its own.
        : model.Config.Bidirectional ? "the model is bidirectional: the hand-written pass runs one direction, forward in time"
        : !FastLayers.Has(model.Config.Kind) ? $"the fast path has no hand-written {Cells.Of(model.Config.Kind).Name} layer"
        : model.Linear.weight!.dtype != ScalarType.Float32 ? $"the parameters are {model.Linear.weight!.dtype}, not float32"
        : model.Linear.bias is null || !model.Rnn.named_parameters().Any(p => p.name == "bias_ih_l0") ? "the model has no biases"
        : AppliesDropout(model) ? "the stacked layer applies dropout between its layers, which the hand-written pass does not"
        : null;

    // TorchSharp's layers do not say whether they were built with dropout, so the layer is asked: in training mode, two
    // passes over the same input differ only when it drops units between its layers. The input is made without the random
    // generator, and a layer without dropout draws nothing, so a seeded run stays as it was.
    private static bool AppliesDropout(RNNModel model)
    {
        if (model.Config.NumLayers == 1) return false;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var wasTraining = model.Rnn.training;
        model.Rnn.train();
        try
        {
            var x = arange(16 * 8 * model.Config.InputSize, float32, device: model.Device).sin().reshape(16, 8, model.Config.InputSize);
            var first = model.Recur(x, model.BeginState(8)).Y;
            var second = model.Recur(x, model.BeginState(8)).Y;
            return first.ne(second).any().item<bool>();
        }
        finally
        {
            model.Rnn.train(wasTraining);
        }
    }

    /// <summary>The fast step for <paramref name="model"/> on minibatches of <paramref name="batch"/> × <paramref name="steps"/>
    /// split over at most <paramref name="threads"/> cores that updates through <paramref name="update"/>, or null with
    /// the reason (<see cref="Unsupported"/>) when the model is not one it supports.</summary>
    public static (ITrainingStep? Step, string? Declined) TryCreate(RNNModel model, int batch, int steps, ParameterUpdate update,
        double clipTheta, int threads) =>
        Unsupported(model) is { } reason ? (null, reason) : (new FastTrainingStep(model, batch, steps, update, clipTheta, threads), null);

    /// <summary>
    /// Buffers for minibatches of <paramref name="batch"/> × <paramref name="steps"/>, split into at most
    /// <paramref name="maxShards"/> shards (one per core; each shard keeps at least 8 sequences). The model's parameters'
    /// <c>grad</c> become views of the summed gradients until <see cref="Dispose"/>.
    /// </summary>
    public FastTrainingStep(RNNModel model, int batch, int steps, ParameterUpdate update, double clipTheta, int maxShards)
    {
        _update = update;
        _clipTheta = clipTheta;
        _batch = batch;
        _steps = steps;
        var shards = Math.Clamp(Math.Min(maxShards, batch / 8), 1, batch);
        _parameters = new FastParameters(model);
        _slices = Enumerable.Range(0, shards)
            .Select(s => (Start: s * batch / shards, Length: (s + 1) * batch / shards - s * batch / shards)).ToArray();
        _shards = _slices.Select(s => new FastShard(_parameters, s.Length, steps)).ToArray();
        // Shard 0's buffer receives the sum: the optimizer reads it as the parameters' gradients.
        var pairs = _parameters.Pairs(_shards[0].Gradients).ToArray();
        _modelParameters = pairs.Select(p => p.Parameter).ToArray();
        foreach (var (parameter, gradient) in pairs) parameter.grad = gradient;
        _lossSums = new double[shards];
        _runner = new ShardRunner(shards); // its threads compute single-threaded; the caller's settings stay as they are
    }

    public TrainingPath Path => TrainingPath.Fast;

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

    /// <summary>Sums the shards' gradients, clips them to norm θ and takes the optimizer's step; returns the norm before clipping.</summary>
    public double Update()
    {
        // On a shard thread (single-threaded libtorch there), not the caller's: with several intra-op threads on the
        // caller, libtorch's OpenMP workers spin on after the update and take cores from the next minibatch's shards
        // (docs/performance.md times both).
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
        _update.Step();
        _parameters.Refresh();
        return norm;
    }

    public void WeightsRestored()
    {
        using var noGrad = no_grad();
        _parameters.Refresh();
    }

    /// <summary>The shards' last states joined into the model's (layers, batch, hiddens) shape.</summary>
    public RnnState? CopyCarriedState()
    {
        if (!_hasState) return null;
        using var scope = NewDisposeScope();
        Tensor Join(Func<FastLayer, Tensor> part) =>
            stack(Enumerable.Range(0, _parameters.Layers.Count).Select(l => cat(_shards.Select(s => part(s.Layers[l])).ToArray(), 0)).ToArray());
        var hidden = Join(layer => layer.LastHidden);
        var cell = _parameters.Kind == CellKind.Lstm ? Join(layer => layer.LastCell!) : null;
        return new RnnState(hidden, cell).DetachFromDisposeScope();
    }

    public void RestoreCarriedState(RnnState state)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        for (var s = 0; s < _shards.Length; s++)
        for (var l = 0; l < _parameters.Layers.Count; l++)
        {
            var (start, length) = _slices[s];
            var layer = _shards[s].Layers[l];
            layer.LastHidden.copy_(state.Hidden[l].narrow(0, start, length));
            layer.LastCell?.copy_(state.Cell![l].narrow(0, start, length));
        }
        _hasState = true;
    }

    /// <summary>The gradients of the last <see cref="ComputeGradients"/>, summed over shards, in the model's parameter
    /// order. For tests; call it before <see cref="Update"/>, which sums and clips in place.</summary>
    internal Tensor[] SummedGradients()
    {
        using var noGrad = no_grad();
        var perShard = _shards.Select(shard => _parameters.Pairs(shard.Gradients).Select(p => p.Gradient).ToArray()).ToArray();
        return Enumerable.Range(0, perShard[0].Length).Select(i =>
        {
            var sum = zeros(perShard[0][i].shape, device: perShard[0][i].device);
            foreach (var shard in perShard) sum.add_(shard[i]);
            return sum;
        }).ToArray();
    }

    public void Dispose()
    {
        _runner.Dispose();
        foreach (var parameter in _modelParameters) parameter.grad = null; // the buffers go with the shards
        foreach (var s in _shards) s.Dispose();
        _parameters.Dispose();
    }
}

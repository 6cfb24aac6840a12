using TorchSharp.Modules;
using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>
/// d2l's <c>updater</c>, the step after clipping: a TorchSharp optimizer (<see cref="TrainOptions.Optimizer"/>, SGD by
/// default) or an update of one's own (<see cref="TrainOptions.Updater"/>, such as d2l's <c>sgd(params, lr, batch_size)</c>).
/// </summary>
internal sealed class ParameterUpdate : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Action<IReadOnlyList<Parameter>, double, int>? _updater;
    private readonly double _learningRate;
    private readonly bool _ownsOptimizer = true;

    /// <summary>The update <paramref name="options"/> ask for, of <paramref name="parameters"/> (an optimizer it owns, or
    /// the updater).</summary>
    public ParameterUpdate(IEnumerable<Parameter> parameters, TrainOptions options)
    {
        _parameters = parameters.ToArray();
        _learningRate = options.LearningRate;
        _updater = options.Updater;
        if (_updater is null) Optimizer = (options.Optimizer ?? Optimizers.Sgd)(_parameters, options.LearningRate);
    }

    private ParameterUpdate(optim.Optimizer optimizer)
    {
        _parameters = [];
        Optimizer = optimizer;
        _ownsOptimizer = false;
    }

    /// <summary>The steps of an optimizer the caller owns (for a training step driven by hand, as the tests do).</summary>
    public static ParameterUpdate Through(optim.Optimizer optimizer) => new(optimizer);

    /// <summary>The optimizer, or null when the update is one of one's own.</summary>
    public optim.Optimizer? Optimizer { get; }

    /// <summary>The learning rate the next step uses (a schedule changes the optimizer's between epochs).</summary>
    public double LearningRate => Optimizer?.ParamGroups.First().LearningRate ?? _learningRate;

    /// <summary>Sets every gradient to zero before a backward pass (TorchSharp, like PyTorch, adds them up).</summary>
    public void ZeroGrad()
    {
        if (Optimizer is not null)
        {
            Optimizer.zero_grad();
            return;
        }
        using var noGrad = no_grad();
        foreach (var p in _parameters) p.grad?.zero_();
    }

    /// <summary>Applies the (clipped) gradients: the optimizer's step, or the updater with batch size 1 (the loss is a
    /// mean already, as in d2l's <c>updater(batch_size=1)</c>).</summary>
    public void Step()
    {
        using var scope = NewDisposeScope();
        if (Optimizer is not null) Optimizer.step();
        else _updater!(_parameters, _learningRate, 1);
    }

    public void Dispose()
    {
        if (_ownsOptimizer) Optimizer?.Dispose();
    }
}

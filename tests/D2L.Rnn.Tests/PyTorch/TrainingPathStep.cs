using D2L.Rnn.FastPath;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests.PyTorch;

/// <summary>
/// One minibatch on one <see cref="TrainingPath"/>, from a zero state: the loss, every parameter's gradient before the
/// update, then the clipped SGD step. The only place that knows how each path's step is made and driven.
/// </summary>
internal sealed class TrainingPathStep : IDisposable
{
    private readonly ITrainingStep _step;
    private readonly RNNModel _model;
    private readonly optim.Optimizer _sgd;

    public TrainingPathStep(TrainingPath path, RNNModel model, int batch, int steps, double learningRate, double clipTheta)
    {
        _model = model;
        _sgd = optim.SGD(model.parameters(), learningRate);
        _step = path == TrainingPath.Fast
            ? FastTrainingStep.TryCreate(model, batch, steps, ParameterUpdate.Through(_sgd), clipTheta, threads: 2).Step
              ?? throw new InvalidOperationException($"The fast path does not take {model.Config}.")
            : new ReferenceTrainingStep(model, ParameterUpdate.Through(_sgd), clipTheta);
    }

    /// <summary>Forward and backward on (x, y), (batch, steps) int64, from the zero state: the mean cross-entropy.</summary>
    public float LossAndGradients(Tensor x, Tensor y) => _step.ComputeGradients(x, y, freshState: true);

    /// <summary>The gradients of <see cref="LossAndGradients"/> by parameter name (before clipping); the caller disposes them.</summary>
    public Dictionary<string, Tensor> Gradients()
    {
        var names = _model.named_parameters().Select(p => p.name).ToArray();
        var gradients = _step is FastTrainingStep fast
            ? fast.SummedGradients()
            : _model.parameters().Select(p => p.grad!.detach().clone()).ToArray();
        return names.Zip(gradients).ToDictionary(p => p.First, p => p.Second);
    }

    /// <summary>d2l's <c>grad_clipping</c> then the SGD step on the model's parameters; returns the norm before clipping.</summary>
    public double ClippedSgdStep() => _step.Update();

    public void Dispose()
    {
        _step.Dispose();
        _sgd.Dispose();
    }
}

using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>
/// The reference step, d2l's <c>train_epoch_ch8</c> body: the model's forward pass, autograd, <see cref="GradClipping"/>
/// and the optimizer's step.
/// </summary>
internal sealed class ReferenceTrainingStep(RNNModel model, optim.Optimizer optimizer, double clipTheta) : ITrainingStep
{
    private RnnState? _state;

    public TrainingPath Path => TrainingPath.Reference;

    public float ComputeGradients(Tensor x, Tensor y, bool freshState)
    {
        using var scope = NewDisposeScope();
        if (_state is null || freshState)
        {
            _state?.Dispose();
            _state = model.BeginState((int)x.shape[0], x.device).DetachFromDisposeScope();
        }
        // Keep the values, drop the graph: backpropagation stops at this minibatch.
        var input = _state.Detach();
        _state.Dispose();
        _state = null;

        var (yHat, next) = model.call(x, input);
        _state = next.DetachFromDisposeScope(); // lives until the next minibatch
        var loss = Loss.CrossEntropy(yHat, y);
        optimizer.zero_grad();
        loss.backward();
        return loss.item<float>();
    }

    public double Update()
    {
        using var scope = NewDisposeScope();
        var norm = GradClipping.Clip(model.parameters(), clipTheta);
        optimizer.step();
        return norm;
    }

    public void Dispose() => _state?.Dispose();
}

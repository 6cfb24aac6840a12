using TorchSharp.Modules;
using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>
/// The reference step, d2l's <c>train_epoch_ch8</c> body for any <see cref="IRecurrentModel"/>: the model's forward
/// pass, autograd, <see cref="GradClipping"/> and the update (an optimizer's step or d2l's <c>updater</c>).
/// </summary>
internal sealed class ReferenceTrainingStep(IRecurrentModel model, ParameterUpdate update, double clipTheta) : ITrainingStep
{
    private readonly Parameter[] _parameters = model.parameters().ToArray();
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
        update.ZeroGrad();
        loss.backward();
        return loss.item<float>();
    }

    public double Update()
    {
        using var scope = NewDisposeScope();
        var norm = GradClipping.Clip(_parameters, clipTheta);
        update.Step();
        return norm;
    }

    public void WeightsRestored()
    {
    }

    public RnnState? CopyCarriedState() =>
        _state is null ? null : new RnnState(_state.Hidden.detach().clone(), _state.Cell?.detach().clone()).DetachFromDisposeScope();

    public void RestoreCarriedState(RnnState state)
    {
        _state?.Dispose();
        _state = new RnnState(state.Hidden.to(model.Device, copy: true), state.Cell?.to(model.Device, copy: true)).DetachFromDisposeScope();
    }

    public void Dispose() => _state?.Dispose();
}

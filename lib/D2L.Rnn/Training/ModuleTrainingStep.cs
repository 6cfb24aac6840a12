using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>
/// The reference step, d2l's <c>train_epoch_ch8</c> body: the model's forward pass, autograd, <see cref="GradClipping"/>
/// and TorchSharp's SGD.
/// </summary>
internal sealed class ModuleTrainingStep(RNNModel model, double learningRate, double clipTheta) : ITrainingStep
{
    private readonly optim.Optimizer _optimizer = optim.SGD(model.parameters(), learningRate);
    private RnnState? _state;

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
        var loss = nn.functional.cross_entropy(yHat, y.t().reshape(-1));
        _optimizer.zero_grad();
        loss.backward();
        return loss.item<float>();
    }

    public double Update()
    {
        var norm = GradClipping.Clip(model.parameters(), clipTheta);
        _optimizer.step();
        return norm;
    }

    public void Dispose()
    {
        _state?.Dispose();
        _optimizer.Dispose();
    }
}

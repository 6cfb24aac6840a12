using TorchSharp.Modules;
using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>One minibatch of an N-gram MLP: scores, mean cross-entropy, autograd, clipping and the update. It has no state.</summary>
internal sealed class NGramTrainingStep(Sequential mlp, ParameterUpdate update, double clipTheta) : ITrainingStep
{
    private readonly Parameter[] _parameters = mlp.parameters().ToArray();

    public TrainingPath Path => TrainingPath.Reference;

    public float ComputeGradients(Tensor x, Tensor y, bool freshState)
    {
        using var scope = NewDisposeScope();
        var loss = nn.functional.cross_entropy(mlp.call(x), y);
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

    public RnnState? CopyCarriedState() => null;

    public void RestoreCarriedState(RnnState state) =>
        throw new InvalidOperationException("An N-gram MLP carries no state from one minibatch to the next.");

    public void Dispose()
    {
    }
}

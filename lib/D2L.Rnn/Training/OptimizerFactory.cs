using TorchSharp.Modules;
using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>
/// Makes the optimizer that <see cref="Trainer.Train"/> updates the model with, from the model's parameters and
/// <see cref="TrainOptions.LearningRate"/>: d2l's <c>updater</c>. For example
/// <c>(parameters, lr) =&gt; optim.Adam(parameters, lr)</c>.
/// </summary>
public delegate optim.Optimizer OptimizerFactory(IEnumerable<Parameter> parameters, double learningRate);

/// <summary>Ready-made <see cref="OptimizerFactory"/> values.</summary>
public static class Optimizers
{
    /// <summary>Plain minibatch SGD, d2l's <c>torch.optim.SGD(net.parameters(), lr)</c> (the default).</summary>
    public static OptimizerFactory Sgd { get; } = (parameters, lr) => optim.SGD(parameters, lr);

    /// <summary>Adam with PyTorch's defaults (β 0.9, 0.999; ε 1e-8), at the given learning rate.</summary>
    public static OptimizerFactory Adam { get; } = (parameters, lr) => optim.Adam(parameters, lr);
}

namespace D2L.Rnn.Tests.PyTorch;

/// <summary>The library's two ways of training a minibatch.</summary>
public enum TrainingPath
{
    /// <summary>TorchSharp's modules, autograd, <see cref="GradClipping"/> and SGD (<c>ModuleTrainingStep</c>).</summary>
    Reference,
    /// <summary>The hand-written pass (<c>FusedTraining</c>), split over two shards.</summary>
    Fast,
}

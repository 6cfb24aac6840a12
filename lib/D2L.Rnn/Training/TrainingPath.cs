namespace D2L.Rnn;

/// <summary>Which training step computed the gradients.</summary>
public enum TrainingPath
{
    /// <summary>TorchSharp's modules and autograd, as d2l's <c>train_epoch_ch8</c>.</summary>
    Reference,
    /// <summary>The hand-written forward and backward pass split over the cores (one-hot RNN, GRU, LSTM on the CPU).</summary>
    Fast,
}

namespace D2L.Rnn;

/// <summary>How an <see cref="RNNModel"/>'s parameters start.</summary>
public enum WeightInit
{
    /// <summary>TorchSharp's (= PyTorch's) defaults, as d2l 0.17: uniform in ±1/sqrt(fan).</summary>
    Default,
    /// <summary>The 2019 lecture: every weight Normal(0, 0.01), every bias 0.</summary>
    Normal001,
}

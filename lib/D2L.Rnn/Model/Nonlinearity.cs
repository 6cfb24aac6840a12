namespace D2L.Rnn;

/// <summary>The activation of a plain RNN layer: hₜ = f(xₜ W_ihᵀ + b_ih + hₜ₋₁ W_hhᵀ + b_hh).</summary>
public enum Nonlinearity
{
    /// <summary>tanh: PyTorch's and TorchSharp's default, and d2l 0.17's.</summary>
    Tanh,

    /// <summary>max(0, z): MXNet Gluon's default, so the 2019 lecture's <c>rnn.RNN(num_hiddens)</c> is a ReLU RNN.</summary>
    ReLU,
}

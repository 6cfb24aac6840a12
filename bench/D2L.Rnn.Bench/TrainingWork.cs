namespace D2L.Rnn.Bench;

/// <summary>
/// The matrix work that training one token takes, counted from a model's shapes, and what a measured rate then
/// achieves against the machine's limit.
/// </summary>
/// <remarks>
/// Counted: the multiply-adds of the matrix products a training step of the model needs, per token of a minibatch of
/// <c>numSteps</c> steps (one multiply-add = 2 FLOP, as the probe counts).
/// <list type="bullet">
/// <item>Forward, per step: every layer's W_hh·hₜ₋₁; above the first layer W_ih·xₜ (xₜ the hidden state of the layer
/// below); the output layer W_out·hₜ. The first layer's W_ih·xₜ on a one-hot xₜ is a row gather and counts 0 (the
/// fast path gathers; the reference path and PyTorch multiply by the one-hot matrix, work not counted here).</item>
/// <item>Backward: each of those products twice more, the input gradient (∂x = ∂z·W) and the weight gradient
/// (∂W = ∂zᵀ·x), except W_hh's input gradient at the first step, which would flow into the detached state
/// (numSteps − 1 of numSteps steps). The one-hot input's weight gradient is a row scatter and counts 0.</item>
/// </list>
/// Not counted: biases, nonlinearities, element-wise gate products, softmax, clipping and the SGD step.
/// </remarks>
internal static class TrainingWork
{
    /// <summary>Multiply-adds per trained token of <paramref name="model"/> on minibatches of <paramref name="numSteps"/> steps.</summary>
    public static double MultiplyAddsPerToken(RNNModel model, int numSteps)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(numSteps, 1);
        var total = 3.0 * model.Linear.weight!.numel();
        foreach (var (name, weight) in model.Rnn.named_parameters())
        {
            if (name.StartsWith("weight_hh_", StringComparison.Ordinal))
                total += (3.0 - 1.0 / numSteps) * weight.numel();
            else if (name.StartsWith("weight_ih_", StringComparison.Ordinal) && (name != "weight_ih_l0" || model.Embedding is not null))
                total += 3.0 * weight.numel();
        }
        return total;
    }

    /// <summary>GFLOP/s achieved by training <paramref name="tokensPerSecond"/> tokens/s of that work.</summary>
    public static double Gflops(double tokensPerSecond, double multiplyAddsPerToken) =>
        tokensPerSecond * 2 * multiplyAddsPerToken / 1e9;

    /// <summary>
    /// The machine's limit in GFLOP/s: the single-threaded probe (the mean of the one before and the one after the
    /// runs, as the machine drifts) on every one of <paramref name="threads"/> cores.
    /// </summary>
    public static double LimitGflops(double probeStart, double probeEnd, int threads) => (probeStart + probeEnd) / 2 * threads;
}

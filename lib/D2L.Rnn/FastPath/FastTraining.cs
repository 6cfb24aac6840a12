namespace D2L.Rnn.FastPath;

/// <summary>
/// The fast path's one entry point: a hand-written training step for the models it supports, computing the same
/// gradients as the reference step (<c>ModuleTrainingStep</c>) to float32 rounding, or why it cannot.
/// </summary>
internal static class FastTraining
{
    /// <summary>A fast step for <paramref name="model"/> on minibatches of <paramref name="batch"/> × <paramref name="steps"/>
    /// split over at most <paramref name="threads"/> cores that updates through <paramref name="optimizer"/>, or null
    /// with the reason when the model is not supported.</summary>
    public static (ITrainingStep? Step, string? Declined) TryCreate(RNNModel model, int batch, int steps, TorchSharp.torch.optim.Optimizer optimizer,
        double clipTheta, int threads) =>
        FusedTraining.Unsupported(model) is { } reason
            ? (null, reason)
            : (new FusedTraining(model, batch, steps, optimizer, clipTheta, threads), null);
}

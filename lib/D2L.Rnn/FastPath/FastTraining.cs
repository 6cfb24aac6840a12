namespace D2L.Rnn.FastPath;

/// <summary>
/// The fast path's one entry point: a hand-written training step for the models it supports, computing the same
/// updates as the reference step (<c>ModuleTrainingStep</c>) to float32 rounding, or null for any other model.
/// </summary>
internal static class FastTraining
{
    /// <summary>A fast step for <paramref name="model"/> on minibatches of <paramref name="batch"/> × <paramref name="steps"/>
    /// split over at most <paramref name="threads"/> cores, or null when the model is not supported.</summary>
    public static ITrainingStep? TryCreate(RNNModel model, int batch, int steps, double learningRate, double clipTheta, int threads) =>
        FusedTraining.Supports(model) ? new FusedTraining(model, batch, steps, learningRate, clipTheta, threads) : null;
}

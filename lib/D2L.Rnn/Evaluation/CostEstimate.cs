namespace D2L.Rnn;

/// <summary>The size of a model and the work it does per predicted character (see <see cref="ModelCost"/>).</summary>
/// <param name="Parameters">Number of trainable values: weights and biases.</param>
/// <param name="MultiplyAdds">Multiply-adds of the matrix products for one predicted character.</param>
public sealed record CostEstimate(long Parameters, long MultiplyAdds);

namespace D2L.Rnn;

/// <summary>How well an N-gram MLP predicts the token after each window (see <see cref="NGramEvaluator"/>).</summary>
/// <param name="Accuracy">Share of windows whose most likely next token is the right one.</param>
/// <param name="Perplexity">exp(mean cross-entropy) over the windows.</param>
public sealed record NGramScore(double Accuracy, double Perplexity);

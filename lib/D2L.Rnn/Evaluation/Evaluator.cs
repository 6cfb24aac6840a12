using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>Perplexity of held-out text, with no parameter update.</summary>
public static class Evaluator
{
    /// <summary>
    /// Reads <paramref name="indices"/> as one sequence from a zero state and scores every next token:
    /// exp(mean cross-entropy of the predictions of tokens 1..n-1). The text is fed in chunks of
    /// <paramref name="chunkSteps"/> with the state carried over, so the result does not depend on the chunk. Any
    /// <see cref="IRecurrentModel"/> (<see cref="RNNModel"/>, <see cref="RNNModelScratch"/>, ...), on any device.
    /// </summary>
    public static double Perplexity(IRecurrentModel model, IReadOnlyList<int> indices, int chunkSteps = 1000)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.Count < 2) throw new ArgumentException("Perplexity needs at least two tokens.", nameof(indices));
        if (chunkSteps <= 0) throw new ArgumentOutOfRangeException(nameof(chunkSteps), chunkSteps, "chunkSteps must be positive.");
        TokenIndices.EnsureWithin(indices, model.VocabSize, "the text", nameof(indices));

        using var evaluating = ModelContract.Evaluating(model);
        // Autograd stays on, as in d2l: under no_grad, libtorch runs an LSTM through a packed oneDNN kernel that lost
        // accuracy on a CPU with bfloat16 support (perplexity 6.274 where float64 gives 6.253). States are detached,
        // so each chunk's graph goes with its dispose scope.
        using var grad = enable_grad();
        var state = model.BeginState(1);
        double lossSum = 0;
        long tokens = 0;
        try
        {
            for (var start = 0; start < indices.Count - 1; start += chunkSteps)
            {
                using var scope = NewDisposeScope();
                var n = Math.Min(chunkSteps, indices.Count - 1 - start);
                var x = tensor(Enumerable.Range(start, n).Select(i => (long)indices[i]).ToArray(), [1, n], device: model.Device);
                var y = tensor(Enumerable.Range(start + 1, n).Select(i => (long)indices[i]).ToArray(), [n], device: model.Device);
                var (yHat, next) = model.call(x, state);
                state.Dispose();
                state = next.Detach().MoveToOuterDisposeScope();
                lossSum += nn.functional.cross_entropy(yHat, y, reduction: nn.Reduction.Sum).to(float64).item<double>();
                tokens += n;
            }
        }
        finally
        {
            state.Dispose();
        }
        return Loss.ToPerplexity(lossSum, tokens);
    }
}

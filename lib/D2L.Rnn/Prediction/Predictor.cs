using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>Generates text with any <see cref="IRecurrentModel"/> (<see cref="RNNModel"/>, <see cref="RNNModelScratch"/>, ...), as d2l's <c>predict_ch8</c>.</summary>
public static class Predictor
{
    /// <summary>
    /// Feeds <paramref name="prefix"/> through the model one token at a time to warm up the hidden state
    /// (its outputs are ignored), then appends <paramref name="numPreds"/> tokens, each the most likely
    /// (argmax) next token. Returns the prefix followed by the prediction.
    /// </summary>
    /// <remarks>
    /// A prefix character outside the vocabulary is read as &lt;unk&gt; when the vocabulary has one (as d2l);
    /// with a vocabulary without &lt;unk&gt; (the lecture's) it is an <see cref="ArgumentException"/> that
    /// lists the characters.
    /// </remarks>
    public static string Predict(string prefix, int numPreds, IRecurrentModel model, Vocab vocab) =>
        Generate(prefix, numPreds, model, vocab, logits => logits.argmax(1).item<long>());

    /// <summary>
    /// As <see cref="Predict"/>, but each new token is drawn from softmax(scores / temperature): a low
    /// temperature approaches argmax, a high one approaches uniform. <paramref name="seed"/> makes it repeatable.
    /// </summary>
    public static string Sample(string prefix, int numPreds, IRecurrentModel model, Vocab vocab, double temperature = 1.0,
        int? seed = null)
    {
        if (!(temperature > 0) || double.IsInfinity(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be a positive number.");
        var random = seed is { } s ? new Random(s) : new Random();
        return Generate(prefix, numPreds, model, vocab, logits =>
        {
            // Read on the CPU: a GPU tensor's data cannot be read in place.
            var p = nn.functional.softmax(logits.to(float64) / temperature, 1).cpu().data<double>().ToArray();
            var u = random.NextDouble();
            var cumulative = 0.0;
            for (var i = 0; i < p.Length; i++)
            {
                cumulative += p[i];
                if (u < cumulative) return i;
            }
            return p.Length - 1;
        });
    }

    private static string Generate(string prefix, int numPreds, IRecurrentModel model, Vocab vocab, Func<Tensor, long> choose)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(vocab);
        if (string.IsNullOrEmpty(prefix)) throw new ArgumentException("The prefix needs at least one character.", nameof(prefix));
        if (numPreds < 0) throw new ArgumentOutOfRangeException(nameof(numPreds), numPreds, "numPreds must be 0 or more.");
        ModelContract.EnsureFits(model, vocab);
        var prefixIndices = vocab.CharacterIndices(prefix, nameof(prefix));

        using var evaluating = ModelContract.Evaluating(model);
        using var grad = enable_grad(); // as d2l, and for accuracy: see Evaluator.Perplexity
        var device = model.Device;
        var outputs = new List<long> { prefixIndices[0] };
        var state = model.BeginState(1, device);
        try
        {
            for (var t = 0; t < prefix.Length - 1 + numPreds; t++)
            {
                using var scope = NewDisposeScope();
                var x = tensor(new[] { outputs[^1] }, [1, 1], device: device);
                var (y, next) = model.call(x, state);
                state.Dispose();
                state = next.Detach().MoveToOuterDisposeScope();
                // Warm-up: while inside the prefix, the next input is the prefix's own next character.
                outputs.Add(t < prefix.Length - 1 ? prefixIndices[t + 1] : choose(y));
            }
        }
        finally
        {
            state.Dispose();
        }
        // The prefix is returned as given; only the predicted part is decoded from indices.
        return prefix + string.Concat(outputs.Skip(prefix.Length).Select(i => vocab.ToToken((int)i)));
    }
}

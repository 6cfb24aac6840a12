using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>What the hidden state of a model holds at every step of a text: the picture of what its units learned.</summary>
public static class HiddenStates
{
    /// <summary>
    /// Reads <paramref name="indices"/> as one sequence from a zero state (as <see cref="Evaluator.Perplexity"/> does)
    /// and returns the hidden state of the top layer after every step, shaped (steps, hiddens): row t is the state
    /// after reading token t, from which the model scores token t + 1. For an LSTM it is the hidden state H, not the
    /// memory cell. Computed in evaluation mode (the model's mode is restored afterwards); the result is detached
    /// from autograd.
    /// </summary>
    /// <remarks>
    /// A bidirectional model gives (steps, 2 · hiddens), what its dense layer reads: the first hiddens columns of row t
    /// are the forward direction's state after tokens 0 … t, the last hiddens the reverse direction's after reading the
    /// text backwards from its end down to token t, so row t depends on the tokens after t too (and the whole picture
    /// on where the text ends).
    /// <para/>
    /// Autograd stays on while computing, as in <see cref="Evaluator.Perplexity"/>: under <c>no_grad</c> libtorch runs
    /// an LSTM through a packed oneDNN kernel that lost accuracy on a CPU with bfloat16 support (scores 0.07 away from
    /// the model's own for a 12-unit LSTM; a test compares the two).
    /// </remarks>
    /// <exception cref="ArgumentException">No token, or an index outside the model's vocabulary.</exception>
    public static Tensor Of(RNNModel model, IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.Count == 0) throw new ArgumentException("The hidden states need at least one token.", nameof(indices));
        TokenIndices.EnsureWithin(indices, model.Config.VocabSize, "the text", nameof(indices));

        var wasTraining = model.training;
        model.eval();
        try
        {
            using var grad = enable_grad();
            using var scope = NewDisposeScope();
            var x = tensor(indices.Select(i => (long)i).ToArray(), [1, indices.Count], device: model.Device);
            var (y, state) = model.Recur(model.Encode(x), model.BeginState(1));
            state.Dispose();
            // The layer's output is the top layer's state of every step: (steps, batch 1, directions × hiddens).
            return y.select(1, 0).detach().contiguous().MoveToOuterDisposeScope();
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>
    /// The same for the characters of <paramref name="text"/> (a character vocabulary, such as the lecture's). A
    /// character outside the vocabulary is read as <c>&lt;unk&gt;</c> when there is one, else it is an
    /// <see cref="ArgumentException"/> that lists the characters.
    /// </summary>
    public static Tensor Of(RNNModel model, Vocab vocab, string text)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(vocab);
        if (string.IsNullOrEmpty(text)) throw new ArgumentException("The text needs at least one character.", nameof(text));
        ModelContract.EnsureFits(model, vocab);
        return Of(model, vocab.CharacterIndices(text, nameof(text)));
    }
}

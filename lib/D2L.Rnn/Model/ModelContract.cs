using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>
/// Checks that any <see cref="IRecurrentModel"/> keeps its side of the interface, so that a model of one's own that
/// returns the wrong shapes gets a message naming what to fix before training, not an error from deep inside TorchSharp.
/// </summary>
internal static class ModelContract
{
    private const int ProbeBatch = 2, ProbeSteps = 3;

    /// <summary>Throws an <see cref="ArgumentException"/> (parameter <c>vocab</c>) when the vocabulary's size is not the model's.</summary>
    public static void EnsureFits(IRecurrentModel model, Vocab vocab)
    {
        if (vocab.Count != model.VocabSize)
            throw new ArgumentException(
                $"The vocabulary has {vocab.Count} tokens but the model was built for {model.VocabSize}: pass the vocabulary of the " +
                "corpus the model was trained on (Checkpoint.Load returns a saved model's own).", nameof(vocab));
    }

    /// <summary>
    /// Runs the model once on a (2, 3) minibatch of token 0 from its begin state, in evaluation mode and without
    /// gradients, and throws an <see cref="ArgumentException"/> (parameter <c>model</c>) when the scores are not
    /// (steps × batch, vocab) or the new state is not shaped like the begin state.
    /// </summary>
    public static void EnsureShapes(IRecurrentModel model)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var evaluating = Evaluating(model);
        var begin = model.BeginState(ProbeBatch);
        var beginShapes = Shapes(begin);
        Tensor output;
        RnnState state;
        try
        {
            (output, state) = model.call(zeros([ProbeBatch, ProbeSteps], int64, device: model.Device), begin);
        }
        catch (Exception e) when (e is not ArgumentException)
        {
            throw new ArgumentException(
                $"The model failed on a ({ProbeBatch}, {ProbeSteps}) minibatch from its begin state {beginShapes}: {e.Message}", nameof(model), e);
        }
        long[] expected = [ProbeSteps * ProbeBatch, model.VocabSize];
        if (!output.shape.SequenceEqual(expected))
            throw new ArgumentException(
                $"For a minibatch of {ProbeBatch} sequences of {ProbeSteps} steps the model returned scores shaped {Shape(output.shape)}; " +
                $"they must be (steps × batch, vocab) = {Shape(expected)}: one (batch, vocab) output per time step.", nameof(model));
        if (Shapes(state) != beginShapes)
            throw new ArgumentException(
                $"The model returned a state {Shapes(state)}, but its begin state is {beginShapes}: the recurrence must return a " +
                "state of the same tensors and shapes as the one it was given.", nameof(model));
    }

    /// <summary>Evaluation mode (no dropout) until disposed, for models that are TorchSharp modules; the mode is then restored.</summary>
    public static IDisposable Evaluating(IRecurrentModel model) => new Mode(model as nn.Module, training: false);

    /// <summary>Training mode until disposed, for models that are TorchSharp modules.</summary>
    public static IDisposable Training(IRecurrentModel model) => new Mode(model as nn.Module, training: true);

    private static string Shape(long[] shape) => $"({string.Join(", ", shape)})";

    private static string Shapes(RnnState state) =>
        state.Cell is { } c ? $"H {Shape(state.Hidden.shape)}, C {Shape(c.shape)}" : $"H {Shape(state.Hidden.shape)}";

    private sealed class Mode : IDisposable
    {
        private readonly nn.Module? _module;
        private readonly bool _was;

        public Mode(nn.Module? module, bool training)
        {
            _module = module;
            _was = module?.training ?? false;
            module?.train(training);
        }

        public void Dispose() => _module?.train(_was);
    }
}

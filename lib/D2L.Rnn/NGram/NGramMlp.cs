using TorchSharp.Modules;
using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>The homework's next-character MLP: encoded window → one hidden ReLU layer → a score per token.</summary>
public static class NGramMlp
{
    /// <summary>
    /// <c>Sequential(Linear(width, hiddens), ReLU, Linear(hiddens, vocab))</c>, where width is
    /// <see cref="NGramEncoder.Width"/> of the encoding; TorchSharp's default initialisation, on the CPU (move it with
    /// <c>mlp.to(device)</c>).
    /// </summary>
    /// <param name="vocabSize">Number of tokens: inputs per position and outputs.</param>
    /// <param name="encoding">The input encoding, which decides the input width.</param>
    /// <param name="windowLength">Tokens per window (the homework's 5).</param>
    /// <param name="hiddens">Hidden units (the homework's 256).</param>
    public static Sequential Create(int vocabSize, NGramEncoding encoding, int windowLength = 5, int hiddens = 256)
    {
        var width = NGramEncoder.Width(encoding, windowLength, vocabSize);
        if (hiddens <= 0) throw new ArgumentOutOfRangeException(nameof(hiddens), hiddens, "The number of hidden units must be positive.");
        return nn.Sequential(
            ("hidden", nn.Linear(width, hiddens, device: CPU)),
            ("relu", nn.ReLU()),
            ("output", nn.Linear(hiddens, vocabSize, device: CPU)));
    }
}

using TorchSharp.Modules;
using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>Scores an N-gram MLP on held-out windows, with no parameter update.</summary>
public static class NGramEvaluator
{
    /// <summary>
    /// Accuracy and perplexity of <paramref name="mlp"/>'s next-token predictions for every window of
    /// <paramref name="windows"/>, in chunks of <paramref name="batchSize"/>, on the MLP's device; the model's mode is restored
    /// afterwards.
    /// </summary>
    public static NGramScore Evaluate(Sequential mlp, NGramWindows windows, int vocabSize, NGramEncoding encoding, int batchSize = 8192)
    {
        ArgumentNullException.ThrowIfNull(mlp);
        var loader = new NGramDataLoader(windows, vocabSize, encoding, batchSize, shuffle: false);
        var wasTraining = mlp.training;
        mlp.eval();
        double lossSum = 0;
        long right = 0;
        try
        {
            using var noGrad = no_grad();
            var device = mlp.parameters().First().device;
            foreach (var (xCpu, yCpu) in loader)
            using (xCpu) using (yCpu) using (NewDisposeScope())
            {
                // The loader's minibatches are on the CPU; the MLP may be on a GPU.
                var (x, y) = (xCpu.to(device), yCpu.to(device));
                var scores = mlp.call(x);
                lossSum += nn.functional.cross_entropy(scores, y, reduction: nn.Reduction.Sum).to(float64).item<double>();
                right += scores.argmax(1).eq(y).sum().item<long>();
            }
        }
        finally
        {
            mlp.train(wasTraining);
        }
        return new NGramScore((double)right / windows.Count, Loss.ToPerplexity(lossSum, windows.Count));
    }
}

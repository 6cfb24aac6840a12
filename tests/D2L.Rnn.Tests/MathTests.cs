using D2L.Rnn;
using TorchSharp;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests;

/// <summary>Clipping and perplexity against values worked out by hand.</summary>
public class MathTests
{
    [Fact]
    public void ClippingScalesAllGradientsByThetaOverTheJointNorm()
    {
        // Gradients (3, 4) and (12): joint norm sqrt(9 + 16 + 144) = 13.
        var a = new TorchSharp.Modules.Parameter(zeros(2));
        var b = new TorchSharp.Modules.Parameter(zeros(1));
        a.grad = tensor(new float[] { 3, 4 });
        b.grad = tensor(new float[] { 12 });
        var norm = GradClipping.Clip([a, b], theta: 1.3);
        Assert.Equal(13, norm, 5);
        Assert.Equal([0.3f, 0.4f], a.grad!.data<float>().ToArray(), (x, y) => Math.Abs(x - y) < 1e-6);
        Assert.Equal(1.2f, b.grad!.item<float>(), 5);
    }

    [Fact]
    public void ClippingLeavesSmallGradientsAlone()
    {
        var a = new TorchSharp.Modules.Parameter(zeros(2));
        a.grad = tensor(new float[] { 0.3f, 0.4f });
        Assert.Equal(0.5, GradClipping.Clip([a], theta: 1), 5);
        Assert.Equal([0.3f, 0.4f], a.grad!.data<float>().ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => GradClipping.Clip([a], 0));
    }

    [Fact]
    public void PerplexityIsExpOfTheTokenWeightedMeanLoss()
    {
        // Two minibatches: mean loss 1.0 over 10 tokens, 2.0 over 30 tokens -> exp((10 + 60) / 40) = exp(1.75).
        Assert.Equal(Math.Exp(1.75), Loss.ToPerplexity(1.0 * 10 + 2.0 * 30, 40), 12);
        // A uniform guess over V tokens has perplexity V.
        Assert.Equal(28, Loss.ToPerplexity(Math.Log(28) * 100, 100), 9);
        Assert.Throws<ArgumentOutOfRangeException>(() => Loss.ToPerplexity(1, 0));
    }
}

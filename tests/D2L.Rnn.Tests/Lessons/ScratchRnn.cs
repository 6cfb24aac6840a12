using D2L.Rnn;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests;

/// <summary>
/// The from-scratch lesson's functions (notebooks/rnn-scratch.dib), as its cells write them: <c>get_params</c>,
/// <c>init_rnn_state</c>, <c>rnn</c> and <c>sgd</c>.
/// </summary>
internal static class ScratchRnn
{
    public static IReadOnlyList<Parameter> GetParams(int vocabSize, int numHiddens, Device device)
    {
        Parameter Normal(params long[] shape) => nn.Parameter(randn(shape, device: device) * 0.01);
        return [Normal(vocabSize, numHiddens), Normal(numHiddens, numHiddens), nn.Parameter(zeros(numHiddens, device: device)),
                Normal(numHiddens, vocabSize), nn.Parameter(zeros(vocabSize, device: device))];
    }

    public static RnnState InitRnnState(int batchSize, int numHiddens, Device device) => new(zeros(batchSize, numHiddens, device: device));

    public static (IReadOnlyList<Tensor> Outputs, RnnState State) Rnn(IReadOnlyList<Tensor> inputs, RnnState state, IReadOnlyList<Tensor> p)
    {
        var (wXh, wHh, bH, wHq, bQ) = (p[0], p[1], p[2], p[3], p[4]);
        var h = state.Hidden;
        var outputs = new List<Tensor>();
        foreach (var x in inputs)
        {
            h = tanh(x.matmul(wXh) + h.matmul(wHh) + bH);
            outputs.Add(h.matmul(wHq) + bQ);
        }
        return (outputs, new RnnState(h));
    }

    /// <summary>d2l's <c>sgd(params, lr, batch_size)</c>.</summary>
    public static void Sgd(IReadOnlyList<Tensor> parameters, double lr, int batchSize)
    {
        using var noGrad = no_grad();
        foreach (var p in parameters) p.sub_(p.grad! * lr / batchSize);
    }

    public static RNNModelScratch Model(int vocabSize, int numHiddens) =>
        new(vocabSize, numHiddens, CPU, GetParams, InitRnnState, Rnn);
}

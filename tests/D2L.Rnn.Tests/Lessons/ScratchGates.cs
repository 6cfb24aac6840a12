using D2L.Rnn;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests;

/// <summary>
/// The GRU and LSTM lessons' models from scratch (notebooks/gru.dib, notebooks/lstm.dib), as their cells write them:
/// parameters in threes, the state, the cell.
/// </summary>
internal static class ScratchGates
{
    private static Parameter Normal(Device device, params long[] shape) => nn.Parameter(randn(shape, device: device) * 0.01);

    // The lessons' _three(): input weights, recurrent weights, bias.
    private static IEnumerable<Parameter> Three(int vocabSize, int numHiddens, Device device) =>
        [Normal(device, vocabSize, numHiddens), Normal(device, numHiddens, numHiddens), nn.Parameter(zeros(numHiddens, device: device))];

    private static IReadOnlyList<Parameter> GetParams(int gates, int vocabSize, int numHiddens, Device device) =>
        Enumerable.Range(0, gates).SelectMany(_ => Three(vocabSize, numHiddens, device))
            .Append(Normal(device, numHiddens, vocabSize)).Append(nn.Parameter(zeros(vocabSize, device: device))).ToList();

    public static RNNModelScratch Gru(int vocabSize, int numHiddens) =>
        new(vocabSize, numHiddens, CPU, (v, h, d) => GetParams(3, v, h, d), (b, h, d) => new RnnState(zeros(b, h, device: d)), GruCell);

    public static RNNModelScratch Lstm(int vocabSize, int numHiddens) =>
        new(vocabSize, numHiddens, CPU, (v, h, d) => GetParams(4, v, h, d),
            (b, h, d) => new RnnState(zeros(b, h, device: d), zeros(b, h, device: d)), LstmCell);

    private static (IReadOnlyList<Tensor> Outputs, RnnState State) GruCell(IReadOnlyList<Tensor> inputs, RnnState state, IReadOnlyList<Tensor> p)
    {
        var h = state.Hidden;
        var outputs = new List<Tensor>();
        foreach (var x in inputs)
        {
            var z = sigmoid(x.matmul(p[0]) + h.matmul(p[1]) + p[2]);
            var r = sigmoid(x.matmul(p[3]) + h.matmul(p[4]) + p[5]);
            var candidate = tanh(x.matmul(p[6]) + r * h.matmul(p[7]) + p[8]);
            h = z * h + (1 - z) * candidate;
            outputs.Add(h.matmul(p[9]) + p[10]);
        }
        return (outputs, new RnnState(h));
    }

    private static (IReadOnlyList<Tensor> Outputs, RnnState State) LstmCell(IReadOnlyList<Tensor> inputs, RnnState state, IReadOnlyList<Tensor> p)
    {
        var (h, c) = (state.Hidden, state.Cell!);
        var outputs = new List<Tensor>();
        foreach (var x in inputs)
        {
            var i = sigmoid(x.matmul(p[0]) + h.matmul(p[1]) + p[2]);
            var f = sigmoid(x.matmul(p[3]) + h.matmul(p[4]) + p[5]);
            var o = sigmoid(x.matmul(p[6]) + h.matmul(p[7]) + p[8]);
            var candidate = tanh(x.matmul(p[9]) + h.matmul(p[10]) + p[11]);
            c = f * c + i * candidate;
            h = o * c.tanh();
            outputs.Add(h.matmul(p[12]) + p[13]);
        }
        return (outputs, new RnnState(h, c));
    }
}

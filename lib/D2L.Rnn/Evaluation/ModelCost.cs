using TorchSharp.Modules;
using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>
/// Parameters and multiply-adds per predicted character, read from a model's own layers.
/// </summary>
/// <remarks>
/// Convention: every weight matrix multiplies its input vector once per character, one multiply-add per weight
/// entry. One-hot inputs count as dense (vocab multiply-adds per row, though a lookup would need none); a learned
/// embedding is a lookup (its weights count as parameters, not as multiply-adds). Biases, nonlinearities, the
/// element-wise gate products of a GRU or LSTM and the softmax are not counted. So a dense layer of i inputs and
/// o outputs has i·o + o parameters and i·o multiply-adds; a recurrent layer of i inputs and h units has
/// g·(h(i + h) + 2h) parameters (TorchSharp keeps both b_ih and b_hh) and g·h(i + h) multiply-adds per step, with
/// g = 1 for an RNN, 3 for a GRU, 4 for an LSTM. A bidirectional layer counts both directions: twice that, each
/// direction of a layer above the first reading 2h inputs, and a dense layer of 2h inputs.
/// </remarks>
public static class ModelCost
{
    /// <summary>An MLP: the sum over its <see cref="Linear"/> layers, which must hold all its parameters.</summary>
    /// <exception cref="ArgumentException">A layer other than <see cref="Linear"/> has parameters.</exception>
    public static CostEstimate Of(Sequential mlp)
    {
        ArgumentNullException.ThrowIfNull(mlp);
        var linears = mlp.modules().OfType<Linear>().ToArray();
        var counted = linears.Sum(l => l.parameters().Sum(p => p.numel()));
        var total = Count(mlp);
        if (counted != total)
            throw new ArgumentException($"Only Linear layers are costed, but {total - counted} parameters sit in other layers.", nameof(mlp));
        return new CostEstimate(total, linears.Sum(l => l.weight!.numel()));
    }

    /// <summary>
    /// An <see cref="RNNModel"/> for one step: each recurrent layer's W_ih and W_hh (of both directions when it is
    /// bidirectional), then the dense output layer.
    /// </summary>
    public static CostEstimate Of(RNNModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        // weight_ih_lk is (g·h, inputs) and weight_hh_lk is (g·h, h): their entries are the step's multiply-adds. The
        // reverse direction's weight_ih_lk_reverse and weight_hh_lk_reverse are among them.
        var recurrent = model.Rnn.named_parameters().Where(p => p.name.StartsWith("weight_")).Sum(p => p.parameter.numel());
        return new CostEstimate(Count(model), recurrent + model.Linear.weight!.numel());
    }

    private static long Count(nn.Module module) => module.parameters().Sum(p => p.numel());
}

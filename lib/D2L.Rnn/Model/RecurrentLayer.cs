using TorchSharp.Modules;
using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>Builds the recurrent layer of a <see cref="ModelConfig"/>, and reads the configuration of a layer built elsewhere.</summary>
internal static class RecurrentLayer
{
    /// <summary>TorchSharp's RNN, GRU or LSTM module for <paramref name="config"/>, reading <see cref="ModelConfig.InputSize"/> features.</summary>
    public static nn.Module Create(ModelConfig config) => config.Kind switch
    {
        CellKind.Rnn => nn.RNN(config.InputSize, config.NumHiddens, config.NumLayers,
            config.Nonlinearity == Nonlinearity.ReLU ? nn.NonLinearities.ReLU : nn.NonLinearities.Tanh),
        CellKind.Gru => nn.GRU(config.InputSize, config.NumHiddens, config.NumLayers),
        _ => nn.LSTM(config.InputSize, config.NumHiddens, config.NumLayers),
    };

    /// <summary>
    /// The configuration of a layer made with <c>nn.RNN</c>, <c>nn.GRU</c> or <c>nn.LSTM</c> that reads one-hot
    /// vectors of <paramref name="vocabSize"/> tokens. Throws an <see cref="ArgumentException"/> (parameter
    /// <c>rnnLayer</c>) for a layer this model cannot use.
    /// </summary>
    public static ModelConfig Describe(nn.Module rnnLayer, int vocabSize)
    {
        ArgumentNullException.ThrowIfNull(rnnLayer);
        var kind = rnnLayer switch
        {
            RNN => CellKind.Rnn,
            GRU => CellKind.Gru,
            LSTM => CellKind.Lstm,
            _ => throw new ArgumentException(
                $"The recurrent layer must be nn.RNN, nn.GRU or nn.LSTM, not {rnnLayer.GetType().Name}.", nameof(rnnLayer)),
        };
        var parameters = rnnLayer.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        if (parameters.Keys.Any(k => k.EndsWith("_reverse")))
            throw new ArgumentException("A bidirectional layer cannot predict the next token: build it with bidirectional: false.", nameof(rnnLayer));
        if (!parameters.ContainsKey("bias_ih_l0"))
            throw new ArgumentException("The recurrent layer needs biases: build it with bias: true (the default).", nameof(rnnLayer));
        var inputs = parameters["weight_ih_l0"].shape[1];
        if (inputs != vocabSize)
            throw new ArgumentException(
                $"The layer reads vectors of {inputs} features, but the one-hot input has the vocabulary's {vocabSize}: " +
                $"build it with nn.{kind.ToString().ToUpperInvariant()}({vocabSize}, hiddens).", nameof(rnnLayer));
        var hiddens = (int)parameters["weight_hh_l0"].shape[1];
        var layers = parameters.Keys.Count(k => k.StartsWith("weight_ih_l"));
        var config = new ModelConfig(kind, vocabSize, hiddens, layers,
            kind == CellKind.Rnn ? NonlinearityOf(rnnLayer, vocabSize) : Nonlinearity.Tanh);
        EnsureTimeMajor(rnnLayer, config);
        return config;
    }

    // TorchSharp's RNN module does not expose its nonlinearity, so one step is computed both ways and compared with
    // the layer's own output. With inputs +1 and −1 everywhere, some pre-activation is negative unless W_ih is zero,
    // and there ReLU gives 0 where tanh is negative. (With W_ih = 0 and zero biases both agree: tanh is reported.)
    private static Nonlinearity NonlinearityOf(nn.Module rnnLayer, int vocabSize)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var layer = (RNN)rnnLayer;
        var w = layer.get_weight_ih(0)!;
        var b = layer.get_bias_ih(0)! + layer.get_bias_hh(0)!;
        double tanhError = 0, reluError = 0;
        foreach (var sign in new[] { 1f, -1f })
        {
            var x = full([1, 1, vocabSize], sign, device: w.device);
            var (_, h) = layer.call(x, null);
            var hidden = h[0, 0];
            var z = w.sum(1).mul(sign) + b;
            tanhError += (hidden - z.tanh()).abs().max().item<float>();
            reluError += (hidden - z.relu()).abs().max().item<float>();
        }
        return reluError < tanhError ? Nonlinearity.ReLU : Nonlinearity.Tanh;
    }

    // The model feeds (steps, batch, features); a batch_first layer would silently swap steps and sequences.
    private static void EnsureTimeMajor(nn.Module rnnLayer, ModelConfig config)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var device = rnnLayer.parameters().First().device;
        var x = zeros([2, 1, config.VocabSize], device: device);
        var hidden = rnnLayer switch
        {
            LSTM lstm => lstm.call(x, null).Item2,
            GRU gru => gru.call(x, null).Item2,
            _ => ((RNN)rnnLayer).call(x, null).Item2,
        };
        if (hidden.shape[1] != 1)
            throw new ArgumentException("The layer was built with batchFirst: true; the model feeds (steps, batch, features).", nameof(rnnLayer));
    }
}

using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>Builds the recurrent layer of a <see cref="ModelConfig"/>, and reads the configuration of a layer built elsewhere.</summary>
internal static class RecurrentLayer
{
    /// <summary>TorchSharp's RNN, GRU or LSTM module for <paramref name="config"/>, reading <see cref="ModelConfig.InputSize"/> features.</summary>
    public static nn.Module Create(ModelConfig config) => Cells.Of(config.Kind).Create(config);

    /// <summary>
    /// The configuration of a layer made with <c>nn.RNN</c>, <c>nn.GRU</c> or <c>nn.LSTM</c> that reads one-hot
    /// vectors of <paramref name="vocabSize"/> tokens. Throws an <see cref="ArgumentException"/> (parameter
    /// <c>rnnLayer</c>) for a layer this model cannot use.
    /// </summary>
    public static ModelConfig Describe(nn.Module rnnLayer, int vocabSize)
    {
        ArgumentNullException.ThrowIfNull(rnnLayer);
        var cell = Cells.Of(rnnLayer) ?? throw new ArgumentException(
            $"The recurrent layer must be {Cells.ModuleNames}, not {rnnLayer.GetType().Name}.", nameof(rnnLayer));
        var parameters = rnnLayer.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        if (!parameters.ContainsKey("bias_ih_l0"))
            throw new ArgumentException("The recurrent layer needs biases: build it with bias: true (the default).", nameof(rnnLayer));
        var inputs = parameters["weight_ih_l0"].shape[1];
        if (inputs != vocabSize)
            throw new ArgumentException(
                $"The layer reads vectors of {inputs} features, but the one-hot input has the vocabulary's {vocabSize}: " +
                $"build it with nn.{cell.Name}({vocabSize}, hiddens).", nameof(rnnLayer));
        var hiddens = (int)parameters["weight_hh_l0"].shape[1];
        // A bidirectional layer's reverse direction has parameters of its own, named as in PyTorch: weight_ih_l0_reverse, ...
        var bidirectional = parameters.ContainsKey("weight_ih_l0_reverse");
        var layers = parameters.Keys.Count(k => k.StartsWith("weight_ih_l") && !k.EndsWith("_reverse"));
        var config = new ModelConfig(cell.Kind, vocabSize, hiddens, layers, cell.NonlinearityOf(rnnLayer, vocabSize),
            Bidirectional: bidirectional);
        EnsureTimeMajor(cell, rnnLayer, config);
        return config;
    }

    // The model feeds (steps, batch, features); a batch_first layer would silently swap steps and sequences.
    private static void EnsureTimeMajor(RecurrentCell cell, nn.Module rnnLayer, ModelConfig config)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var device = rnnLayer.parameters().First().device;
        var x = zeros([2, 1, config.VocabSize], device: device);
        var hidden = cell.Run(rnnLayer, x, null).State.Hidden;
        if (hidden.shape[1] != 1)
            throw new ArgumentException("The layer was built with batchFirst: true; the model feeds (steps, batch, features).", nameof(rnnLayer));
    }
}

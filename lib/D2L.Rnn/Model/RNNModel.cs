using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>
/// d2l's <c>RNNModel</c>: token indices → one-hot vectors → a recurrent layer (RNN, GRU or LSTM) → a dense
/// layer that scores every token of the vocabulary at every time step. With <see cref="ModelConfig.EmbeddingSize"/>
/// set, a learned embedding replaces the one-hot vectors. With <see cref="ModelConfig.Bidirectional"/> the layer also
/// runs backwards in time and, as in d2l, the dense layer reads both directions (2 · hiddens features) and the state
/// has one layer per direction.
/// </summary>
public sealed class RNNModel : nn.Module<Tensor, RnnState, (Tensor Output, RnnState State)>, IRecurrentModel
{
    // d2l's names: the state dict reads rnn.weight_ih_l0 … linear.bias, as in the book, plus embedding.weight when
    // there is one (a null field is not registered, so one-hot models keep exactly d2l's state dict).
#pragma warning disable IDE1006
    private readonly Embedding? embedding;
    private readonly nn.Module rnn;
    private readonly Linear linear;
#pragma warning restore IDE1006

    /// <summary>Builds the model on the CPU (whatever TorchSharp's default device); move it with <c>model.to(device)</c>.</summary>
    /// <param name="config">Kind, vocabulary size, hidden units, layers, nonlinearity, embedding size and directions.</param>
    /// <param name="init">How the parameters start.</param>
    public RNNModel(ModelConfig config, WeightInit init = WeightInit.Default)
        : this(RecurrentLayer.Create(Validated(config)), config)
    {
        Initialize(init);
    }

    /// <summary>
    /// The lecture's <c>RNNModel(rnn_layer, vocab_size)</c>: wraps a layer made with <c>nn.RNN</c>, <c>nn.GRU</c>
    /// or <c>nn.LSTM</c> whose input size is <paramref name="vocabSize"/>, and adds the dense output layer. The
    /// model trains the layer itself (no copy); its configuration, nonlinearity included, is read from the layer.
    /// The input is one-hot: build an embedding model from a <see cref="ModelConfig"/>. A layer built with
    /// <c>bidirectional: true</c> is read as such (d2l's <c>num_directions = 2</c>): the dense layer then reads
    /// 2 · hiddens features. The dense layer is made where the layer is (move the whole model with <c>model.to(device)</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The layer is of another kind, batch-first, without biases, or its input
    /// size is not <paramref name="vocabSize"/>.</exception>
    public RNNModel(nn.Module rnnLayer, int vocabSize)
        : this(rnnLayer, RecurrentLayer.Describe(rnnLayer, vocabSize > 0 ? vocabSize
            : throw new ArgumentOutOfRangeException(nameof(vocabSize), vocabSize, "The vocabulary size must be positive.")))
    {
    }

    private RNNModel(nn.Module rnnLayer, ModelConfig config) : base(nameof(RNNModel))
    {
        Config = config;
        // Beside the layer: the CPU for a model built from a configuration, else wherever the given layer is.
        var device = rnnLayer.parameters().First().device;
        if (config.EmbeddingSize is { } size) embedding = nn.Embedding(config.VocabSize, size, device: device);
        rnn = rnnLayer;
        // d2l: nn.Linear(num_hiddens * num_directions, vocab_size), the layer's output at each step being both directions'.
        linear = nn.Linear(config.OutputSize, config.VocabSize, device: device);
        RegisterComponents();
    }

    private static ModelConfig Validated(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        return config;
    }

    /// <summary>Kind, vocabulary size, hidden units, layers, nonlinearity, embedding size and directions.</summary>
    public ModelConfig Config { get; }

    /// <summary>The learned input embedding (vocab, embedding size), or null when the input is one-hot.</summary>
    public Embedding? Embedding => embedding;

    /// <summary>The recurrent layer (TorchSharp's RNN, GRU or LSTM module): d2l's <c>self.rnn</c>.</summary>
    public nn.Module Rnn => rnn;

    /// <summary>The dense output layer: d2l's <c>self.linear</c>.</summary>
    public Linear Linear => linear;

    /// <summary>The device of the parameters.</summary>
    public Device Device => linear.weight!.device;

    int IRecurrentModel.VocabSize => Config.VocabSize;

    IEnumerable<Parameter> IRecurrentModel.parameters() => parameters();

    /// <summary>
    /// Re-initialises every parameter, as Gluon's <c>model.initialize(force_reinit=True, init=...)</c>:
    /// <see cref="WeightInit.Normal001"/> draws every weight (the embedding's included) from Normal(0, 0.01) and
    /// sets every bias to zero;
    /// <see cref="WeightInit.Default"/> keeps TorchSharp's initialisation.
    /// </summary>
    public void Initialize(WeightInit init)
    {
        if (!Enum.IsDefined(init)) throw new ArgumentOutOfRangeException(nameof(init), init, "Unknown initialisation.");
        if (init == WeightInit.Default) return;
        using var noGrad = no_grad();
        foreach (var (name, p) in named_parameters())
        {
            if (name.Contains("weight")) nn.init.normal_(p, 0, 0.01);
            else nn.init.zeros_(p);
        }
    }

    /// <summary>
    /// One forward pass. <paramref name="inputs"/> holds token indices shaped (batch, steps); the output holds
    /// scores shaped (steps × batch, vocab), time-major as d2l, so that row t·batch + b scores step t of
    /// sequence b.
    /// </summary>
    public override (Tensor Output, RnnState State) forward(Tensor inputs, RnnState state)
    {
        using var scope = NewDisposeScope();
        var (y, newState) = Recur(Encode(inputs), state);
        // The dense layer sees (steps × batch, hiddens) and scores every token: (steps × batch, vocab).
        var output = linear.call(y.reshape(-1, y.shape[^1]));
        output.MoveToOuterDisposeScope();
        return (output, newState.MoveToOuterDisposeScope());
    }

    /// <summary>(batch, steps) token indices → (steps, batch, features): a learned vector per token, or its one-hot vector.</summary>
    internal Tensor Encode(Tensor inputs)
    {
        var tokens = inputs.T.to(int64);
        return embedding is not null ? embedding.call(tokens) : nn.functional.one_hot(tokens, Config.VocabSize).to(float32);
    }

    /// <summary>
    /// Runs the recurrent layer alone on (steps, batch, <see cref="ModelConfig.InputSize"/>) input: outputs and the new state.
    /// The outputs are the top layer's, shaped (steps, batch, <see cref="ModelConfig.OutputSize"/>); a bidirectional
    /// layer's hold the forward direction's hiddens, then the reverse direction's.
    /// </summary>
    public (Tensor Y, RnnState State) Recur(Tensor x, RnnState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return Cells.Of(Config.Kind).Run(rnn, x, state);
    }

    /// <summary>
    /// The zero state for <paramref name="batchSize"/> sequences: (directions × layers, batch, hiddens), a pair for an
    /// LSTM, on <paramref name="device"/> (default: where the model's parameters are). d2l's <c>begin_state</c>, with
    /// its <c>num_directions</c>: a bidirectional layer's state holds layer 0 forward, layer 0 reverse, layer 1
    /// forward, ... (PyTorch's order).
    /// </summary>
    public RnnState BeginState(int batchSize, Device? device = null)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be positive.");
        device ??= Device;
        long[] shape = [Config.NumDirections * Config.NumLayers, batchSize, Config.NumHiddens];
        return Cells.Of(Config.Kind).HasMemoryCell
            ? new RnnState(zeros(shape, device: device), zeros(shape, device: device))
            : new RnnState(zeros(shape, device: device));
    }
}

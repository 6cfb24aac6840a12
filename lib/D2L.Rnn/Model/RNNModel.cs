using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace D2L.Rnn.Model;

/// <summary>
/// d2l's <c>RNNModel</c>: token indices → one-hot vectors → a recurrent layer (RNN, GRU or LSTM) → a dense
/// layer that scores every token of the vocabulary at every time step.
/// </summary>
public sealed class RNNModel : nn.Module<Tensor, RnnState, (Tensor Output, RnnState State)>
{
    private readonly nn.Module _rnn;
    private readonly Linear _dense;

    /// <summary>Builds the model on the CPU; move it with <c>model.to(device)</c>.</summary>
    /// <param name="config">Kind, vocabulary size, hidden units and layers.</param>
    /// <param name="init">How the parameters start.</param>
    public RNNModel(ModelConfig config, WeightInit init = WeightInit.Default) : base(nameof(RNNModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (!Enum.IsDefined(init)) throw new ArgumentOutOfRangeException(nameof(init), init, "Unknown initialisation.");
        Config = config;
        _rnn = config.Kind switch
        {
            CellKind.Rnn => nn.RNN(config.VocabSize, config.NumHiddens, config.NumLayers),
            CellKind.Gru => nn.GRU(config.VocabSize, config.NumHiddens, config.NumLayers),
            _ => nn.LSTM(config.VocabSize, config.NumHiddens, config.NumLayers),
        };
        _dense = nn.Linear(config.NumHiddens, config.VocabSize);
        RegisterComponents();
        if (init == WeightInit.Normal001) InitNormal001();
    }

    /// <summary>Kind, vocabulary size, hidden units and layers.</summary>
    public ModelConfig Config { get; }

    /// <summary>The recurrent layer (TorchSharp's RNN, GRU or LSTM module).</summary>
    public nn.Module RecurrentLayer => _rnn;

    /// <summary>The output layer.</summary>
    public Linear Dense => _dense;

    /// <summary>
    /// How token indices enter the recurrent layer: <see cref="Model.InputEncoding.OneHot"/> (the default, the
    /// reference) or the faster <see cref="Model.InputEncoding.Gather"/>, which uses the same parameters and gives
    /// the same results to float32 rounding. Not saved in checkpoints: it is a way of computing, not a weight.
    /// </summary>
    public InputEncoding InputEncoding { get; set; } = InputEncoding.OneHot;

    /// <summary>
    /// One forward pass. <paramref name="inputs"/> holds token indices shaped (batch, steps); the output holds
    /// scores shaped (steps × batch, vocab), time-major as d2l, so that row t·batch + b scores step t of
    /// sequence b.
    /// </summary>
    public override (Tensor Output, RnnState State) forward(Tensor inputs, RnnState state)
    {
        // The fast path (see GatherInput.cs); the one-hot code below stays the reference.
        if (InputEncoding == InputEncoding.Gather) return GatherInput.Forward(this, inputs, state);
        return ForwardOneHot(inputs, state);
    }

    /// <summary>The reference forward pass (one-hot input), whatever <see cref="InputEncoding"/> says.</summary>
    internal (Tensor Output, RnnState State) ForwardOneHot(Tensor inputs, RnnState state)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.one_hot(inputs.T.to(int64), Config.VocabSize).to(float32);
        var (y, newState) = Recur(x, state);
        var output = _dense.call(y.reshape(-1, y.shape[^1]));
        output.MoveToOuterDisposeScope();
        return (output, newState.MoveToOuterDisposeScope());
    }

    /// <summary>Runs the recurrent layer alone on (steps, batch, features) input: outputs and the new state.</summary>
    public (Tensor Y, RnnState State) Recur(Tensor x, RnnState state)
    {
        switch (_rnn)
        {
            case LSTM lstm:
            {
                if (state.Cell is null) throw new ArgumentException("An LSTM needs a state with a memory cell.", nameof(state));
                var (y, h, c) = lstm.call(x, (state.Hidden, state.Cell));
                return (y, new RnnState(h, c));
            }
            case GRU gru:
            {
                var (y, h) = gru.call(x, state.Hidden);
                return (y, new RnnState(h));
            }
            default:
            {
                var (y, h) = ((RNN)_rnn).call(x, state.Hidden);
                return (y, new RnnState(h));
            }
        }
    }

    /// <summary>
    /// The zero state for <paramref name="batchSize"/> sequences: (layers, batch, hiddens), a pair for an LSTM,
    /// on <paramref name="device"/> (default: where the model's parameters are).
    /// </summary>
    public RnnState BeginState(int batchSize, Device? device = null)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be positive.");
        device ??= _dense.weight!.device;
        long[] shape = [Config.NumLayers, batchSize, Config.NumHiddens];
        return Config.Kind == CellKind.Lstm
            ? new RnnState(zeros(shape, device: device), zeros(shape, device: device))
            : new RnnState(zeros(shape, device: device));
    }

    /// <summary>Throws an <see cref="ArgumentException"/> (parameter <c>vocab</c>) when the vocabulary's size is not the model's.</summary>
    internal void EnsureFits(Data.Vocab vocab)
    {
        if (vocab.Count != Config.VocabSize)
            throw new ArgumentException($"The vocabulary has {vocab.Count} tokens but the model was built for {Config.VocabSize}.", nameof(vocab));
    }

    /// <summary>The device of the parameters.</summary>
    public Device Device => _dense.weight!.device;

    private void InitNormal001()
    {
        using var noGrad = no_grad();
        foreach (var (name, p) in named_parameters())
        {
            if (name.Contains("weight")) nn.init.normal_(p, 0, 0.01);
            else nn.init.zeros_(p);
        }
    }
}

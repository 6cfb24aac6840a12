using TorchSharp.Modules;
using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>
/// d2l's <c>RNNModelScratch</c>: a recurrent model written by hand, from parameters made by a function of your own
/// (<c>get_params</c>), a begin state (<c>init_state</c>) and the recurrence (<c>forward_fn</c>), so that it trains,
/// predicts and is scored by the library like an <see cref="RNNModel"/>.
/// </summary>
/// <remarks>
/// As in the 2019 lesson, <c>forward_fn</c> reads the one-hot input as a list over time steps, each (batch, vocab), and
/// returns one output per step, each (batch, vocab); this model concatenates them time-major into (steps × batch,
/// vocab), d2l's <c>nd.concat(*outputs, dim=0)</c>. The state is whatever <c>init_state</c> makes: an
/// <see cref="RnnState"/> holding H (batch, hiddens), and for an LSTM also C. Disposing the model disposes its parameters.
/// </remarks>
public sealed class RNNModelScratch : IRecurrentModel, IDisposable
{
    private readonly Func<int, int, Device, RnnState> _initState;
    private readonly Func<IReadOnlyList<Tensor>, RnnState, IReadOnlyList<Parameter>, (IReadOnlyList<Tensor> Outputs, RnnState State)> _forwardFn;

    /// <summary>
    /// d2l's <c>RNNModelScratch(vocab_size, num_hiddens, device, get_params, init_state, forward_fn)</c>. The
    /// parameters are made once, here; the recurrence is tried once on a small minibatch, so that a function that
    /// returns the wrong shapes is reported now, not in the middle of training.
    /// </summary>
    /// <param name="vocabSize">Tokens in the vocabulary: the one-hot width and the scores per step.</param>
    /// <param name="numHiddens">Hidden units, passed to <paramref name="getParams"/> and <paramref name="initState"/>.</param>
    /// <param name="device">Where the parameters are made (<see cref="Devices.TryGpu"/>, or <c>torch.CPU</c>).</param>
    /// <param name="getParams"><c>get_params(vocab_size, num_hiddens, device)</c>: the parameters, with gradients attached.</param>
    /// <param name="initState"><c>init_state(batch_size, num_hiddens, device)</c>: the state before the first step.</param>
    /// <param name="forwardFn"><c>forward_fn(inputs, state, params)</c>: one output per input step, and the new state.</param>
    /// <exception cref="ArgumentException">A size is not positive, there are no parameters, or the recurrence returns
    /// outputs or a state of the wrong shape (the message says which and what it should be).</exception>
    public RNNModelScratch(int vocabSize, int numHiddens, Device device,
        Func<int, int, Device, IReadOnlyList<Parameter>> getParams,
        Func<int, int, Device, RnnState> initState,
        Func<IReadOnlyList<Tensor>, RnnState, IReadOnlyList<Parameter>, (IReadOnlyList<Tensor> Outputs, RnnState State)> forwardFn)
    {
        if (vocabSize <= 0) throw new ArgumentOutOfRangeException(nameof(vocabSize), vocabSize, "The vocabulary size must be positive.");
        if (numHiddens <= 0) throw new ArgumentOutOfRangeException(nameof(numHiddens), numHiddens, "The number of hidden units must be positive.");
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(getParams);
        ArgumentNullException.ThrowIfNull(initState);
        ArgumentNullException.ThrowIfNull(forwardFn);
        (VocabSize, NumHiddens, Device, _initState, _forwardFn) = (vocabSize, numHiddens, device, initState, forwardFn);
        Params = getParams(vocabSize, numHiddens, device)?.ToArray()
                 ?? throw new ArgumentException("get_params returned null: return the parameters of the model.", nameof(getParams));
        if (Params.Count == 0 || Params.Any(p => p is null))
            throw new ArgumentException("get_params must return the model's parameters (none may be null).", nameof(getParams));
        ModelContract.EnsureShapes(this);
    }

    /// <summary>Tokens in the vocabulary.</summary>
    public int VocabSize { get; }

    /// <summary>Hidden units.</summary>
    public int NumHiddens { get; }

    /// <summary>Where the parameters were made.</summary>
    public Device Device { get; }

    /// <summary>The parameters <c>get_params</c> made: d2l's <c>net.params</c>.</summary>
    public IReadOnlyList<Parameter> Params { get; }

    /// <summary>
    /// d2l's <c>net(X, state)</c>: one-hot encodes <paramref name="inputs"/> (batch, steps) into a list over time steps,
    /// runs <c>forward_fn</c> and returns its outputs concatenated time-major, (steps × batch, vocab), with the new state.
    /// </summary>
    /// <exception cref="ArgumentException">The recurrence returned a different number of outputs than steps.</exception>
    public (Tensor Output, RnnState State) call(Tensor inputs, RnnState state)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(state);
        if (inputs.dim() != 2)
            throw new ArgumentException($"The inputs must be token indices shaped (batch, steps), not ({string.Join(", ", inputs.shape)}).", nameof(inputs));
        using var scope = NewDisposeScope();
        var steps = OneHot(inputs);
        var (outputs, newState) = _forwardFn(steps, state, Params);
        if (outputs is null || newState is null)
            throw new ArgumentException("forward_fn returned null: return the outputs of every step and the new state.");
        if (outputs.Count != steps.Count)
            throw new ArgumentException(
                $"forward_fn returned {outputs.Count} outputs for {steps.Count} time steps: append one output, (batch, vocab), per step.");
        var output = cat(outputs.ToArray(), 0);
        output.MoveToOuterDisposeScope();
        return (output, newState.MoveToOuterDisposeScope());
    }

    /// <summary>d2l's <c>begin_state(batch_size, device)</c>: <c>init_state(batch_size, num_hiddens, device)</c>.</summary>
    public RnnState BeginState(int batchSize, Device? device = null)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be positive.");
        return _initState(batchSize, NumHiddens, device ?? Device)
               ?? throw new ArgumentException("init_state returned null: return the state before the first step.");
    }

    IEnumerable<Parameter> IRecurrentModel.parameters() => Params;

    /// <summary>Disposes the parameters.</summary>
    public void Dispose()
    {
        foreach (var p in Params) p.Dispose();
    }

    // d2l's to_onehot: (batch, steps) indices → a list over the steps of (batch, vocab) one-hot rows.
    private List<Tensor> OneHot(Tensor inputs) =>
        nn.functional.one_hot(inputs.T.to(int64), VocabSize).to(float32).unbind(0).ToList();
}

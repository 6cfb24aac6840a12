using TorchSharp.Modules;
using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>
/// What d2l's <c>train_ch8</c>, <c>predict_ch8</c> and perplexity need of a model, and all that
/// <see cref="Trainer.Train(IRecurrentModel, SeqDataLoader, Vocab, TrainOptions, Action{EpochReport}?, CancellationToken)"/>,
/// <see cref="Predictor"/>, <see cref="Evaluator"/> and <see cref="LanguageModel"/> ask of one: called with tokens and a
/// state, it returns scores and the new state; it has a begin state and parameters. <see cref="RNNModel"/> (the concise
/// model) and <see cref="RNNModelScratch"/> (parameters and a function of your own) are two.
/// </summary>
public interface IRecurrentModel
{
    /// <summary>The number of tokens: the one-hot width of the input and the number of scores per step.</summary>
    int VocabSize { get; }

    /// <summary>Where the parameters are; inputs are made there.</summary>
    Device Device { get; }

    /// <summary>
    /// d2l's <c>net(X, state)</c>: <paramref name="inputs"/> holds token indices shaped (batch, steps); returns scores
    /// shaped (steps × batch, vocab), time-major (row t·batch + b scores step t of sequence b), and the state after
    /// the last step.
    /// </summary>
    (Tensor Output, RnnState State) call(Tensor inputs, RnnState state);

    /// <summary>d2l's <c>begin_state</c>: the state before the first token of <paramref name="batchSize"/> sequences, on
    /// <paramref name="device"/> (default: <see cref="Device"/>).</summary>
    RnnState BeginState(int batchSize, Device? device = null);

    /// <summary>The parameters that training updates (d2l's <c>net.parameters()</c>, or <c>net.params</c> of a model
    /// from scratch).</summary>
    IEnumerable<Parameter> parameters();
}

using System.Text.Json;

namespace D2L.Rnn.Tests.PyTorch;

/// <summary>
/// One model kind compared with d2l's PyTorch <c>RNNModel</c>: its name in the files the Python side writes
/// (<c>NAME.pt</c>: the weights; <c>NAME-pytorch.pt</c>: what PyTorch computed) and its configuration.
/// </summary>
public sealed record PyTorchCase(string Name, CellKind Kind, int NumLayers = 1, Nonlinearity Nonlinearity = Nonlinearity.Tanh,
    bool Bidirectional = false)
{
    /// <summary>d2l 0.17's character vocabulary of the Time Machine.</summary>
    public const int VocabSize = 28;

    /// <summary>Half of d2l's 256 hidden units, so that PyTorch trains all six models within the test's time.</summary>
    public const int NumHiddens = 128;

    public static readonly PyTorchCase[] All =
    [
        new("rnn-tanh", CellKind.Rnn),
        new("rnn-relu", CellKind.Rnn, Nonlinearity: Nonlinearity.ReLU),
        new("gru", CellKind.Gru),
        new("lstm", CellKind.Lstm),
        new("lstm-2-layers", CellKind.Lstm, NumLayers: 2),
        // The lesson on bidirectional RNNs: nn.LSTM(vocab_size, num_hiddens, num_layers=2, bidirectional=True).
        new("lstm-2-layers-bidirectional", CellKind.Lstm, NumLayers: 2, Bidirectional: true),
    ];

    /// <summary>d2l 0.17's chapter 8 corpus, as the library loads it: the first 10,000 tokens of the Time Machine.</summary>
    public static CharCorpus Corpus => LoadedCorpus.Value;

    private static readonly Lazy<CharCorpus> LoadedCorpus = new(() => TimeMachine.LoadD2l(10_000, dataDirectory: TestData.Directory));

    /// <summary>The names, for xunit's [MemberData].</summary>
    public static TheoryData<string> Names => new(All.Select(c => c.Name));

    public static PyTorchCase Named(string name) => All.Single(c => c.Name == name);

    public ModelConfig Config => new(Kind, VocabSize, NumHiddens, NumLayers, Nonlinearity, Bidirectional: Bidirectional);

    /// <summary>Writes what d2l_reference.py reads: {"models": [{name, kind, num_hiddens, num_layers, nonlinearity,
    /// bidirectional}]}.</summary>
    public static void WriteManifest(string path) =>
        File.WriteAllText(path, JsonSerializer.Serialize(new
        {
            models = All.Select(c => new
            {
                name = c.Name,
                kind = c.Kind.ToString().ToLowerInvariant(),
                num_hiddens = NumHiddens,
                num_layers = c.NumLayers,
                nonlinearity = c.Nonlinearity.ToString().ToLowerInvariant(),
                bidirectional = c.Bidirectional,
            }),
        }));
}

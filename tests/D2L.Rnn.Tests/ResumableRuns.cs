using System.Globalization;
using System.Text;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests;

/// <summary>
/// The small training runs the run checkpoint tests interrupt and continue, built the same way every time (in the test
/// process, or in a child process that a test kills), and what two runs must have in common to be the same run: the
/// reports (all but their wall-clock seconds) and the weights, bit for bit.
/// </summary>
public static class ResumableRuns
{
    private static readonly CharCorpus Corpus = TimeMachine.LoadD2l(maxTokens: 10_000, dataDirectory: TestData.Directory);
    // 24 minibatches of 16 × 10 per epoch; 1,000 tokens to validate on.
    private static readonly int[] TrainTokens = Corpus.Indices.Take(4_000).ToArray();
    private static readonly int[] Held = Corpus.Indices.Skip(4_000).Take(1_000).ToArray();

    /// <summary>The runs by name.</summary>
    public static readonly string[] Names = ["fast-lstm", "fast-relu-random", "reference-gru-dropout", "reference-random", "ngram"];

    /// <summary>
    /// Trains run <paramref name="name"/> (its model made from <paramref name="initSeed"/>: a continued run gets its weights
    /// from the checkpoint) with <paramref name="checkpoint"/>; returns its fingerprint.
    /// </summary>
    public static Fingerprint Train(string name, RunCheckpointOptions? checkpoint, int initSeed = 1, int? numEpochs = null,
        Action<EpochReport>? onEpoch = null, CancellationToken cancellationToken = default)
    {
        manual_seed(initSeed);
        var vocab = Corpus.Vocab;
        var options = new TrainOptions { NumEpochs = 3, PredictEvery = 0, Threads = 2, RunCheckpoint = checkpoint };
        switch (name)
        {
            case "fast-lstm":
            {
                // The fast path, two shards, an LSTM's (h, c) carried on; Adam with a schedule, validation, best weights,
                // predictions and gradient norms.
                using var model = new RNNModel(new ModelConfig(CellKind.Lstm, vocab.Count, 32));
                var data = new SeqDataLoader(TrainTokens, 16, 10, seed: 3);
                options = options with
                {
                    Optimizer = Optimizers.Adam, LearningRate = 0.01, Schedule = o => optim.lr_scheduler.StepLR(o, 1, 0.7),
                    Validation = Held, KeepBestWeights = true, PredictEvery = 2, PredictPrefixes = ["time traveller"], PredictLength = 10,
                    RecordGradientNorms = true,
                };
                return Of(Trainer.Train(model, data, vocab, options with { NumEpochs = numEpochs ?? options.NumEpochs }, onEpoch, cancellationToken), model.parameters());
            }
            case "fast-relu-random":
            {
                using var model = new RNNModel(new ModelConfig(CellKind.Rnn, vocab.Count, 32, 2, Nonlinearity.ReLU));
                var data = new SeqDataLoader(TrainTokens, 16, 10, useRandomIter: true, seed: 4);
                return Of(Trainer.Train(model, data, vocab, options with { LearningRate = 1, NumEpochs = numEpochs ?? 3 }, onEpoch, cancellationToken), model.parameters());
            }
            case "reference-gru-dropout":
            {
                // Dropout between the layers: the reference path, whose masks come from libtorch's random generator.
                using var model = new RNNModel(nn.GRU(vocab.Count, 32, numLayers: 2, dropout: 0.3), vocab.Count);
                var data = new SeqDataLoader(TrainTokens, 16, 10, seed: 5);
                return Of(Trainer.Train(model, data, vocab, options with { LearningRate = 2, NumEpochs = numEpochs ?? 2, Validation = Held }, onEpoch, cancellationToken), model.parameters());
            }
            case "reference-random":
            {
                using var model = new RNNModel(new ModelConfig(CellKind.Gru, vocab.Count, 32));
                var data = new SeqDataLoader(TrainTokens, 16, 10, useRandomIter: true, seed: 6);
                return Of(Trainer.Train(model, data, vocab, options with { UseFastPath = false, Optimizer = Optimizers.Adam, LearningRate = 0.01, NumEpochs = numEpochs ?? 2 },
                    onEpoch, cancellationToken), model.parameters());
            }
            case "ngram":
            {
                using var mlp = NGramMlp.Create(vocab.Count, NGramEncoding.Sequential, hiddens: 32);
                var data = new NGramDataLoader(new NGramWindows(TrainTokens, 5), vocab.Count, NGramEncoding.Sequential, 200, seed: 7);
                return Of(NGramTrainer.Train(mlp, data, options with { Optimizer = Optimizers.Adam, LearningRate = 0.01, Validation = Held, NumEpochs = numEpochs ?? 3 },
                    onEpoch, cancellationToken), mlp.parameters());
            }
            default:
                throw new ArgumentException($"No run named {name}.", nameof(name));
        }
    }

    private static Fingerprint Of(TrainResult result, IEnumerable<Parameter> parameters)
    {
        var weights = new List<int>();
        foreach (var p in parameters) weights.AddRange(p.detach().cpu().data<float>().ToArray().Select(BitConverter.SingleToInt32Bits));
        return new Fingerprint(string.Join("\n", result.Epochs.Select(Line)), weights.ToArray(), result);
    }

    /// <summary>Everything a report says but its seconds, numbers exact.</summary>
    public static string Line(EpochReport r)
    {
        static string N(double? x) => x?.ToString("R", CultureInfo.InvariantCulture) ?? "-";
        var text = new StringBuilder($"epoch {r.Epoch}/{r.NumEpochs} perplexity {N(r.Perplexity)} tokens {r.Tokens} validation {N(r.ValidationPerplexity)} ");
        text.Append($"lr {N(r.LearningRate)} {r.Path} norms [{string.Join(" ", r.GradientNorms.Select(n => N(n)))}]");
        foreach (var (prefix, predicted) in r.Predictions.OrderBy(p => p.Key, StringComparer.Ordinal)) text.Append($" '{prefix}' → '{predicted}'");
        return text.ToString();
    }
}

/// <summary>What a run ended with: its report lines (<see cref="ResumableRuns.Line"/>), its weights' bits and the result.</summary>
public sealed record Fingerprint(string Reports, int[] WeightBits, TrainResult Result)
{
    /// <summary>Asserts the same reports and bit-identical weights.</summary>
    public void AssertSame(Fingerprint other, string context)
    {
        Assert.True(Reports == other.Reports, $"{context}: the reports differ.\nexpected:\n{Reports}\nactual:\n{other.Reports}");
        Assert.Equal(WeightBits.Length, other.WeightBits.Length);
        var differing = WeightBits.Zip(other.WeightBits).Count(p => p.First != p.Second);
        Assert.True(differing == 0, $"{context}: {differing} of {WeightBits.Length} weights differ.");
    }
}

using D2L.Rnn;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests;

/// <summary>
/// A model written as the from-scratch lesson writes it (parameters by hand, an <c>rnn(inputs, state, params)</c>
/// function) goes through the same library as <see cref="RNNModel"/>: training, prediction, sampling, perplexity.
/// </summary>
public class ScratchModelTests
{
    private const int Hiddens = 32;

    private static RNNModelScratch NewScratch(int vocab, int seed)
    {
        manual_seed(seed);
        return ScratchRnn.Model(vocab, Hiddens);
    }

    [Fact]
    public void ItScoresExactlyAsTheConciseModelWithTheSameWeights()
    {
        var corpus = TimeMachine.LoadLecture(dataDirectory: TestData.Directory);
        using var scratch = NewScratch(corpus.Vocab.Count, 3);
        using var concise = new RNNModel(new ModelConfig(CellKind.Rnn, corpus.Vocab.Count, Hiddens));
        using (no_grad())
        {
            // nn.RNN stores W_ih as (hiddens, inputs) and has two biases; the scratch model computes x W_xh + b_h.
            var rnn = concise.Rnn.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            rnn["weight_ih_l0"].copy_(scratch.Params[0].T);
            rnn["weight_hh_l0"].copy_(scratch.Params[1].T);
            rnn["bias_ih_l0"].copy_(scratch.Params[2]);
            rnn["bias_hh_l0"].zero_();
            concise.Linear.weight!.copy_(scratch.Params[3].T);
            concise.Linear.bias!.copy_(scratch.Params[4]);
        }
        using var x = tensor(corpus.Indices.Take(2 * 9).Select(i => (long)i).ToArray(), [2, 9]);
        using var s1 = scratch.BeginState(2);
        using var s2 = concise.BeginState(2);
        var (a, stateA) = scratch.call(x, s1);
        var (b, stateB) = concise.call(x, s2);
        Assert.Equal([9 * 2, corpus.Vocab.Count], a.shape);
        Assert.True(a.allclose(b, rtol: 1e-5, atol: 1e-6), "time-major scores differ");
        Assert.True(stateA.Hidden.allclose(stateB.Hidden[0], rtol: 1e-5, atol: 1e-6));
        Assert.Equal(Predictor.Predict("time traveller", 30, concise, corpus.Vocab), Predictor.Predict("time traveller", 30, scratch, corpus.Vocab));
        var text = corpus.Indices.Skip(100).Take(500).ToArray();
        Assert.Equal(Evaluator.Perplexity(concise, text), Evaluator.Perplexity(scratch, text), 4);
    }

    [Fact]
    public void ItTrainsPredictsSamplesAndIsScoredThroughTheLibraryWithTheLessonsSgd()
    {
        var corpus = TimeMachine.LoadLecture(dataDirectory: TestData.Directory);
        using var model = NewScratch(corpus.Vocab.Count, 0);
        var data = new SeqDataLoader(corpus.Indices, batchSize: 16, numSteps: 20, useRandomIter: true, seed: 0);
        var before = Evaluator.Perplexity(model, corpus.Indices[..2000]);
        var options = new TrainOptions
        {
            NumEpochs = 3, LearningRate = 100, ClipTheta = 0.01, Updater = ScratchRnn.Sgd,
            PredictEvery = 3, PredictPrefixes = ["traveller"], PredictLength = 10,
        };
        var result = Trainer.Train(model, data, corpus.Vocab, options);

        Assert.Equal(3, result.Epochs.Count);
        Assert.Equal(TrainingPath.Reference, result.Path);
        Assert.Contains("RNNModelScratch", result.FastPathDeclined);
        Assert.EndsWith("reference path", result.Epochs[0].ToString());
        Assert.True(result.Epochs[^1].Perplexity < result.Epochs[0].Perplexity, string.Join(", ", result.Epochs.Select(e => e.Perplexity)));
        Assert.Matches("^traveller.{10}$", result.Epochs[^1].Predictions["traveller"]);
        var after = Evaluator.Perplexity(model, corpus.Indices[..2000]);
        Assert.True(after < before / 2, $"perplexity {before} before, {after} after");
        Assert.Equal(Predictor.Sample("time", 20, model, corpus.Vocab, 0.5, seed: 7), Predictor.Sample("time", 20, model, corpus.Vocab, 0.5, seed: 7));
        using var language = new LanguageModel(model, corpus);
        Assert.Equal(Predictor.Predict("the time", 15, model, corpus.Vocab), language.Predict("The Time", 15));
        Assert.Throws<NotSupportedException>(() => language.Save(Path.Combine(Path.GetTempPath(), "never-written.ckpt")));
    }

    [Fact]
    public void TheLessonsSgdUpdatesExactlyAsTorchSharpsSgd()
    {
        var corpus = TimeMachine.LoadLecture(dataDirectory: TestData.Directory);
        using var byUpdater = NewScratch(corpus.Vocab.Count, 1);
        using var byOptimizer = NewScratch(corpus.Vocab.Count, 1);
        // One minibatch (16 × 20 tokens), so that the two updates are compared without the drift of later rounding.
        var text = corpus.Indices[..(16 * 20 + 21)];
        var options = new TrainOptions { NumEpochs = 1, LearningRate = 100, ClipTheta = 0.01, PredictEvery = 0 };
        var moved = Trainer.Train(byUpdater, new SeqDataLoader(text, 16, 20, seed: 4), corpus.Vocab, options with { Updater = ScratchRnn.Sgd });
        Trainer.Train(byOptimizer, new SeqDataLoader(text, 16, 20, seed: 4), corpus.Vocab, options);
        Assert.Equal(16 * 20, moved.Epochs[0].Tokens);
        using var untrained = NewScratch(corpus.Vocab.Count, 1);
        foreach (var (a, b, start) in byUpdater.Params.Zip(byOptimizer.Params, untrained.Params))
        {
            Assert.False(a.allclose(start, rtol: 0, atol: 0)); // the update moved every parameter
            Assert.True(a.allclose(b, rtol: 1e-6, atol: 1e-7), $"largest difference {(a - b).abs().max().item<float>()}");
        }
        Assert.Throws<ArgumentException>(() => Trainer.Train(byUpdater, new SeqDataLoader(corpus.Indices, 16, 20), corpus.Vocab,
            options with { Updater = ScratchRnn.Sgd, Optimizer = Optimizers.Adam }));
    }

    [Fact]
    public void AFunctionThatReturnsTheWrongOutputsIsReportedWhenTheModelIsMade()
    {
        // Scores from the hidden state instead of the output layer: (batch, hiddens), not (batch, vocab).
        var e = Assert.Throws<ArgumentException>(() => new RNNModelScratch(43, Hiddens, CPU, ScratchRnn.GetParams, ScratchRnn.InitRnnState, (inputs, state, p) =>
        {
            var (outputs, next) = ScratchRnn.Rnn(inputs, state, p);
            return (outputs.Select(_ => next.Hidden).ToList(), next);
        }));
        Assert.Contains("(steps × batch, vocab) = (6, 43)", e.Message);
        Assert.Contains("(6, 32)", e.Message);

        // One output for the whole sequence instead of one per step.
        e = Assert.Throws<ArgumentException>(() => new RNNModelScratch(43, Hiddens, CPU, ScratchRnn.GetParams, ScratchRnn.InitRnnState,
            (inputs, state, p) => (ScratchRnn.Rnn(inputs, state, p).Outputs.TakeLast(1).ToList(), ScratchRnn.Rnn(inputs, state, p).State)));
        Assert.Contains("1 outputs for 3 time steps", e.Message);
    }

    [Fact]
    public void AFunctionThatReturnsAStateOfAnotherShapeIsReportedWhenTheModelIsMade()
    {
        var e = Assert.Throws<ArgumentException>(() => new RNNModelScratch(43, Hiddens, CPU, ScratchRnn.GetParams, ScratchRnn.InitRnnState, (inputs, state, p) =>
        {
            var (outputs, next) = ScratchRnn.Rnn(inputs, state, p);
            return (outputs, new RnnState(next.Hidden.T)); // (hiddens, batch)
        }));
        Assert.Contains("returned a state H (32, 2), but its begin state is H (2, 32)", e.Message);
    }

    /// <summary>A model of one's own that is neither library model: the trainer checks its shapes before training.</summary>
    private sealed class WrongScores(int vocab) : IRecurrentModel
    {
        private readonly Parameter _w = nn.Parameter(zeros(vocab, vocab));
        public int VocabSize => vocab;
        public Device Device => CPU;
        public (Tensor Output, RnnState State) call(Tensor inputs, RnnState state) =>
            (nn.functional.one_hot(inputs.to(int64), vocab).to(float32).reshape(-1, vocab).matmul(_w)[..1], state); // one row only
        public RnnState BeginState(int batchSize, Device? device = null) => new(zeros(batchSize, 1));
        public IEnumerable<Parameter> parameters() => [_w];
    }

    [Fact]
    public void TheTrainerChecksAModelOfOnesOwnBeforeTheFirstMinibatch()
    {
        var corpus = TimeMachine.LoadLecture(dataDirectory: TestData.Directory);
        var model = new WrongScores(corpus.Vocab.Count);
        var e = Assert.Throws<ArgumentException>(() => Trainer.Train(model, new SeqDataLoader(corpus.Indices, 8, 10), corpus.Vocab,
            new TrainOptions { NumEpochs = 1, PredictEvery = 0 }));
        Assert.Equal("model", e.ParamName);
        Assert.Contains("scores shaped (1, 43)", e.Message);
    }
}

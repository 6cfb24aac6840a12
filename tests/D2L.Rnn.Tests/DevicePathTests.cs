using System.Text.RegularExpressions;
using D2L.Rnn.Notebooks;
using TorchSharp;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests;

/// <summary>
/// Every path that meets a model works with the model on any device: it makes its inputs on the model's device and reads
/// values only through the CPU. No GPU is needed to check the first half. On a GPU the mistake is a tensor made without
/// <c>device:</c>, which lands on TorchSharp's default device (the CPU) instead of the model's (the GPU). Here the model
/// is on the CPU and TorchSharp's default device is <c>meta</c> (shapes without data) while each path runs: a tensor made
/// without the model's device then lands on meta, and the path fails the same way, through the same code a GPU runs.
/// The second half is a rule on the sources: every <c>.data&lt;T&gt;()</c> reads a tensor moved to the CPU first.
/// </summary>
public class DevicePathTests
{
    private static readonly CharCorpus Corpus = TimeMachine.LoadLecture(dataDirectory: TestData.Directory);
    private static Vocab Vocab => Corpus.Vocab;

    /// <summary>Runs <paramref name="path"/> with TorchSharp's default device on meta, where no model of these tests is.</summary>
    private static T OnAnotherDevice<T>(Func<T> path)
    {
        set_default_device(META);
        try
        {
            return path();
        }
        finally
        {
            set_default_device(CPU);
        }
    }

    private static void OnAnotherDevice(Action path) => OnAnotherDevice(() => { path(); return 0; });

    private static RNNModel NewModel(CellKind kind = CellKind.Lstm, int seed = 0)
    {
        manual_seed(seed);
        return new RNNModel(new ModelConfig(kind, Vocab.Count, 16, NumLayers: 2), WeightInit.Normal001);
    }

    private static RNNModelScratch NewScratch(int seed = 0)
    {
        manual_seed(seed);
        return ScratchRnn.Model(Vocab.Count, 16);
    }

    [Fact]
    public void TheHarnessCatchesAnInputMadeWithoutTheModelsDevice()
    {
        using var model = NewModel();
        // What Predictor.Predict would do if it forgot device: model.Device.
        var e = Assert.ThrowsAny<Exception>(() => OnAnotherDevice(() =>
        {
            using var x = tensor(new long[] { 1, 2, 3 }, [1, 3]);
            using var state = model.BeginState(1);
            return model.call(x, state).Output.sum().item<float>();
        }));
        Assert.Contains("meta", e.Message);
        // And the same call with the input on the model's device goes through.
        var score = OnAnotherDevice(() =>
        {
            using var x = tensor(new long[] { 1, 2, 3 }, [1, 3], device: model.Device);
            using var state = model.BeginState(1);
            return model.call(x, state).Output.sum().item<float>();
        });
        Assert.True(float.IsFinite(score));
    }

    [Fact]
    public void PredictionSamplingAndEvaluationMakeTheirInputsOnTheModelsDevice()
    {
        using var model = NewModel();
        using var scratch = NewScratch();
        var text = Corpus.Indices[..300];
        foreach (var m in new IRecurrentModel[] { model, scratch })
        {
            var expected = (Predictor.Predict("time traveller", 20, m, Vocab), Predictor.Sample("time traveller", 20, m, Vocab, 0.7, seed: 3),
                Evaluator.Perplexity(m, text, chunkSteps: 64));
            var onAnother = OnAnotherDevice(() => (Predictor.Predict("time traveller", 20, m, Vocab),
                Predictor.Sample("time traveller", 20, m, Vocab, 0.7, seed: 3), Evaluator.Perplexity(m, text, chunkSteps: 64)));
            Assert.Equal(expected, onAnother);
        }
    }

    [Fact]
    public void HiddenStatesAreComputedOnTheModelsDevice()
    {
        using var model = NewModel(CellKind.Gru);
        using var expected = HiddenStates.Of(model, Vocab, "the time traveller");
        using var states = OnAnotherDevice(() => HiddenStates.Of(model, Vocab, "the time traveller"));
        Assert.Equal(model.Device.type, states.device_type);
        Assert.True(states.eq(expected).all().item<bool>());
    }

    [Fact]
    public void TrainingOnTheReferencePathWithValidationBestWeightsAndARunCheckpointStaysOnTheModelsDevice()
    {
        // The path a GPU takes: the fast path declines CUDA models. Sequential sampling carries the state over, which
        // the run checkpoint saves mid-epoch and restores.
        var folder = Directory.CreateTempSubdirectory("d2l-device-").FullName;
        try
        {
            var path = Path.Combine(folder, "run.ckpt");
            TrainOptions Options(int epochs) => new()
            {
                NumEpochs = epochs, LearningRate = 1, ClipTheta = 1, Optimizer = Optimizers.Adam, UseFastPath = false,
                Validation = Corpus.Indices[^500..], KeepBestWeights = true, RecordGradientNorms = true,
                PredictEvery = 1, PredictPrefixes = ["traveller"], PredictLength = 10,
                RunCheckpoint = new RunCheckpointOptions(path) { EveryMinibatches = 3 },
            };
            SeqDataLoader Data() => new(Corpus.Indices[..3000], batchSize: 8, numSteps: 20, seed: 1);

            using var model = NewModel();
            var first = OnAnotherDevice(() => Trainer.Train(model, Data(), Vocab, Options(1)));
            Assert.Equal(TrainingPath.Reference, first.Path);
            Assert.Equal("cpu", first.Device);
            using var continued = NewModel();
            var second = OnAnotherDevice(() => Trainer.Train(continued, Data(), Vocab, Options(2)));
            Assert.NotNull(second.ContinuedFrom);
            Assert.Equal(2, second.Epochs.Count);
            Assert.All(second.Epochs, e => Assert.NotNull(e.ValidationPerplexity));
            Assert.NotEmpty(second.Epochs[^1].GradientNorms);

            using var scratch = NewScratch();
            var scratchRun = OnAnotherDevice(() => Trainer.Train(scratch, Data(), Vocab,
                new TrainOptions { NumEpochs = 1, LearningRate = 1, ClipTheta = 1, Validation = Corpus.Indices[^500..] }));
            Assert.True(double.IsFinite(scratchRun.FinalPerplexity));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void CheckpointsAndPyTorchStateDictsSaveAndLoadWhateverTheDefaultDevice()
    {
        var folder = Directory.CreateTempSubdirectory("d2l-device-").FullName;
        try
        {
            using var model = NewModel();
            var expected = Predictor.Predict("time traveller", 30, model, Vocab);
            var checkpoint = Path.Combine(folder, "model.ckpt");
            var stateDict = Path.Combine(folder, "model.pt");
            OnAnotherDevice(() =>
            {
                Checkpoint.Save(checkpoint, model, Vocab);
                PyTorchStateDict.Save(stateDict, model);
            });
            var (loaded, vocab, _) = OnAnotherDevice(() => Checkpoint.Load(checkpoint));
            using (loaded)
            {
                Assert.Equal(DeviceType.CPU, loaded.Device.type);
                Assert.Equal(expected, Predictor.Predict("time traveller", 30, loaded, vocab));
            }
            using var into = NewModel(seed: 5);
            OnAnotherDevice(() => Checkpoint.LoadInto(into, checkpoint));
            Assert.Equal(expected, Predictor.Predict("time traveller", 30, into, Vocab));
            using var fromPyTorch = NewModel(seed: 6);
            OnAnotherDevice(() => PyTorchStateDict.LoadInto(fromPyTorch, stateDict));
            Assert.Equal(expected, Predictor.Predict("time traveller", 30, fromPyTorch, Vocab));

            // A version 1 file builds its own layout to read the weights from.
            var v1 = Path.Combine(AppContext.BaseDirectory, "Fixtures", "v1-lstm-2-layers.ckpt");
            var (old, _, _) = Checkpoint.Load(v1);
            var (oldOnAnother, _, _) = OnAnotherDevice(() => Checkpoint.Load(v1));
            using (old)
            using (oldOnAnother)
                Assert.All(old.state_dict(), e => Assert.True(e.Value.eq(oldOnAnother.state_dict()[e.Key]).all().item<bool>(), e.Key));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void TheNGramModelTrainsAndIsScoredOnItsOwnDevice()
    {
        var windows = new NGramWindows(Corpus.Indices[..2000], 5);
        var held = new NGramWindows(Corpus.Indices[2000..2600], 5);
        NGramScore Run()
        {
            manual_seed(0);
            using var mlp = NGramMlp.Create(Vocab.Count, NGramEncoding.Sequential, hiddens: 32);
            var data = new NGramDataLoader(windows, Vocab.Count, NGramEncoding.Sequential, batchSize: 64, seed: 0);
            NGramTrainer.Train(mlp, data, new TrainOptions
            {
                NumEpochs = 2, LearningRate = 0.01, Optimizer = Optimizers.Adam, Validation = Corpus.Indices[2000..2600],
            });
            return NGramEvaluator.Evaluate(mlp, held, Vocab.Count, NGramEncoding.Sequential);
        }
        var expected = Run();
        Assert.Equal(expected, OnAnotherDevice(Run));
    }

    [Fact]
    public void EveryDirectReadOfTensorDataInTheLibrariesReadsACpuTensor()
    {
        // .data<T>() reads a tensor's memory in place, which a GPU tensor's is not: each must come after .cpu().
        var root = Repository.FindRoot(AppContext.BaseDirectory)!;
        var reads = new[] { "D2L.Rnn", "D2L.Rnn.Notebooks" }
            .SelectMany(project => Directory.EnumerateFiles(Path.Combine(root, "lib", project), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(root, f), Line: i + 1, Text: line)))
            .Where(l => Regex.IsMatch(l.Text, @"\.data<\w+>\(") && !l.Text.TrimStart().StartsWith("//"))
            .ToList();
        Assert.NotEmpty(reads); // the rule applies to something
        Assert.All(reads, r =>
        {
            var beforeRead = r.Text[..r.Text.IndexOf(".data<", StringComparison.Ordinal)];
            Assert.True(beforeRead.Contains(".cpu()"), $"{r.File}:{r.Line} reads tensor data without .cpu() first: {r.Text.Trim()}");
        });
    }
}

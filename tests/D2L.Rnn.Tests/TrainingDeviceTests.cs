using TorchSharp;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests;

/// <summary>
/// Where training runs: <see cref="TrainOptions.Device"/>, else the GPU that <c>D2L_DEVICE=cuda</c> started, else where the
/// model is. No GPU is needed: the GPU the setup would give is a stand-in device, and a model moved to <c>meta</c> (shapes
/// without data) shows that the trainers move the model before they train it.
/// </summary>
public class TrainingDeviceTests
{
    private static readonly CharCorpus Corpus = TimeMachine.LoadLecture(dataDirectory: TestData.Directory);
    private static readonly Device StandInGpu = META;

    [Fact]
    public void TheDeviceAskedForComesFirstThenTheGpuTheSetupStartedThenWhereTheModelIs()
    {
        var calls = 0;
        Device Gpu() { calls++; return StandInGpu; }
        var cuda = new DeviceChoice(DeviceType.CUDA, "D2L_DEVICE=cuda: training on the GPU, cuda:0.");
        var cpu = new DeviceChoice(DeviceType.CPU, "D2L_DEVICE=cuda, but CUDA sees no GPU (…): running on the CPU.");

        Assert.Null(TrainingDevice.Target(null, null, Gpu));                        // no setup ran: the model's device
        Assert.Null(TrainingDevice.Target(null, new DeviceChoice(DeviceType.CPU, null), Gpu));
        Assert.Null(TrainingDevice.Target(null, cpu, Gpu));                         // the setting, but no usable GPU
        Assert.Equal(0, calls);                                                     // CUDA is not asked then
        Assert.Same(StandInGpu, TrainingDevice.Target(null, cuda, Gpu));
        Assert.Equal(1, calls);
        Assert.Equal(DeviceType.CPU, TrainingDevice.Target(CPU, cuda, Gpu)!.type); // asked for: wins over the setting
    }

    [Fact]
    public void TheTrainerMovesTheModelToTheDeviceAskedForBeforeTraining()
    {
        manual_seed(0);
        using var model = new RNNModel(new ModelConfig(CellKind.Gru, Corpus.Vocab.Count, 8));
        var data = new SeqDataLoader(Corpus.Indices[..400], batchSize: 2, numSteps: 5, seed: 0);
        // meta holds no values, so the first loss cannot be read: the run fails, after the move.
        Assert.ThrowsAny<Exception>(() => Trainer.Train(model, data, Corpus.Vocab,
            new TrainOptions { NumEpochs = 1, PredictEvery = 0, Device = StandInGpu }));
        Assert.Equal(DeviceType.META, model.Device.type);
        Assert.All(model.parameters(), p => Assert.Equal(DeviceType.META, p.device_type));
    }

    [Fact]
    public void TheNGramTrainerMovesTheMlpToTheDeviceAskedForBeforeTraining()
    {
        using var mlp = NGramMlp.Create(Corpus.Vocab.Count, NGramEncoding.Sequential, hiddens: 8);
        var data = new NGramDataLoader(new NGramWindows(Corpus.Indices[..400], 5), Corpus.Vocab.Count, NGramEncoding.Sequential,
            batchSize: 16, seed: 0);
        Assert.ThrowsAny<Exception>(() => NGramTrainer.Train(mlp, data, new TrainOptions { NumEpochs = 1, Device = StandInGpu }));
        Assert.All(mlp.parameters(), p => Assert.Equal(DeviceType.META, p.device_type));
    }

    [Fact]
    public void TheDeviceTheModelIsOnAlreadyTrainsAsWithout()
    {
        TrainResult Run(Device? device)
        {
            manual_seed(0);
            using var model = new RNNModel(new ModelConfig(CellKind.Rnn, Corpus.Vocab.Count, 8));
            return Trainer.Train(model, new SeqDataLoader(Corpus.Indices[..600], batchSize: 4, numSteps: 5, seed: 0), Corpus.Vocab,
                new TrainOptions { NumEpochs = 2, PredictEvery = 0, Device = device });
        }
        var asked = Run(CPU);
        Assert.Equal("cpu", asked.Device);
        Assert.Equal(Run(null).FinalPerplexity, asked.FinalPerplexity);
    }

    [Fact]
    public void AScratchModelIsNotMovedAndADeviceItIsNotOnIsAClearError()
    {
        manual_seed(0);
        using var scratch = ScratchRnn.Model(Corpus.Vocab.Count, 8);
        var data = new SeqDataLoader(Corpus.Indices[..400], batchSize: 2, numSteps: 5, seed: 0);
        var e = Assert.Throws<ArgumentException>(() => Trainer.Train(scratch, data, Corpus.Vocab,
            new TrainOptions { NumEpochs = 1, PredictEvery = 0, Device = StandInGpu }));
        Assert.Equal("Device", e.ParamName);
        Assert.Contains("TrainOptions.Device is meta, but the RNNModelScratch's parameters are on cpu", e.Message);
        Assert.Contains("Devices.TryGpu()", e.Message);
        Assert.Equal(DeviceType.CPU, scratch.Device.type);
        // Without a device asked for, the setup's GPU does not apply to it: it trains where its parameters are.
        TrainingDevice.MoveTo(scratch, scratch.Device, StandInGpu, asked: false);
        Assert.All(((IRecurrentModel)scratch).parameters(), p => Assert.Equal(DeviceType.CPU, p.device_type));
    }
}

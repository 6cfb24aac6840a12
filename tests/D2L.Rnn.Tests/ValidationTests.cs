using D2L.Rnn;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests;

/// <summary>Validation perplexity per epoch, the best weights kept, early stopping.</summary>
public class ValidationTests
{
    private static readonly CharCorpus Corpus = TimeMachine.LoadD2l(maxTokens: 12_000, dataDirectory: TestData.Directory);
    private static readonly int[] Train = Corpus.Indices[..10_000];
    private static readonly int[] Held = Corpus.Indices[10_000..];

    private static RNNModel NewModel(CellKind kind = CellKind.Rnn)
    {
        manual_seed(11);
        return new RNNModel(new ModelConfig(kind, Corpus.Vocab.Count, 32));
    }

    private static SeqDataLoader Data() => new(Train, 32, 35, seed: 11);

    private static readonly TrainOptions Options = new() { NumEpochs = 4, PredictEvery = 0, Validation = Held };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EveryEpochReportsTheEvaluatorsPerplexityOfTheHeldOutTokens(bool fast)
    {
        using var model = NewModel();
        var result = Trainer.Train(model, Data(), Corpus.Vocab, Options with { UseFastPath = fast });
        Assert.All(result.Epochs, e => Assert.True(e.ValidationPerplexity > 1 && e.ValidationPerplexity < Corpus.Vocab.Count));
        Assert.True(result.Epochs[^1].ValidationPerplexity < result.Epochs[0].ValidationPerplexity);
        // The same calculator, on the final weights; and the model is back in training mode.
        Assert.Equal(Evaluator.Perplexity(model, Held), result.Epochs[^1].ValidationPerplexity!.Value, 12);
        Assert.True(model.training);
        Assert.Contains(", validation ", result.Epochs[0].ToString());
    }

    [Fact]
    public void ValidateEveryValidatesOnlyThoseEpochsAndTheLast()
    {
        using var model = NewModel();
        var result = Trainer.Train(model, Data(), Corpus.Vocab, Options with { NumEpochs = 5, ValidateEvery = 2 });
        Assert.Equal([false, true, false, true, true], result.Epochs.Select(e => e.ValidationPerplexity is not null));
        Assert.DoesNotContain(", validation ", result.Epochs[0].ToString());
    }

    // From epoch 3 on, a learning rate 40 times larger spoils the weights without making them diverge (θ = 1).
    private static readonly TrainOptions GetsWorse = Options with
    {
        NumEpochs = 6, KeepBestWeights = true,
        Schedule = optimizer => optim.lr_scheduler.LambdaLR(optimizer, epoch => epoch < 2 ? 1.0 : 40.0),
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheWeightsOfTheBestValidationEpochAreKept(bool fast)
    {
        using var model = NewModel();
        var result = Trainer.Train(model, Data(), Corpus.Vocab, GetsWorse with { UseFastPath = fast });
        var perplexities = result.Epochs.Select(e => e.ValidationPerplexity!.Value).ToArray();
        var best = Array.IndexOf(perplexities, perplexities.Min()) + 1;
        Assert.True(best < 6, $"the run kept improving ({string.Join(", ", perplexities)}): the test needs a worse end");
        Assert.Equal(best, result.BestEpoch);
        Assert.Equal(perplexities.Min(), result.BestValidationPerplexity);
        Assert.Equal(perplexities.Min(), Evaluator.Perplexity(model, Held), 12); // those weights, exactly
    }

    [Fact]
    public void TrainingStopsAfterTheGivenValidationsWithoutImprovement()
    {
        using var model = NewModel();
        var result = Trainer.Train(model, Data(), Corpus.Vocab, GetsWorse with { NumEpochs = 20, StopAfterValidationsWithoutImprovement = 2 });
        Assert.True(result.StoppedEarly);
        Assert.Equal(result.BestEpoch + 2, result.Epochs.Count);
        Assert.Equal(result.BestValidationPerplexity, Evaluator.Perplexity(model, Held), 12);
    }

    [Fact]
    public void WithoutValidationNothingIsValidatedOrKept()
    {
        using var model = NewModel();
        var result = Trainer.Train(model, Data(), Corpus.Vocab, Options with { Validation = null, NumEpochs = 2 });
        Assert.All(result.Epochs, e => Assert.Null(e.ValidationPerplexity));
        Assert.Null(result.BestEpoch);
        Assert.True(double.IsNaN(result.BestValidationPerplexity));
    }

    [Theory]
    [InlineData("KeepBestWeights")]
    [InlineData("StopAfterValidationsWithoutImprovement")]
    public void KeepingOrStoppingWithoutValidationIsNamed(string option)
    {
        using var model = NewModel();
        var options = option == "KeepBestWeights"
            ? Options with { Validation = null, KeepBestWeights = true }
            : Options with { Validation = null, StopAfterValidationsWithoutImprovement = 3 };
        var e = Assert.ThrowsAny<ArgumentException>(() => Trainer.Train(model, Data(), Corpus.Vocab, options));
        Assert.Equal(option, e.ParamName);
        Assert.Contains("Validation", e.Message);
    }
}

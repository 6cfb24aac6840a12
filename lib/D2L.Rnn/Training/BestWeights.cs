using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>
/// Follows the validation perplexity of a run: which epoch was best, a copy of its weights when they are to be kept,
/// and whether the run should stop because validation stopped improving.
/// </summary>
internal sealed class BestWeights : IDisposable
{
    private readonly TrainOptions _options;
    private readonly WeightSnapshot? _copy;
    private double _best = double.PositiveInfinity;
    private int _withoutImprovement;

    public BestWeights(IEnumerable<Tensor> parameters, TrainOptions options)
    {
        _options = options;
        _copy = options.KeepBestWeights ? WeightSnapshot.Of(parameters) : null;
    }

    /// <summary>The epoch with the lowest validation perplexity so far.</summary>
    public int? Epoch { get; private set; }

    /// <summary>Whether the options ask to stop: that many validations in a row without a new best.</summary>
    public bool ShouldStop { get; private set; }

    /// <summary>Whether <paramref name="epoch"/> is one to validate.</summary>
    public bool IsDue(int epoch) =>
        _options.Validation is not null && (epoch % _options.ValidateEvery == 0 || epoch == _options.NumEpochs);

    /// <summary>Records the validation perplexity of <paramref name="epoch"/>, copying the weights when it is the best.</summary>
    public void Record(int epoch, double perplexity)
    {
        if (perplexity < _best)
        {
            (_best, Epoch, _withoutImprovement) = (perplexity, epoch, 0);
            _copy?.Take();
        }
        else if (++_withoutImprovement == _options.StopAfterValidationsWithoutImprovement) ShouldStop = true;
    }

    /// <summary>The kept weights (null when they are not kept), for a run checkpoint.</summary>
    public WeightSnapshot? Copy => _copy;

    /// <summary>What it has followed so far, for a run checkpoint.</summary>
    public BestWeightsState State
    {
        get => new(_best, Epoch, _withoutImprovement, ShouldStop);
        set => (_best, Epoch, _withoutImprovement, ShouldStop) = (value.Perplexity, value.Epoch, value.WithoutImprovement, value.ShouldStop);
    }

    /// <summary>Puts the best epoch's weights back when they were kept; returns that epoch (null when none was kept).</summary>
    public int? Restore()
    {
        if (_copy is null || Epoch is null) return null;
        _copy.Restore();
        return Epoch;
    }

    public void Dispose() => _copy?.Dispose();
}

/// <summary>What <see cref="BestWeights"/> has followed: the best validation perplexity and its epoch, the validations
/// since, and whether to stop.</summary>
internal sealed record BestWeightsState(double Perplexity, int? Epoch, int WithoutImprovement, bool ShouldStop);

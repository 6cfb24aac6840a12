namespace D2L.Rnn;

/// <summary>
/// A loader whose epochs can be drawn again: where it stands is its seed and the number of epochs it has drawn, so a
/// run checkpoint can put a fresh loader where the interrupted run's stood, and its next epoch draws the same random
/// offsets and order.
/// </summary>
internal interface IRewindableLoader
{
    /// <summary>The seed its random draws come from: the one it was given, or one it drew when given none.</summary>
    int Seed { get; }

    /// <summary>Whether <see cref="Seed"/> was given (a run checkpoint must then have the same) rather than drawn (the
    /// checkpoint's is taken over).</summary>
    bool SeedGiven { get; }

    /// <summary>How many epochs it has drawn (enumerations begun).</summary>
    int EpochsDrawn { get; }

    /// <summary>Draws again, from <paramref name="seed"/>, what a fresh loader draws in <paramref name="epochsDrawn"/>
    /// epochs: the next epoch is that loader's next one.</summary>
    void Rewind(int seed, int epochsDrawn);

    /// <summary>What it reads and how (corpus, batch, steps, sampling), for the run checkpoint's check that it continues
    /// the same run.</summary>
    IEnumerable<(string Name, string Value)> Identity { get; }
}

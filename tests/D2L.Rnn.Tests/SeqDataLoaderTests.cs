using D2L.Rnn;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests;

public class SeqDataLoaderTests
{
    private static readonly int[] Ramp = Enumerable.Range(0, 10_000).ToArray();

    [Fact]
    public void SequentialGivesEightMinibatchesAt10000TokensForEveryOffset()
    {
        // d2l at offset 0: num_tokens = 9,984, rows of 312 tokens, 312 // 35 = 8 minibatches; at offset 35 rows of 311,
        // still 8. Each minibatch is 32 rows of 35 consecutive tokens, row r starting at offset + r·rowLength.
        for (var offset = 0; offset <= 35; offset++)
        {
            var batches = SeqDataLoader.SequentialBatches(Ramp, 32, 35, offset).ToList();
            Assert.Equal(8, batches.Count);
            var rowLength = offset <= 15 ? 312 : 311; // (10,000 − offset − 1) // 32
            Assert.Equal(offset + 7 * 35, batches[7].X[0]);
            Assert.Equal(offset + rowLength + 7 * 35, batches[7].X[35]);
        }
        // One token fewer at offset 16 than at 15 shortens every row: 9,983 // 32 = 311.
        Assert.Equal(15 + 312, SeqDataLoader.SequentialBatches(Ramp, 32, 35, 15).First().X[35]);
        Assert.Equal(16 + 311, SeqDataLoader.SequentialBatches(Ramp, 32, 35, 16).First().X[35]);
        // The loader itself: 8 minibatches per epoch, whatever offset it draws.
        var loader = new SeqDataLoader(Ramp, 32, 35, seed: 5);
        for (var epoch = 0; epoch < 5; epoch++)
        {
            var count = 0;
            foreach (var (x, y) in loader)
            using (x) using (y)
                count++;
            Assert.Equal(8, count);
        }
    }

    [Fact]
    public void SequentialRowsContinueAcrossMinibatchesAndYIsXShiftedByOne()
    {
        // d2l's own example: corpus 0..34, batch 2, steps 5, offset o -> rows start at o and o + 17 (num_tokens 34-o...).
        var corpus = Enumerable.Range(0, 35).ToArray();
        var batches = SeqDataLoader.SequentialBatches(corpus, 2, 5, 0).ToList();
        Assert.Equal(3, batches.Count); // num_tokens = 34, row length 17, 17 // 5 = 3
        Assert.Equal([0, 1, 2, 3, 4, 17, 18, 19, 20, 21], batches[0].X);
        Assert.Equal([5, 6, 7, 8, 9, 22, 23, 24, 25, 26], batches[1].X);
        Assert.Equal(batches[0].X.Select(v => v + 1), batches[0].Y);
        var shifted = SeqDataLoader.SequentialBatches(corpus, 2, 5, 3).ToList();
        Assert.Equal(3, shifted[0].X[0]);
        Assert.Equal(3 + 15, shifted[0].X[5]); // num_tokens = (35-3-1)//2*2 = 30, rows of 15
    }

    [Fact]
    public void RandomCoversDisjointSubsequencesOnce()
    {
        var corpus = Enumerable.Range(0, 35).ToArray();
        var batches = SeqDataLoader.RandomBatches(corpus, 2, 5, 2, new Random(1)).ToList();
        // d2l: num_subseqs = (35 - 2 - 1) // 5 = 6, batches = 6 // 2 = 3
        Assert.Equal(3, batches.Count);
        var starts = batches.SelectMany(b => new[] { b.X[0], b.X[5] }).Order().ToArray();
        Assert.Equal([2, 7, 12, 17, 22, 27], starts);
        foreach (var (x, y) in batches)
        {
            Assert.Equal(x.Select(v => v + 1), y);
            Assert.Equal(x[0] + 4, x[4]);
        }
    }

    [Fact]
    public void EnumeratingYieldsInt64TensorsShapedBatchBySteps_WithAFreshOffsetEachEpoch()
    {
        var loader = new SeqDataLoader(Ramp, 32, 35, seed: 7);
        var firsts = new HashSet<long>();
        for (var epoch = 0; epoch < 20; epoch++)
        {
            var count = 0;
            foreach (var (x, y) in loader)
            {
                using (x)
                using (y)
                {
                    Assert.Equal(ScalarType.Int64, x.dtype);
                    Assert.Equal([32L, 35L], x.shape);
                    Assert.Equal([32L, 35L], y.shape);
                    Assert.True((y - x).eq(1).all().item<bool>());
                    if (count == 0) firsts.Add(x[0, 0].item<long>());
                    count++;
                }
            }
            Assert.Equal(8, count);
        }
        Assert.True(firsts.Count > 3, "the offset should change between epochs");
        Assert.All(firsts, f => Assert.InRange(f, 0, 35));
    }

    [Fact]
    public void TheSameSeedGivesTheSameMinibatches()
    {
        static long[] FirstEpoch(int seed, bool random) =>
            new SeqDataLoader(Ramp, 4, 10, random, seed).SelectMany(b =>
            {
                using var x = b.X; using var y = b.Y;
                return x.data<long>().ToArray();
            }).ToArray();
        Assert.Equal(FirstEpoch(3, true), FirstEpoch(3, true));
        Assert.Equal(FirstEpoch(3, false), FirstEpoch(3, false));
        Assert.NotEqual(FirstEpoch(3, true), FirstEpoch(4, true));
    }

    [Theory]
    [InlineData(0, 35, "batchSize")]
    [InlineData(32, 0, "numSteps")]
    public void BadArgumentsAreNamed(int batchSize, int numSteps, string name)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => new SeqDataLoader(Ramp, batchSize, numSteps));
        Assert.Equal(name, e.ParamName);
    }

    [Fact]
    public void ABatchTooLargeForTheCorpusBlamesTheBatchAndSaysHowLargeItCanBe()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => new SeqDataLoader(Ramp, 1000, 35));
        Assert.Equal("batchSize", e.ParamName);
        Assert.StartsWith("batchSize 1000 is too large for this corpus: one minibatch reads batchSize × numSteps = " +
                          $"{35_000:N0} tokens plus one more for the labels, and each epoch starts at a random offset of up to 35 tokens, " +
                          $"so the loader needs {35_036:N0} tokens, and the corpus has {10_000:N0}. " +
                          "Use a batchSize of at most 284 with numSteps 35, or numSteps of at most 9 with batchSize 1000, or a longer text.",
            e.Message);
        // 284 is the largest that fits, for both samplings' offsets.
        _ = new SeqDataLoader(Ramp, 284, 35);
        Assert.Equal("batchSize", Assert.ThrowsAny<ArgumentException>(() => new SeqDataLoader(Ramp, 285, 35)).ParamName);
        Assert.Contains("at most 284", Assert.ThrowsAny<ArgumentException>(() => new SeqDataLoader(Ramp, 300, 35, useRandomIter: true)).Message);
        _ = new SeqDataLoader(Ramp, 284, 35, useRandomIter: true);
    }

    [Fact]
    public void StepsTooLongForEvenOneSequenceBlameTheSteps()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => new SeqDataLoader(Ramp, 32, 6000));
        Assert.Equal("numSteps", e.ParamName);
        Assert.StartsWith("numSteps 6000 is too large for this corpus", e.Message);
        Assert.Contains("Use numSteps of at most 303 with batchSize 32, or a longer text.", e.Message); // 303 × 33 + 1 ≤ 10,000
        _ = new SeqDataLoader(Ramp, 32, 303);
        // 304 steps would fit a smaller batch: then the batch is named first, with fewer steps as the other way out.
        var both = Assert.ThrowsAny<ArgumentException>(() => new SeqDataLoader(Ramp, 32, 304));
        Assert.Equal("batchSize", both.ParamName);
        Assert.Contains("Use a batchSize of at most 31 with numSteps 304, or numSteps of at most 303 with batchSize 32, or a longer text.", both.Message);

        var tiny = Assert.ThrowsAny<ArgumentException>(() => new SeqDataLoader([1], 1, 1));
        Assert.Equal("corpus", tiny.ParamName);
        Assert.StartsWith("The corpus is too short for any minibatch", tiny.Message);
    }

    [Theory]
    [InlineData(false, 5)]
    [InlineData(true, 5)]
    [InlineData(false, null)]
    [InlineData(true, null)]
    public void ARewoundLoaderDrawsTheNextEpochOfTheOneItStandsFor(bool random, int? seed)
    {
        // The loader that a run checkpoint saved: three epochs drawn (the third one only begun).
        var saved = new SeqDataLoader(Ramp, 16, 20, random, seed);
        for (var epoch = 0; epoch < 2; epoch++)
            foreach (var (x, y) in saved) { x.Dispose(); y.Dispose(); }
        var begun = saved.First();
        begun.X.Dispose();
        begun.Y.Dispose();
        var where = (IRewindableLoader)saved;
        Assert.Equal(3, where.EpochsDrawn);
        Assert.Equal(seed is not null, where.SeedGiven);

        // A fresh loader of the same text, with the same seed or none, put where that one stands.
        var fresh = new SeqDataLoader(Ramp, 16, 20, random, seed);
        ((IRewindableLoader)fresh).Rewind(where.Seed, where.EpochsDrawn);
        Assert.Equal(Epoch(saved), Epoch(fresh));
        Assert.Equal(Epoch(saved), Epoch(fresh));

        static long[] Epoch(SeqDataLoader loader) => loader.SelectMany(b =>
        {
            using (b.X) using (b.Y) return b.X.data<long>().ToArray();
        }).ToArray();
    }
}

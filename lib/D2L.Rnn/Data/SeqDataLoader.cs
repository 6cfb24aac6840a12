using TorchSharp;
using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>
/// Minibatches of (X, Y) token sequences, as d2l's <c>SeqDataLoader</c>: each enumeration is one epoch and
/// draws a fresh random offset. X and Y are int64 tensors on the CPU shaped (batch, steps), Y is X shifted by one token.
/// The caller owns (disposes) the tensors it receives.
/// </summary>
public sealed class SeqDataLoader : IEnumerable<(Tensor X, Tensor Y)>, IRewindableLoader
{
    private readonly bool _seedGiven;
    private int _seed;
    private Random _random;
    private int _epochsDrawn;

    /// <summary>Creates a loader over <paramref name="corpus"/>.</summary>
    /// <param name="corpus">Token indices.</param>
    /// <param name="batchSize">Sequences per minibatch.</param>
    /// <param name="numSteps">Time steps per sequence.</param>
    /// <param name="useRandomIter">Random sampling (<c>seq_data_iter_random</c>) instead of sequential
    /// partitioning (<c>seq_data_iter_sequential</c>).</param>
    /// <param name="seed">Seed of the offsets and shuffles; null draws one.</param>
    public SeqDataLoader(IReadOnlyList<int> corpus, int batchSize, int numSteps, bool useRandomIter = false, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be positive.");
        if (numSteps <= 0) throw new ArgumentOutOfRangeException(nameof(numSteps), numSteps, "numSteps must be positive.");
        if (corpus.Count < MinimumTokens(batchSize, numSteps, useRandomIter))
            throw TooShort(corpus.Count, batchSize, numSteps, useRandomIter);
        Corpus = corpus;
        BatchSize = batchSize;
        NumSteps = numSteps;
        UseRandomIter = useRandomIter;
        // Without a seed, one is drawn and kept, so that a run checkpoint can draw the same epochs again.
        _seed = seed ?? Random.Shared.Next();
        _seedGiven = seed is not null;
        _random = new Random(_seed);
    }

    /// <summary>The token indices.</summary>
    public IReadOnlyList<int> Corpus { get; }
    /// <summary>Sequences per minibatch.</summary>
    public int BatchSize { get; }
    /// <summary>Time steps per sequence.</summary>
    public int NumSteps { get; }
    /// <summary>Whether sampling is random (else sequential).</summary>
    public bool UseRandomIter { get; }

    /// <summary>Tokens needed so that every random offset still gives one minibatch.</summary>
    public static int MinimumTokens(int batchSize, int numSteps, bool useRandomIter) =>
        useRandomIter ? batchSize * numSteps + numSteps : batchSize * numSteps + numSteps + 1;

    // Names the setting to change: the batch when a smaller one fits these steps, else the steps; the message also
    // gives the other way out when there is one.
    private static ArgumentException TooShort(int tokens, int batchSize, int numSteps, bool useRandomIter)
    {
        var maxOffset = useRandomIter ? numSteps - 1 : numSteps;
        var why = $"one minibatch reads batchSize × numSteps = {(long)batchSize * numSteps:N0} tokens plus one more for the labels, " +
                  $"and each epoch starts at a random offset of up to {maxOffset:N0} tokens, so the loader needs " +
                  $"{MinimumTokens(batchSize, numSteps, useRandomIter):N0} tokens, and the corpus has {tokens:N0}";
        // Tokens needed: batchSize × numSteps + maxOffset + 1, solved for each setting with the other one kept.
        var largestBatch = (tokens - maxOffset - 1) / numSteps;
        var largestSteps = (tokens - (useRandomIter ? 0 : 1)) / (batchSize + 1);
        var fewerSteps = largestSteps >= 1 ? $"numSteps of at most {largestSteps:N0} with batchSize {batchSize}, " : "";
        if (largestBatch >= 1)
            return new ArgumentException(
                $"batchSize {batchSize} is too large for this corpus: {why}. Use a batchSize of at most {largestBatch:N0} " +
                $"with numSteps {numSteps}, {(fewerSteps.Length > 0 ? "or " + fewerSteps : "")}or a longer text.", nameof(batchSize));
        return fewerSteps.Length > 0
            ? new ArgumentException($"numSteps {numSteps} is too large for this corpus: {why}. Use {fewerSteps}or a longer text.", nameof(numSteps))
            : new ArgumentException($"The corpus is too short for any minibatch: {why}. Use a longer text.", "corpus");
    }

    /// <summary>One epoch: draws the offset (and shuffle), then yields the minibatches.</summary>
    public IEnumerator<(Tensor X, Tensor Y)> GetEnumerator()
    {
        _epochsDrawn++;
        var batches = UseRandomIter
            ? RandomBatches(Corpus, BatchSize, NumSteps, _random.Next(0, NumSteps), _random)
            : SequentialBatches(Corpus, BatchSize, NumSteps, _random.Next(0, NumSteps + 1));
        foreach (var (x, y) in batches)
            yield return (tensor(x, [BatchSize, NumSteps], device: CPU), tensor(y, [BatchSize, NumSteps], device: CPU)); // moved by the trainer
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// d2l's <c>seq_data_iter_sequential</c> at a given offset (0..numSteps): the corpus from the offset is cut
    /// into <paramref name="batchSize"/> rows and read left to right, so row i of consecutive minibatches
    /// continues the same text. Each array is (batch × steps) in row-major order.
    /// </summary>
    public static IEnumerable<(long[] X, long[] Y)> SequentialBatches(IReadOnlyList<int> corpus, int batchSize, int numSteps, int offset)
    {
        var numTokens = (corpus.Count - offset - 1) / batchSize * batchSize;
        var rowLength = numTokens / batchSize;
        var numBatches = rowLength / numSteps;
        for (var b = 0; b < numBatches; b++)
            yield return Windows(corpus, numSteps, Enumerable.Range(0, batchSize).Select(row => offset + row * rowLength + b * numSteps));
    }

    /// <summary>
    /// d2l's <c>seq_data_iter_random</c> at a given offset (0..numSteps-1): the corpus from the offset is cut
    /// into subsequences of <paramref name="numSteps"/> tokens whose start positions are shuffled, so adjacent
    /// minibatches are not adjacent in the text.
    /// </summary>
    public static IEnumerable<(long[] X, long[] Y)> RandomBatches(IReadOnlyList<int> corpus, int batchSize, int numSteps, int offset, Random random)
    {
        var starts = ShuffledStarts(corpus.Count, numSteps, offset, random);
        var numBatches = starts.Length / batchSize;
        for (var b = 0; b < numBatches; b++)
            yield return Windows(corpus, numSteps, new ArraySegment<int>(starts, b * batchSize, batchSize));
    }

    // The start positions of the subsequences, shuffled: the random draws of an epoch of random sampling after its offset.
    private static int[] ShuffledStarts(int corpusLength, int numSteps, int offset, Random random)
    {
        var numSubseqs = (corpusLength - offset - 1) / numSteps;
        var starts = Enumerable.Range(0, numSubseqs).Select(i => offset + i * numSteps).ToArray();
        random.Shuffle(starts);
        return starts;
    }

    int IRewindableLoader.Seed => _seed;
    bool IRewindableLoader.SeedGiven => _seedGiven;
    int IRewindableLoader.EpochsDrawn => _epochsDrawn;

    void IRewindableLoader.Rewind(int seed, int epochsDrawn)
    {
        (_seed, _random, _epochsDrawn) = (seed, new Random(seed), epochsDrawn);
        for (var epoch = 0; epoch < epochsDrawn; epoch++)
        {
            if (UseRandomIter) ShuffledStarts(Corpus.Count, NumSteps, _random.Next(0, NumSteps), _random);
            else _random.Next(0, NumSteps + 1);
        }
    }

    IEnumerable<(string Name, string Value)> IRewindableLoader.Identity =>
    [
        ("training data", $"{Corpus.Count} tokens (SHA-256 {RunIdentity.Hash(Corpus)})"),
        ("minibatches", $"batch {BatchSize}, {NumSteps} steps, {(UseRandomIter ? "random" : "sequential")} sampling"),
    ];

    // One minibatch: row i is the numSteps tokens from rowStarts[i] (X) and the same window one token later (Y).
    private static (long[] X, long[] Y) Windows(IReadOnlyList<int> corpus, int numSteps, IEnumerable<int> rowStarts)
    {
        var starts = rowStarts.ToArray();
        var x = new long[starts.Length * numSteps];
        var y = new long[starts.Length * numSteps];
        for (var row = 0; row < starts.Length; row++)
        for (var t = 0; t < numSteps; t++)
        {
            x[row * numSteps + t] = corpus[starts[row] + t];
            y[row * numSteps + t] = corpus[starts[row] + t + 1];
        }
        return (x, y);
    }
}

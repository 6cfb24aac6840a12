using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>
/// Minibatches of encoded windows and their next tokens for an MLP, on the CPU (the trainer and the evaluator move them
/// to the MLP's device): X float32 (batch, <see cref="NGramEncoder.Width"/>), Y int64 (batch). Each enumeration is one epoch over every window, shuffled afresh or in text order; the last
/// minibatch holds what is left (it can be smaller). The caller owns (disposes) the tensors it receives.
/// </summary>
public sealed class NGramDataLoader : IEnumerable<(Tensor X, Tensor Y)>, IRewindableLoader
{
    private readonly bool _seedGiven;
    private int _seed;
    private Random _random;
    private int _epochsDrawn;

    /// <summary>Creates a loader over <paramref name="windows"/>.</summary>
    /// <param name="windows">The windows and their targets.</param>
    /// <param name="vocabSize">Number of tokens: every token index is below it.</param>
    /// <param name="encoding">Sequential (concatenated) or bag-of-characters inputs.</param>
    /// <param name="batchSize">Windows per minibatch.</param>
    /// <param name="shuffle">A new random order every epoch; false keeps the text's order.</param>
    /// <param name="seed">Seed of the shuffles; null draws one.</param>
    public NGramDataLoader(NGramWindows windows, int vocabSize, NGramEncoding encoding, int batchSize, bool shuffle = true, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(windows);
        Width = NGramEncoder.Width(encoding, windows.Length, vocabSize);
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be positive.");
        // Checked once here, so that a bad index is not found halfway through an epoch.
        foreach (var t in windows.Tokens)
            if (t < 0 || t >= vocabSize)
                throw new ArgumentException($"The token index {t} is outside the vocabulary of {vocabSize}.", nameof(vocabSize));
        Windows = windows;
        VocabSize = vocabSize;
        Encoding = encoding;
        BatchSize = batchSize;
        Shuffle = shuffle;
        // Without a seed, one is drawn and kept, so that a run checkpoint can draw the same epochs again.
        _seed = seed ?? Random.Shared.Next();
        _seedGiven = seed is not null;
        _random = new Random(_seed);
    }

    /// <summary>The windows and their targets.</summary>
    public NGramWindows Windows { get; }
    /// <summary>Number of tokens.</summary>
    public int VocabSize { get; }
    /// <summary>How the windows are encoded.</summary>
    public NGramEncoding Encoding { get; }
    /// <summary>Windows per minibatch.</summary>
    public int BatchSize { get; }
    /// <summary>Whether each epoch draws a new order.</summary>
    public bool Shuffle { get; }
    /// <summary>Features of one encoded window: the MLP's input size.</summary>
    public int Width { get; }
    /// <summary>Minibatches per epoch, the last one possibly smaller.</summary>
    public int BatchCount => (Windows.Count + BatchSize - 1) / BatchSize;

    /// <summary>One epoch: draws the order, then yields the minibatches.</summary>
    public IEnumerator<(Tensor X, Tensor Y)> GetEnumerator()
    {
        _epochsDrawn++;
        var order = Order();
        for (var start = 0; start < order.Length; start += BatchSize)
        {
            var (windows, targets) = Windows.Select(new ArraySegment<int>(order, start, Math.Min(BatchSize, order.Length - start)));
            using (windows)
                yield return (NGramEncoder.Encode(windows, VocabSize, Encoding), targets);
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    // The windows' order in an epoch: its only random draw.
    private int[] Order()
    {
        var order = Enumerable.Range(0, Windows.Count).ToArray();
        if (Shuffle) _random.Shuffle(order);
        return order;
    }

    int IRewindableLoader.Seed => _seed;
    bool IRewindableLoader.SeedGiven => _seedGiven;
    int IRewindableLoader.EpochsDrawn => _epochsDrawn;

    void IRewindableLoader.Rewind(int seed, int epochsDrawn)
    {
        (_seed, _random, _epochsDrawn) = (seed, new Random(seed), epochsDrawn);
        for (var epoch = 0; epoch < epochsDrawn; epoch++) Order();
    }

    IEnumerable<(string Name, string Value)> IRewindableLoader.Identity =>
    [
        ("training data", $"{Windows.Count} windows of {Windows.Length} tokens (SHA-256 {RunIdentity.Hash(Windows.Tokens)})"),
        ("minibatches", $"batch {BatchSize}, {Encoding} encoding of {VocabSize} tokens, {(Shuffle ? "shuffled" : "in text order")}"),
    ];
}

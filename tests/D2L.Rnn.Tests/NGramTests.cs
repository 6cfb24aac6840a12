using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace D2L.Rnn.Tests;

/// <summary>Windows of 5 characters and their next character, encoded for an MLP (the homework's part 3).</summary>
public class NGramTests(ITestOutputHelper output)
{
    private const string Text = "But Brutus";
    private static readonly Vocab Vocab = new(Text.Select(c => c.ToString()));
    private static readonly int[] Tokens = Vocab.ToIndices(Text.Select(c => c.ToString()));
    private static int V => Vocab.Count;
    private static int Index(char c) => Vocab[c.ToString()];

    [Fact]
    public void WindowsOfFiveAndTheCharacterAfter()
    {
        var windows = new NGramWindows(Tokens, 5);
        Assert.Equal(Text.Length - 5, windows.Count);
        Assert.Equal("But B", string.Concat(Vocab.ToTokens(windows.Window(0))));
        Assert.Equal(Index('r'), windows.Target(0));
        Assert.Equal("ut Br", string.Concat(Vocab.ToTokens(windows.Window(1))));
        Assert.Equal(Index('u'), windows.Target(1));
        for (var i = 0; i < windows.Count; i++)
        {
            Assert.Equal(Text.Substring(i, 5), string.Concat(Vocab.ToTokens(windows.Window(i))));
            Assert.Equal(Index(Text[i + 5]), windows.Target(i));
        }

        var (x, y) = windows.ToTensors();
        using (x)
        using (y)
        {
            Assert.Equal([5L, 5L], x.shape);
            Assert.Equal([5L], y.shape);
            Assert.Equal(ScalarType.Int64, x.dtype);
            Assert.Equal(Tokens[1..6].Select(t => (long)t), x[1].data<long>().ToArray());
            Assert.Equal(Tokens[5..].Select(t => (long)t), y.data<long>().ToArray());
        }
    }

    [Fact]
    public void SequentialEncodingPutsAOneAtPositionTimesVocabPlusToken()
    {
        var (windows, targets) = new NGramWindows(Tokens, 5).ToTensors();
        targets.Dispose();
        using (windows)
        using (var x = NGramEncoder.Encode(windows, V, NGramEncoding.Sequential))
        {
            Assert.Equal([5L, 5L * V], x.shape);
            Assert.Equal(ScalarType.Float32, x.dtype);
            var expected = new float[5 * 5 * V];
            for (var i = 0; i < 5; i++)
            for (var p = 0; p < 5; p++)
                expected[i * 5 * V + p * V + Index(Text[i + p])] = 1;
            Assert.Equal(expected, x.data<float>().ToArray());
            // "But B": 'B' at positions 0 and 4.
            Assert.Equal(1f, x[0, Index('B')].item<float>());
            Assert.Equal(1f, x[0, 4 * V + Index('B')].item<float>());
        }
    }

    [Fact]
    public void BagOfCharactersCountsEachCharacterOfTheWindow()
    {
        var (windows, targets) = new NGramWindows(Tokens, 5).ToTensors();
        targets.Dispose();
        using (windows)
        using (var x = NGramEncoder.Encode(windows, V, NGramEncoding.BagOfCharacters))
        {
            Assert.Equal([5L, (long)V], x.shape);
            var expected = new float[5 * V];
            for (var i = 0; i < 5; i++)
                foreach (var c in Text.Substring(i, 5))
                    expected[i * V + Index(c)]++;
            Assert.Equal(expected, x.data<float>().ToArray());
            Assert.Equal(1f, x[1, Index('u')].item<float>()); // "ut Br": one u
            Assert.Equal(2f, x[4, Index('u')].item<float>()); // "Brutu": two
            Assert.Equal(2f, x[0, Index('B')].item<float>()); // "But B": two B
            Assert.All(Enumerable.Range(0, 5), i => Assert.Equal(5f, x[i].sum().item<float>()));
        }
        Assert.Equal(5 * V, NGramEncoder.Width(NGramEncoding.Sequential, 5, V));
        Assert.Equal(V, NGramEncoder.Width(NGramEncoding.BagOfCharacters, 5, V));
    }

    [Fact]
    public void BadWindowsAndEncodingsAreNamed()
    {
        Assert.Equal("length", Assert.Throws<ArgumentOutOfRangeException>(() => new NGramWindows(Tokens, 0)).ParamName);
        Assert.Equal("tokens", Assert.Throws<ArgumentException>(() => new NGramWindows(Tokens[..5], 5)).ParamName);
        Assert.Equal(1, new NGramWindows(Tokens[..6], 5).Count);
        var windows = new NGramWindows(Tokens, 5);
        Assert.Equal("index", Assert.Throws<ArgumentOutOfRangeException>(() => windows.Window(5)).ParamName);
        Assert.Equal("index", Assert.Throws<ArgumentOutOfRangeException>(() => windows.Target(-1)).ParamName);

        using var tooBig = tensor(new long[] { 0, 1, V }, [1, 3]);
        Assert.Equal("windows", Assert.Throws<ArgumentException>(() => NGramEncoder.Encode(tooBig, V, NGramEncoding.Sequential)).ParamName);
        using var flat = tensor(new long[] { 0, 1, 2 });
        Assert.Equal("windows", Assert.Throws<ArgumentException>(() => NGramEncoder.Encode(flat, V, NGramEncoding.BagOfCharacters)).ParamName);
        using var floats = zeros(2, 5);
        Assert.Equal("windows", Assert.Throws<ArgumentException>(() => NGramEncoder.Encode(floats, V, NGramEncoding.Sequential)).ParamName);
        using var ok = zeros([2, 5], dtype: int32);
        Assert.Equal("vocabSize", Assert.ThrowsAny<ArgumentException>(() => NGramEncoder.Encode(ok, 0, NGramEncoding.Sequential)).ParamName);
        Assert.Equal("encoding", Assert.ThrowsAny<ArgumentException>(() => NGramEncoder.Encode(ok, V, (NGramEncoding)7)).ParamName);
        using var fromInt32 = NGramEncoder.Encode(ok, V, NGramEncoding.BagOfCharacters);
        Assert.Equal(5f, fromInt32[0, 0].item<float>());

        Assert.Equal("vocabSize", Assert.Throws<ArgumentException>(() => new NGramDataLoader(windows, V - 1, NGramEncoding.Sequential, 2)).ParamName);
        Assert.Equal("batchSize", Assert.Throws<ArgumentOutOfRangeException>(() => new NGramDataLoader(windows, V, NGramEncoding.Sequential, 0)).ParamName);
    }

    [Fact]
    public void TheLoaderInTextOrderYieldsEveryWindowOnceWithASmallerLastBatch()
    {
        var loader = new NGramDataLoader(new NGramWindows(Tokens, 5), V, NGramEncoding.BagOfCharacters, 2, shuffle: false);
        Assert.Equal(3, loader.BatchCount);
        var batches = loader.ToList();
        try
        {
            Assert.Equal([2L, 2L, 1L], batches.Select(b => b.X.shape[0]));
            Assert.All(batches, b => Assert.Equal(V, b.X.shape[1]));
            Assert.Equal(Tokens[5..].Select(t => (long)t), batches.SelectMany(b => b.Y.data<long>().ToArray()));
            using var all = new NGramWindows(Tokens, 5).ToTensors().Windows;
            using var expected = NGramEncoder.Encode(all, V, NGramEncoding.BagOfCharacters);
            using var joined = cat(batches.Select(b => b.X).ToArray());
            Assert.True(joined.equal(expected).all().item<bool>());
        }
        finally
        {
            foreach (var (x, y) in batches) { x.Dispose(); y.Dispose(); }
        }
    }

    [Fact]
    public void TheShuffledLoaderPairsEachWindowWithItsOwnTargetAndRepeatsWithTheSeed()
    {
        string[] Epoch(NGramDataLoader loader)
        {
            var seen = new List<string>();
            foreach (var (x, y) in loader)
            using (x)
            using (y)
            {
                // Decode each sequential row (the one-hot block of each position) back to text, then add its target.
                var positions = x.reshape(x.shape[0], 5, V).argmax(2).data<long>().ToArray();
                var targets = y.data<long>().ToArray();
                for (var r = 0; r < targets.Length; r++)
                    seen.Add(string.Concat(Vocab.ToTokens(positions[(r * 5)..(r * 5 + 5)].Select(t => (int)t))) + Vocab.ToToken((int)targets[r]));
            }
            return [.. seen];
        }

        var windows = new NGramWindows(Tokens, 5);
        var a = new NGramDataLoader(windows, V, NGramEncoding.Sequential, 2, seed: 3);
        var b = new NGramDataLoader(windows, V, NGramEncoding.Sequential, 2, seed: 3);
        var first = Epoch(a);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => Text.Substring(i, 6)).Order(), first.Order());
        Assert.Equal(first, Epoch(b));
        var epochs = Enumerable.Range(0, 5).Select(_ => string.Join("|", Epoch(a))).ToHashSet();
        Assert.True(epochs.Count > 1, "every epoch drew the same order");
    }

    [Theory]
    [InlineData(NGramEncoding.Sequential)]
    [InlineData(NGramEncoding.BagOfCharacters)]
    public void TheHomeworkMlpLearnsTheNextCharacter(NGramEncoding encoding)
    {
        manual_seed(9);
        var corpus = TimeMachine.LoadD2l(maxTokens: 2000, dataDirectory: TestData.Directory);
        var vocab = corpus.Vocab.Count;
        using var mlp = NGramMlp.Create(vocab, encoding);
        Assert.Equal([256L, NGramEncoder.Width(encoding, 5, vocab)], ((TorchSharp.Modules.Linear)mlp[0]).weight!.shape);
        var loader = new NGramDataLoader(new NGramWindows(corpus.Indices, 5), vocab, encoding, 64, seed: 10);
        using var optimizer = optim.Adam(mlp.parameters(), 1e-2);
        var losses = new List<double>();
        for (var epoch = 0; epoch < 5; epoch++)
        {
            double sum = 0;
            long count = 0;
            foreach (var (x, y) in loader)
            {
                using var scope = NewDisposeScope();
                using var xs = x;
                using var ys = y;
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(mlp.call(x), y);
                loss.backward();
                optimizer.step();
                sum += loss.item<float>() * y.shape[0];
                count += y.shape[0];
            }
            losses.Add(sum / count);
        }
        output.WriteLine($"{encoding}: perplexity by epoch {string.Join(", ", losses.Select(l => Math.Exp(l).ToString("F2")))}");
        Assert.True(losses[^1] < losses[0] - 0.2, $"loss {string.Join(" → ", losses)}");
    }

    [Fact]
    public void TheEvaluatorsAccuracyAndPerplexityAreThoseOfEveryWindow()
    {
        manual_seed(3);
        var corpus = TimeMachine.LoadD2l(maxTokens: 3000, dataDirectory: TestData.Directory);
        using var mlp = NGramMlp.Create(corpus.Vocab.Count, NGramEncoding.Sequential);
        var windows = new NGramWindows(corpus.Indices, 5);
        var score = NGramEvaluator.Evaluate(mlp, windows, corpus.Vocab.Count, NGramEncoding.Sequential, batchSize: 700); // chunks of 700 and a rest

        using var scope = NewDisposeScope();
        var (x, y) = windows.ToTensors();
        var scores = mlp.call(NGramEncoder.Encode(x, corpus.Vocab.Count, NGramEncoding.Sequential));
        Assert.Equal(scores.argmax(1).eq(y).to(float64).mean().item<double>(), score.Accuracy, 12);
        Assert.Equal(Math.Exp(nn.functional.cross_entropy(scores, y).to(float64).item<double>()), score.Perplexity, 4);
        Assert.True(mlp.training); // its mode as it was
    }

    [Fact]
    public void TheMlpTrainsUnderTheRecurrentModelsOptionsAndKeepsItsBestValidationEpoch()
    {
        manual_seed(4);
        var corpus = TimeMachine.LoadD2l(maxTokens: 6000, dataDirectory: TestData.Directory);
        var (train, held) = (corpus.Indices[..5000], corpus.Indices[5000..]);
        using var mlp = NGramMlp.Create(corpus.Vocab.Count, NGramEncoding.Sequential);
        var loader = new NGramDataLoader(new NGramWindows(train), corpus.Vocab.Count, NGramEncoding.Sequential, 128, seed: 4);
        // A rate that overfits 5,000 characters quickly: validation gets worse before the end.
        var options = new TrainOptions
        {
            NumEpochs = 12, LearningRate = 1e-2, Optimizer = Optimizers.Adam, ClipTheta = 1, Validation = held, KeepBestWeights = true,
        };
        var result = NGramTrainer.Train(mlp, loader, options);
        Assert.Equal(12, result.Epochs.Count);
        Assert.True(result.Epochs[^1].Perplexity < result.Epochs[0].Perplexity * 0.8, "training perplexity did not fall");
        var validation = result.Epochs.Select(e => e.ValidationPerplexity!.Value).ToArray();
        output.WriteLine($"validation by epoch: {string.Join(", ", validation.Select(v => v.ToString("F3")))}");
        Assert.Equal(Array.IndexOf(validation, validation.Min()) + 1, result.BestEpoch);
        Assert.True(result.BestEpoch < 12, "validation kept improving: the test needs a worse end");
        var kept = NGramEvaluator.Evaluate(mlp, new NGramWindows(held), corpus.Vocab.Count, NGramEncoding.Sequential);
        Assert.Equal(validation.Min(), kept.Perplexity, 12);
    }
}

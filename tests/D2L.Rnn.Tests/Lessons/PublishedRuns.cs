using D2L.Rnn;

namespace D2L.Rnn.Tests;

/// <summary>The unit's published runs that the library reproduces, with each lesson's own settings.</summary>
public static class PublishedRuns
{
    // rnn-scratch: 512 hidden units, 64 steps, batch 32, lr 100, θ 0.01, 500 epochs, the lesson's sgd; random sampling
    // first, then consecutive; perplexity printed every 50 epochs. The last three reports are checked.
    private static readonly TrainOptions Scratch = new()
    {
        NumEpochs = 500, LearningRate = 100, ClipTheta = 0.01, Updater = ScratchRnn.Sgd, PredictEvery = 0,
    };

    public static IReadOnlyList<PublishedRun> All { get; } =
    [
        new("rnn-scratch, random sampling", vocab => ScratchRnn.Model(vocab, 512), 32, 64, true, Scratch,
            [(50, 8.954775), (100, 7.555069), (150, 5.574858), (200, 3.716279), (250, 2.434598), (300, 1.829528),
             (350, 1.563005), (400, 1.423053), (450, 1.373718), (500, 1.347638)],
            [400, 450, 500]),
        new("rnn-scratch, consecutive sampling", vocab => ScratchRnn.Model(vocab, 512), 32, 64, false, Scratch,
            [(50, 8.766011), (100, 7.066054), (150, 4.490671), (200, 2.663523), (250, 1.589984), (300, 1.253643),
             (350, 1.250476), (400, 1.169369), (450, 1.139071), (500, 1.166729)],
            [400, 450, 500]),
    ];

    public static PublishedRun Named(string name) => All.Single(r => r.Name == name);
}

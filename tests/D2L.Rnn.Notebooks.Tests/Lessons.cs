namespace D2L.Rnn.Notebooks.Tests;

/// <summary>
/// The course's notebooks, in reading order, and what the tests expect of each: adding a lesson is adding an entry
/// here (docs/notebooks.md, "Adding a lesson").
/// </summary>
public static class Lessons
{
    /// <summary>What is never compared between the app and the notebook: the timings every lesson prints.</summary>
    public static readonly string[] Timings = [@"\btime [\d.]+ sec\b", @"\b[\d.]+ s/epoch\b", @"\b[\d.]+ s per epoch\b", @"\b\d+ tokens/sec\b"];

    public static readonly Lesson[] All =
    [
        new("sequence")
        {
            // 10 epochs of a tiny MLP take a second: the lesson's own budget.
            Prints =
            [
                @"^x \(1000\), noise variance 0\.\d{4} \(0\.2² = 0\.04\)$",
                @"^features \(996, 4\), labels \(996, 1\)$",
                @"^training on 600 examples, testing on 396$",
                @"^dense0\.weight +\(10, 4\) +uniform in ±0\.655: largest \|value\| 0\.\d{3}$",
                @"^dense0\.bias +\(10\) +zero: largest \|value\| 0\.000$",
                @"^epoch 1, loss: 0\.\d{6}$",
                @"^epoch 10, loss: 0\.\d{6}$",
                @"^test loss: 0\.\d{6}$",
            ],
            // The noise has variance 0.04, so the L2 loss ½(ŷ − x)² has a floor of about 0.02; the lesson's published run:
            // 0.036634 after epoch 1, 0.026995 after epoch 10, test 0.024697. Seeds 0–12 gave 0.022–0.029 (epoch 10),
            // 0.022–0.032 (test), a multistep tail 0.00–0.03 wide, and errors 0.046–0.061 one step and 0.10–1.19 29 steps ahead.
            Ranges =
            [
                new(@"^x \(1000\), noise variance ([\d.]+)", 0.033, 0.047),
                new(@"^epoch 1, loss: ([\d.]+)$", 0.018, 0.15),
                new(@"^epoch 10, loss: ([\d.]+)$", 0.017, 0.036),
                new(@"^test loss: ([\d.]+)$", 0.017, 0.040),
                // The multistep predictions drift to a constant, while the data swing over about 2.
                new(@"^the last 200 multistep predictions \(t = 800 to 999\) span ([\d.]+),", 0, 0.1),
                new(@"; the data there span ([\d.]+)$", 1.5, 3),
                // One step ahead the error is about the noise's 0.04; 29 steps ahead it is larger.
                new(@"^step  4 \( 1 ahead\): mean squared error ([\d.]+)$", 0.035, 0.075),
                new(@"^step 32 \(29 ahead\): mean squared error ([\d.]+)$", 0.08, 2.5),
            ],
            Seeds = [1, 2, 3, 4, 5],
            Charts =
            [
                "The data: a sine with noise, x = sin(0.01 t) + 0.2 ε",
                "One step ahead: every estimate from the 4 true values before it",
                "Multistep: from t = 600 on, every prediction from the model's own predictions",
                "k steps ahead: every window starts from 4 true values",
            ],
        },
        new("rnn-scratch")
        {
            // Five epochs of each sampling: the shapes, the pieces and both runs, at a few seconds' cost.
            Budget = [("D2L_EPOCHS", "5")],
            Prints =
            [
                "^10000 characters, vocabulary of 43 symbols$",
                @"^\(3, 43\)$", "^1·{42}$", "^··1·{40}$",
                @"^5 \(2, 43\)$",
                @"^5 \(2, 43\) \(2, 512\)$",
                @"^loss 3\.\d{3}, gradient norm 0\.\d{3} clipped to 0\.0100$",
                @"^epoch 5, perplexity \d+\.\d{6}, time [\d.]+ sec, reference path$",
                @"^random sampling +published 1\.42 / 1\.37 / 1\.35",
                @"^consecutive: time traveller.{50}$",
            ],
            // Five epochs from Normal(0, 0.01): measured 19–22 (43 symbols: a uniform guess is 43).
            Ranges = [new(@"^epoch 5, perplexity ([\d.]+),", 12, 30)],
            Charts = [PerplexityChart.TrainingTitle, PerplexityChart.TrainingTitle],
            Published =
            [
                new(@"^random sampling +published ([\d. /]+?)   this run", @"^random sampling .*this run ([\d. /]+)$", [0, 1, 2]),
                new(@"^consecutive sampling +published ([\d. /]+?)   this run", @"^consecutive sampling .*this run ([\d. /]+)$", [0, 1, 2]),
            ],
        },
        new("rnn-gluon")
        {
            // The lecture's full 200 epochs: about 15 s of training.
            Prints =
            [
                "^10000 characters, vocabulary of 43 symbols$",
                @"^state \(1, 2, 256\)$", @"^input \(35, 2, 43\)$", @"^output \(35, 2, 256\)$", @"^new state \(1, 2, 256\)$",
                @"^first step by hand \(2, 256\), largest difference from the layer's output: ",
                @"^begin state \(1, 2, 256\)$",
                @"^epoch 200, perplexity \d+\.\d{6}, time [\d.]+ sec, fast path$",
                @"^ - time traveller.{50}$",
                @"^time traveller.{50}$",
                @"^1600 of 1600 minibatches had a gradient norm above θ = 0.01",
                @"^hidden states \(65, 256\)$",
                @"^the 5 most variable units: \d+(, \d+){4}$",
            ],
            // The lecture published 4.20 / 2.00 / 1.51 / 1.30 (a ReLU RNN); every point within 10% of it.
            Ranges =
            [
                new(@"^epoch 50, perplexity ([\d.]+),", 4.20 * 0.9, 4.20 * 1.1),
                new(@"^epoch 100, perplexity ([\d.]+),", 2.00 * 0.9, 2.00 * 1.1),
                new(@"^epoch 150, perplexity ([\d.]+),", 1.51 * 0.9, 1.51 * 1.1),
                new(@"^epoch 200, perplexity ([\d.]+),", 1.30 * 0.9, 1.30 * 1.1),
            ],
            Charts = [PerplexityChart.TrainingTitle, GradientNormChart.Title, HiddenStateChart.Title],
            // LectureNotebookTests: how often the live chart redrew, and what that cost.
            After = "Console.WriteLine($\"redraws {plot.Redraws}, redraw seconds {plot.RedrawTime.TotalSeconds:F4}, training seconds {result.Epochs.Sum(e => e.Seconds):F2}\");",
        },
        new("gru")
        {
            Budget = [("D2L_EPOCHS", "5")],
            Prints =
            [
                "^10000 characters, vocabulary of 43 symbols, 256 hidden units$",
                @"^epoch 5, perplexity \d+\.\d{6}, time [\d.]+ sec, reference path$",
                @"^epoch 5, perplexity \d+\.\d{6}, time [\d.]+ sec, fast path$",
                @"^from scratch +published 7\.74 / 3\.35 / 1\.35 / 1\.15",
                @"^concise: +time traveller.{50}$",
            ],
            Ranges = [new(@"^epoch 5, perplexity ([\d.]+),", 12, 30)],
            Charts = [PerplexityChart.TrainingTitle],
            Published =
            [
                new(@"^from scratch +published ([\d. /]+?)   this run", @"^from scratch .*this run ([\d. /]+)$", [0, 1, 2, 3]),
                new(@"^concise +published ([\d. /]+?)   this run", @"^concise .*this run ([\d. /]+)$", [0, 1, 2, 3]),
            ],
        },
        new("lstm")
        {
            Budget = [("D2L_EPOCHS", "5")],
            Prints =
            [
                "^10000 characters, vocabulary of 43 symbols, 256 hidden units$",
                @"^epoch 5, perplexity \d+\.\d{6}, time [\d.]+ sec, reference path$",
                @"^epoch 5, perplexity \d+\.\d{6}, time [\d.]+ sec, fast path$",
                @"^from scratch +published 7\.95 / 3\.83 / 1\.92 / 1\.32",
                @"^concise: +time traveller.{50}$",
            ],
            Ranges = [new(@"^epoch 5, perplexity ([\d.]+),", 12, 30)],
            Charts = [PerplexityChart.TrainingTitle],
            Published =
            [
                new(@"^from scratch +published ([\d. /]+?)   this run", @"^from scratch .*this run ([\d. /]+)$", [0, 1, 2, 3]),
                new(@"^concise +published ([\d. /]+?)   this run", @"^concise .*this run ([\d. /]+)$", [0, 1, 2, 3]),
            ],
        },
        new("deep-lstm")
        {
            Budget = [("D2L_EPOCHS", "5")],
            Prints =
            [
                @"^rnn\.weight_ih_l1 +\(1024, 256\)$",
                @"^begin state H \(2, 32, 256\), C \(2, 32, 256\)$",
                @"^epoch 5, perplexity \d+\.\d{6}, time [\d.]+ sec, fast path$",
                @"^deep-lstm \(4_9\) +10\.94 / 2\.05",
                @"^time traveller.{50}$",
            ],
            Ranges = [new(@"^epoch 5, perplexity ([\d.]+),", 12, 30)],
            Charts = [PerplexityChart.TrainingTitle],
            // Published twice with the same code: one run left its plateau after epoch 500, the other before, so epochs 1,500
            // to 2,500 are checked against either (the library's curve tests check the same points).
            Published = [new(@"^deep-lstm \(4_9\) +([\d. /]+)$", @"^this run +([\d. /]+)$", [2, 3, 4], @"^deep-rnn \(4_16\) +([\d. /]+)$")],
        },
        new("bi-rnn")
        {
            Budget = [("D2L_EPOCHS", "3")],
            Prints =
            [
                "^LSTM, 43 tokens, 256 hidden units, 2 layers, bidirectional, one-hot input$",
                @"^dense layer \(43, 512\)$",
                @"^begin state H \(4, 32, 256\), C \(4, 32, 256\)$",
                @"^epoch 3, perplexity \d+\.\d{6}, time [\d.]+ sec, reference path$",
                "^the model is bidirectional",
                @"^changing step 20 moves the scores of steps 0 to 19 by up to \d",
                @"^time traveller.{50}$",
            ],
            Charts = [PerplexityChart.TrainingTitle],
            Published = [new(@"^published ([\d. /]+)$", @"^this run +([\d. /]+)$", [0, 1, 2, 3, 4])],
        },
        new("homework8-shakespeare")
        {
            // One epoch on 260,000 characters: 60,000 to train on, 100,000 to validate and 100,000 to test.
            Budget = [("D2L_EPOCHS", "1"), ("D2L_MAX_TOKENS", "260000")],
            Prints =
            [
                "^260,000 characters, vocabulary of 28$",
                "^training on 60,000, validating on the next 100,000, testing on the last 100,000$",
                @"^this run trains for about \d.* in all \(at most\)$",
                .. new[] { "RNN", "GRU", "LSTM", "LSTM, 2 layers" }.Select(model =>
                    $@"^{System.Text.RegularExpressions.Regex.Escape(model)}\s+best validation perplexity [\d.]+ \(epoch 1\), [\d.]+ s/epoch"),
                .. new[] { "RNN", "GRU", "LSTM", "LSTM, 2 layers", "MLP, Sequential", "MLP, BagOfCharacters" }.SelectMany(model => new[]
                {
                    // The search's choice, then the test table: learning rate, epochs, validation and test perplexity.
                    $@"^{System.Text.RegularExpressions.Regex.Escape(model)}: chosen lr [\d.]+, 1 epochs \(validation perplexity [\d.]+\)$",
                    $@"^{System.Text.RegularExpressions.Regex.Escape(model)}\s+[\d.]+\s+1\s+[\d.]+\s+[\d.]+(\s+test accuracy [\d.]+ ?%)?$",
                }),
                @"^the lowest test perplexity: [\d.]+, (RNN|GRU|LSTM|LSTM, 2 layers|MLP, Sequential|MLP, BagOfCharacters) \(lr [\d.]+, 1 epochs, trained on training \+ validation text\)$",
            ],
            Charts = [PerplexityChart.ValidationTitle, SweepChart.Title("the validation text"), PerplexityChart.ValidationTitle, PerplexityChart.TrainingTitle],
            Timings =
            [
                // The sweep table's seconds, the measured speeds and the plan made from them.
                @"(?<=^(?:hidden units|embedding length|clipping θ)\s+\S+\s+[\d.]+\s+[\d.]+\s+)[\d.]+$",
                @"\b[\d,]+ characters/s\b",
                @"\babout \d+ (?:h|min|s)(?: \d+ (?:min|s))?",
            ],
            After = HomeworkNotebookTests.RunAgain,
        },
    ];

    public static Lesson Named(string name) => All.Single(l => l.Name == name);

    /// <summary>The lessons' names, for theories (a name shows in the test's name: filter with <c>DisplayName~sequence</c>).</summary>
    public static TheoryData<string> Names() => new(All.Select(l => l.Name));

    /// <summary>The lessons that run the app on several seeds.</summary>
    public static TheoryData<string> Seeded() => new(All.Where(l => l.Seeds.Length > 0).Select(l => l.Name));
}

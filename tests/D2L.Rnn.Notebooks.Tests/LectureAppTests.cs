using System.Globalization;
using System.Text.RegularExpressions;
using NotebookRunner;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>
/// The lecture twice on one small budget (<see cref="Epochs"/> epochs): notebooks/rnn-gluon.dib in the real engine and
/// notebooks/rnn-gluon.cs as a .NET 10 file-based app, each writing its files to a scratch folder.
/// </summary>
public sealed class LectureBudgetRun : IAsyncLifetime
{
    /// <summary>Two epoch lines with predictions (50 and 60) at a fraction of the lecture's time.</summary>
    public const int Epochs = 60;

    public string NotebookOutput { get; } = Repo.NewScratchFolder("lecture-budget");
    public string AppOutput { get; } = Repo.NewScratchFolder("app");

    public List<CellResult> NotebookCells { get; private set; } = [];

    /// <summary>What the notebook's cells printed, and the plain text of what they displayed, in order.</summary>
    public string NotebookText => string.Concat(NotebookCells.SelectMany(r => r.Outputs)
        .Select(o => o.Kind == "stdout" ? o.Text : o.Kind == "display" ? o.Plain + "\n" : ""));

    public (int Exit, string Printed) App { get; private set; }

    public async Task InitializeAsync()
    {
        Repo.UseSharedDataWhenPresent();
        Environment.SetEnvironmentVariable("D2L_EPOCHS", Epochs.ToString(CultureInfo.InvariantCulture));
        Environment.SetEnvironmentVariable("D2L_OUTPUT_DIR", NotebookOutput);
        try
        {
            NotebookCells = await NotebookRun.RunAsync(LectureNotebookRun.Dib, TimeSpan.FromMinutes(20));
        }
        finally
        {
            Environment.SetEnvironmentVariable("D2L_EPOCHS", null);
            Environment.SetEnvironmentVariable("D2L_OUTPUT_DIR", null);
        }
        App = Processes.Run(Repo.Root, TimeSpan.FromMinutes(10), "dotnet", ["run", "notebooks/rnn-gluon.cs"],
            ("D2L_EPOCHS", Epochs.ToString(CultureInfo.InvariantCulture)), ("D2L_OUTPUT_DIR", AppOutput));
    }

    public Task DisposeAsync()
    {
        Directory.Delete(NotebookOutput, recursive: true);
        Directory.Delete(AppOutput, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>The lecture's file-based app does what the notebook does: the same lines for the same budget.</summary>
[Trait("Category", "Slow")]
public partial class LectureAppTests(LectureBudgetRun run) : IClassFixture<LectureBudgetRun>
{
    [Fact]
    public void TheAppPrintsTheLectureStepsAndWritesItsCharts()
    {
        var (exit, printed) = run.App;
        Assert.True(exit == 0, printed);
        foreach (var line in new[] { "10000 characters, vocabulary of 43 symbols", "state (1, 2, 256)", "input (35, 2, 43)",
                                     "output (35, 2, 256)", "new state (1, 2, 256)", "begin state (1, 2, 256)", "hidden states (65, 256)" })
            Assert.Contains(line, printed);
        Assert.Matches(@"(?m)^traveller.{10}$", printed); // prediction before training
        var epoch = Regex.Match(printed, $@"(?m)^epoch {LectureBudgetRun.Epochs}, perplexity ([\d.]+), time [\d.]+ sec\b");
        Assert.True(epoch.Success, printed);
        // Measured: the lecture's seeded ReLU model is at perplexity 3.48 after 60 epochs (43 symbols: uniform is 43).
        Assert.InRange(double.Parse(epoch.Groups[1].Value, CultureInfo.InvariantCulture), 3, 4);
        Assert.Contains($"{LectureBudgetRun.Epochs} epochs, ", printed);
        Assert.Matches(@"(?m)^time traveller.{50}$", printed); // prediction after training
        foreach (var chart in new[] { "rnn-gluon-perplexity.html", "rnn-gluon-gradient-norms.html", "rnn-gluon-hidden-states.html" })
        {
            Assert.Contains($"chart written to {chart}", printed); // outside the repository: the name only
            Assert.Contains("Plotly.newPlot", File.ReadAllText(Path.Combine(run.AppOutput, chart)));
        }
    }

    /// <summary>
    /// Every line both print that says what the lecture computed, in order: the data, the shapes, the layer's first
    /// step by hand, the prediction before training, the epoch lines (format and count; the time is not compared) with
    /// their predictions, the predictions after training, the gradient norms and the hidden units. The notebook and the
    /// app cannot drift apart without this failing.
    /// </summary>
    [Fact]
    public void TheNotebookAndTheAppPrintTheSameLinesForTheSameBudget()
    {
        Assert.True(run.App.Exit == 0, run.App.Printed);
        Assert.All(run.NotebookCells, c => Assert.True(c.Succeeded, c.Error));
        var notebook = Compared(run.NotebookText);
        var app = Compared(run.App.Printed);
        Assert.Equal(notebook, app);

        // Nothing is compared vacuously: each kind of line is there, as often as the lecture prints it.
        int Count(string pattern) => notebook.Count(l => Regex.IsMatch(l, pattern));
        Assert.Equal(1, Count(@"^\d+ characters, vocabulary of 43 symbols$"));
        Assert.Equal(5, Count(@"^(state|input|output|new state|begin state) \("));
        Assert.Equal(1, Count(@"^first step by hand \(2, 256\)"));
        Assert.Equal([50, LectureBudgetRun.Epochs], notebook.Select(l => EpochLine().Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value)));
        Assert.Equal(2 * 2, Count(@"^ - ")); // two prefixes at each epoch line
        Assert.Equal(1 + 2, Count(@"^(time )?traveller")); // before training, and both prefixes after
        Assert.Equal(1, Count(@"^\d+ of \d+ minibatches had a gradient norm above θ"));
        Assert.Equal(1, Count(@"^hidden states \(65, 256\)$"));
        Assert.Equal(1, Count(@"^the 5 most variable units: \d+(, \d+){4}$"));
    }

    /// <summary>The lines of <paramref name="text"/> that both should print alike, epoch lines without their time.</summary>
    private static List<string> Compared(string text) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => ComparedLine().IsMatch(l))
            .Select(l => EpochTime().Replace(l, "time … sec")).ToList();

    [GeneratedRegex(@"^(\d+ characters, vocabulary of|(state|input|output|new state|begin state) \(|first step by hand|epoch \d+, perplexity| - |(time )?traveller|\d+ of \d+ minibatches|hidden states \(|the \d+ most variable units)")]
    private static partial Regex ComparedLine();

    // The time is not compared; everything else on the line is (a validation perplexity or the training path, too).
    [GeneratedRegex(@"^epoch (\d+), perplexity \d+\.\d{6}\b.*, time … sec\b")]
    private static partial Regex EpochLine();

    [GeneratedRegex(@"\btime [\d.]+ sec\b")]
    private static partial Regex EpochTime();
}

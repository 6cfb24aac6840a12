using System.Net;

namespace D2L.Rnn.Notebooks;

/// <summary>
/// The progress line of a long training cell: which run, which epoch, and about how long the cell has left, counted
/// down from a <see cref="TrainingBudget"/>'s plan and corrected by the epochs measured so far. In a notebook cell it is
/// one line of the cell's output, replaced in place; in a file-based app it is the terminal's status line
/// (<see cref="TerminalStatus"/>), and the cell's closing line is printed.
/// </summary>
/// <remarks>
/// Call <see cref="Start"/> before each run and pass every <see cref="EpochReport"/> to <see cref="Add"/>. An epoch read
/// back from a run checkpoint (<see cref="EpochReport.FromRunCheckpoint"/>) counts as done without being timed; the same
/// epoch of the same run counts once, so a run continued with more epochs is not counted twice. The time left is the
/// plan's time for the epochs not yet done, times how much slower (or faster) than planned the epochs trained so far
/// were: a machine that others are using stretches the estimate.
/// </remarks>
public sealed class TrainingProgress
{
    private readonly TrainingBudget _budget;
    private readonly List<PlannedEpochs> _plan;
    private readonly Dictionary<string, int> _done = new();
    private readonly HashSet<(string Run, int Epoch)> _seen = [];
    private readonly TimeProvider _clock;
    private readonly LiveOutput? _output;
    private readonly long _started;
    private readonly bool _show;
    private long _last;
    private TimeSpan _plannedMeasured, _measured;
    private int _trained;

    private TrainingProgress(TrainingBudget budget, IEnumerable<PlannedEpochs> plan, TimeProvider? clock, bool show)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(plan);
        _budget = budget;
        _plan = [.. plan];
        foreach (var work in _plan) budget.Of(work); // an unknown model fails here, not in the middle of training
        _clock = clock ?? TimeProvider.System;
        _started = _last = _clock.GetTimestamp();
        Planned = budget.Of(_plan);
        Status = $"planned: {TrainingBudget.About(Planned)}";
        _show = show;
        if (show && NotebookKernel.IsRunningCell) _output = LiveOutput.ShowHtml(Html(Status));
    }

    /// <summary>Shows the progress line of a cell that trains <paramref name="plan"/> (in a notebook cell: a new output; in
    /// an app: nothing until the first run starts).</summary>
    public static TrainingProgress Show(TrainingBudget budget, IEnumerable<PlannedEpochs> plan) => new(budget, plan, null, show: true);

    /// <summary>Progress that shows nothing, on a clock of one's own (for tests).</summary>
    public static TrainingProgress Hidden(TrainingBudget budget, IEnumerable<PlannedEpochs> plan, TimeProvider clock) =>
        new(budget, plan, clock, show: false);

    /// <summary>The time the plan was estimated at.</summary>
    public TimeSpan Planned { get; }

    /// <summary>The line as it is now, such as <c>GRU, lr 0.004: epoch 1 of 2 done, about 1 min 30 s left</c>.</summary>
    public string Status { get; private set; }

    /// <summary>Epochs trained so far (not those read back from a run checkpoint).</summary>
    public int EpochsTrained => _trained;

    /// <summary>How much longer the planned epochs not yet done should take, at the speed measured so far.</summary>
    public TimeSpan Left
    {
        get
        {
            var left = TimeSpan.Zero;
            var done = new Dictionary<string, int>(_done);
            foreach (var work in _plan)
            {
                var used = Math.Min(work.Epochs, done.GetValueOrDefault(work.Model));
                done[work.Model] = done.GetValueOrDefault(work.Model) - used;
                left += _budget.Of(work with { Epochs = work.Epochs - used });
            }
            return left * Pace;
        }
    }

    /// <summary>The time since the progress line was shown.</summary>
    public TimeSpan Elapsed => _clock.GetElapsedTime(_started);

    // Measured time over planned time of the epochs trained so far (1 before the first).
    private double Pace => _plannedMeasured > TimeSpan.Zero ? _measured / _plannedMeasured : 1;

    /// <summary>Says that the run <paramref name="run"/> of <paramref name="model"/> starts (or continues).</summary>
    public void Start(string model, string run)
    {
        _last = _clock.GetTimestamp();
        Update($"{run}: training, {TrainingBudget.About(Left)} left");
    }

    /// <summary>Counts one epoch of the run <paramref name="run"/> of <paramref name="model"/>.</summary>
    public void Add(string model, string run, EpochReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var now = _clock.GetTimestamp();
        if (_seen.Add((run, report.Epoch)))
        {
            _done[model] = _done.GetValueOrDefault(model) + 1;
            var plannedEpoch = _plan.FirstOrDefault(w => w.Model == model) is { } work
                ? _budget.Epoch(work.Model, work.Tokens, work.ValidationTokens)
                : TimeSpan.Zero;
            if (!report.FromRunCheckpoint && plannedEpoch > TimeSpan.Zero)
            {
                _trained++;
                _plannedMeasured += plannedEpoch;
                _measured += _clock.GetElapsedTime(_last, now);
            }
        }
        _last = now;
        var what = report.FromRunCheckpoint ? "read back from its run checkpoint" : "done";
        Update($"{run}: epoch {report.Epoch} of {report.NumEpochs} {what}, {TrainingBudget.About(Left)} left");
    }

    /// <summary>
    /// Closes the line: <c>done: 8 epochs trained in 2 min 50 s (planned: about 2 min 40 s)</c>; in an app the line is
    /// printed.
    /// </summary>
    public string Finish()
    {
        var text = $"done: {_trained} epoch{(_trained == 1 ? "" : "s")} trained in {TrainingBudget.Describe(Elapsed)} " +
                   $"(planned: {TrainingBudget.About(Planned)})";
        Status = text;
        if (_output is not null) _output.UpdateHtml(Html(text));
        else if (_show)
        {
            TerminalStatus.Show(null);
            Console.WriteLine(text);
        }
        return text;
    }

    /// <summary>
    /// Ends the cell after a run stopped on request (the notebook's stop button, Ctrl+C): in a notebook it throws an
    /// <see cref="OperationCanceledException"/> with <paramref name="message"/>; in an app it prints it and ends the
    /// program (exit code 130, as after Ctrl+C).
    /// </summary>
    public static void Stop(string message)
    {
        if (NotebookKernel.IsRunningCell) throw new OperationCanceledException(message);
        TerminalStatus.Show(null);
        Console.Error.WriteLine(message);
        Environment.Exit(130);
    }

    private void Update(string text)
    {
        Status = text;
        if (_output is not null) _output.UpdateHtml(Html(text));
        else if (_show) TerminalStatus.Show(text);
    }

    private static string Html(string text) =>
        $"<div style=\"font-family: monospace; margin: 4px 0\">{WebUtility.HtmlEncode(text)}</div>";
}

using D2L.Rnn;

namespace D2L.Rnn.Notebooks;

/// <summary>
/// Training progress for a terminal: a one-line bar redrawn in place after every epoch, and the lecture's
/// <c>epoch N, perplexity P, time T sec</c> lines with predictions on prediction epochs. When the output is
/// redirected (a log, CI) only the lines are written.
/// </summary>
public sealed class TerminalProgress(TextWriter? output = null, int barWidth = 30)
{
    private readonly TextWriter _out = output ?? Console.Out;
    private readonly bool _interactive = output is null && !Console.IsOutputRedirected;

    /// <summary>Pass this as the training callback.</summary>
    public void Report(EpochReport report)
    {
        if (report.Predictions.Count > 0)
        {
            if (_interactive) _out.Write("\r" + new string(' ', barWidth + 40) + "\r");
            _out.WriteLine(report);
            foreach (var text in report.Predictions.Values) _out.WriteLine($" - {text}");
        }
        if (!_interactive) return;
        var done = (int)Math.Round(barWidth * (double)report.Epoch / report.NumEpochs);
        _out.Write($"\r[{new string('#', done)}{new string('.', barWidth - done)}] {report.Epoch}/{report.NumEpochs} perplexity {report.Perplexity:F2}");
        if (report.Epoch == report.NumEpochs) _out.WriteLine();
    }
}

using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Client;

namespace D2L.Rnn.SkipSummary;

/// <summary>
/// Prints one line per skipped test (its name and the skip reason) as it is skipped, and when the run of a test
/// assembly completes, the skipped tests counted by reason. Prints nothing when nothing was skipped.
/// </summary>
[FriendlyName(FriendlyName)]
[ExtensionUri("logger://d2l-rnn/skip-summary")]
public sealed class SkipSummaryLogger : ITestLogger
{
    public const string FriendlyName = "skip-summary";

    private readonly List<(string Test, string Reason)> _skipped = [];

    public void Initialize(TestLoggerEvents events, string testRunDirectory)
    {
        events.TestResult += (_, e) =>
        {
            if (e.Result.Outcome != TestOutcome.Skipped) return;
            var reason = string.IsNullOrWhiteSpace(e.Result.ErrorMessage) ? "(no reason given)" : e.Result.ErrorMessage.Trim();
            lock (_skipped) _skipped.Add((e.Result.TestCase.DisplayName, reason));
            Console.WriteLine($"  Skipped {e.Result.TestCase.DisplayName}: {reason}");
        };
        events.TestRunComplete += (_, e) =>
        {
            lock (_skipped)
            {
                if (_skipped.Count == 0) return;
                Console.WriteLine();
                Console.WriteLine($"Skipped {_skipped.Count} of {e.TestRunStatistics?.ExecutedTests ?? _skipped.Count} tests, by reason:");
                foreach (var group in _skipped.GroupBy(s => s.Reason).OrderByDescending(g => g.Count()))
                    Console.WriteLine($"  {group.Count(),3} × {group.Key}");
            }
        };
    }
}

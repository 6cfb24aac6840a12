using Xunit;

namespace D2L.Rnn.TestSupport;

/// <summary>
/// A theory that trains for half an hour or more per case: it runs when <c>D2L_LONG_RUNS=1</c> and is skipped otherwise,
/// with the reason and the command in the skip summary (CI, whose whole budget is 90 minutes, checks these runs through
/// their committed notebooks instead).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class LongRunTheoryAttribute : TheoryAttribute
{
    public const string Variable = "D2L_LONG_RUNS";

    public LongRunTheoryAttribute(string cost)
    {
        if (!ContinuousIntegration.IsSet(Environment.GetEnvironmentVariable(Variable)))
            Skip = $"{cost}: run with {Variable}=1 (D2L_SEEDS=0,1,2 for several seeds)";
    }
}

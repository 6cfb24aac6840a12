namespace D2L.Rnn.TestSupport;

/// <summary>Whether this run is CI's: <c>CI</c> set to anything but <c>false</c> or <c>0</c> (CI services set <c>CI=true</c>;
/// <c>.ci/run</c> sets it too). There a test that needs a missing program fails instead of being skipped.</summary>
public static class ContinuousIntegration
{
    public static bool IsOn => IsSet(Environment.GetEnvironmentVariable("CI"));

    public static bool IsSet(string? value) =>
        !string.IsNullOrWhiteSpace(value) && !value.Trim().Equals("false", StringComparison.OrdinalIgnoreCase) && value.Trim() != "0";
}

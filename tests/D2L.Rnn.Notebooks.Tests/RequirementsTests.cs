using Xunit.Sdk;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>The traits and skips of tests that need a program from outside .NET (<see cref="RequiresFactAttribute"/>).</summary>
public class RequirementsTests
{
    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("1", true)]
    [InlineData("yes", true)]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    public void CiIsOnWhenTheVariableIsSetToAnythingButFalse(string? value, bool on) =>
        Assert.Equal(on, ContinuousIntegration.IsSet(value));

    [Fact]
    public void EveryToolIsATraitAndDebiansPyTorchCountsAsPyTorch()
    {
        Assert.Equal([new("Requires", "Jupyter"), new("Requires", "Chromium")],
            Traits(typeof(JupyterTests), nameof(JupyterTests.TheHtmlExportDrawsTheChartInABrowser)));
        Assert.Equal([new("Requires", "PyTorch")],
            Traits(typeof(BenchPeerTests), nameof(BenchPeerTests.ThePeerProcessReportsTheBlasTheLoaderChoseAndTheForcedReference)));
    }

    // What xunit's discovery gives for the method's RequiresFact attribute.
    private static List<KeyValuePair<string, string>> Traits(Type type, string method) =>
        new RequiresTraitDiscoverer().GetTraits(Reflector.Wrap(type.GetMethod(method)!.GetCustomAttributesData()
            .Single(a => a.AttributeType == typeof(RequiresFactAttribute)))).ToList();

    [Fact]
    public void OutsideCiAMissingProgramSkipsWithItsLineAndUnderCiNothingSkips()
    {
        Tool[] tools = [Tool.Chromium, Tool.Jupyter, Tool.PyTorch];
        var before = Environment.GetEnvironmentVariable("CI");
        try
        {
            Environment.SetEnvironmentVariable("CI", null);
            var missing = tools.Select(SystemTool.For).Where(t => t.Missing is not null).ToList();
            var reason = SystemTool.SkipReason(tools);
            Assert.Equal(missing.Count == 0 ? null : string.Join(" | ", missing.Select(t => t.MissingLine)), reason);
            Assert.All(missing, t => Assert.Matches($"^needs {t.Tool}: .+; install: .+", t.MissingLine));

            Environment.SetEnvironmentVariable("CI", "true");
            Assert.Null(SystemTool.SkipReason(tools));
            Assert.All(missing, t => Assert.Contains("CI is set", Assert.Throws<InvalidOperationException>(() => t.Require()).Message));
        }
        finally
        {
            Environment.SetEnvironmentVariable("CI", before);
        }
    }
}

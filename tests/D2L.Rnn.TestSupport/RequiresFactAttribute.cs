using Xunit;
using Xunit.Sdk;

namespace D2L.Rnn.TestSupport;

/// <summary>
/// A fact that needs programs from outside .NET: it carries the trait <c>Requires=&lt;tool&gt;</c> for each (so
/// <c>--filter "Requires=Chromium"</c> selects it), and outside CI it is skipped, with one line naming the missing
/// program and the command that installs it, where one is missing. Under <c>CI=true</c> it runs, and fails.
/// </summary>
[TraitDiscoverer(RequiresTraitDiscoverer.TypeName, RequiresTraitDiscoverer.AssemblyName)]
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresFactAttribute : FactAttribute, ITraitAttribute
{
    public RequiresFactAttribute(params Tool[] tools)
    {
        Tools = tools;
        Skip = SystemTool.SkipReason(tools)!;
    }

    /// <summary>The programs the test needs.</summary>
    public Tool[] Tools { get; }
}

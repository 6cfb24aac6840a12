using Xunit;
using Xunit.Sdk;

namespace D2L.Rnn.TestSupport;

/// <summary>A theory that needs programs from outside .NET: the traits and the skip of <see cref="RequiresFactAttribute"/>.</summary>
[TraitDiscoverer(RequiresTraitDiscoverer.TypeName, RequiresTraitDiscoverer.AssemblyName)]
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresTheoryAttribute : TheoryAttribute, ITraitAttribute
{
    public RequiresTheoryAttribute(params Tool[] tools)
    {
        Tools = tools;
        Skip = SystemTool.SkipReason(tools)!;
    }

    /// <summary>The programs the test needs.</summary>
    public Tool[] Tools { get; }
}

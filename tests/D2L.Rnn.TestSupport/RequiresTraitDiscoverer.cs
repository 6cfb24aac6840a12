using Xunit.Abstractions;
using Xunit.Sdk;

namespace D2L.Rnn.TestSupport;

/// <summary>The traits of <see cref="RequiresFactAttribute"/> and <see cref="RequiresTheoryAttribute"/>: <c>Requires=&lt;tool&gt;</c> for each tool.</summary>
public sealed class RequiresTraitDiscoverer : ITraitDiscoverer
{
    public const string TypeName = "D2L.Rnn.TestSupport." + nameof(RequiresTraitDiscoverer);
    public const string AssemblyName = "D2L.Rnn.TestSupport";
    public const string Trait = "Requires";

    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute) =>
        (traitAttribute.GetNamedArgument<Tool[]>("Tools") ?? [])
        .Select(SystemTool.TraitValue).Distinct().Select(value => new KeyValuePair<string, string>(Trait, value));
}

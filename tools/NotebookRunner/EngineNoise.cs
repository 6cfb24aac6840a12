namespace NotebookRunner;

/// <summary>
/// Outputs the engine adds on its own that say nothing about the notebook and only leak the machine's paths,
/// such as "Loading extensions from `/home/.../.nuget/packages/...`" after a package is loaded.
/// </summary>
public static class EngineNoise
{
    public static bool IsNoise(CellOutput output) =>
        output.Kind == "display"
        && output.Data.Keys.All(k => k == "text/plain")
        && output.Plain.StartsWith("Loading extensions from ", StringComparison.Ordinal);
}

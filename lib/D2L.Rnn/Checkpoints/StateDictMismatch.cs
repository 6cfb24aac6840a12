namespace D2L.Rnn;

/// <summary>
/// How a state dict read from a file differs from a model's, by name and shape: entries the model has and the file
/// lacks, entries the file has and the model lacks, and entries present in both with different shapes.
/// </summary>
internal sealed record StateDictMismatch(
    IReadOnlyList<(string Name, long[] ModelShape)> Missing,
    IReadOnlyList<(string Name, long[] FileShape)> Extra,
    IReadOnlyList<(string Name, long[] FileShape, long[] ModelShape)> MisShaped)
{
    /// <summary>Compares the file's shapes with the model's; the lists keep the model's order (extra entries by name).</summary>
    public static StateDictMismatch Between(IReadOnlyDictionary<string, long[]> file, IReadOnlyDictionary<string, long[]> model) => new(
        model.Where(m => !file.ContainsKey(m.Key)).Select(m => (m.Key, m.Value)).ToList(),
        file.Where(f => !model.ContainsKey(f.Key)).OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => (f.Key, f.Value)).ToList(),
        model.Where(m => file.TryGetValue(m.Key, out var shape) && !shape.SequenceEqual(m.Value))
            .Select(m => (m.Key, file[m.Key], m.Value)).ToList());

    /// <summary>Whether names and shapes agree exactly.</summary>
    public bool IsEmpty => Missing.Count == 0 && Extra.Count == 0 && MisShaped.Count == 0;

    /// <summary>One line per kind of difference, each entry with its shapes, e.g.
    /// <c>mis-shaped: rnn.weight_ih_l0 (file [96, 28], model [128, 28])</c>.</summary>
    public string Describe()
    {
        var lines = new List<string>();
        if (Missing.Count > 0)
            lines.Add("missing from the file: " + string.Join(", ", Missing.Select(m => $"{m.Name} (model {Shape(m.ModelShape)})")));
        if (Extra.Count > 0)
            lines.Add("not in the model: " + string.Join(", ", Extra.Select(e => $"{e.Name} (file {Shape(e.FileShape)})")));
        if (MisShaped.Count > 0)
            lines.Add("mis-shaped: " + string.Join(", ",
                MisShaped.Select(s => $"{s.Name} (file {Shape(s.FileShape)}, model {Shape(s.ModelShape)})")));
        return string.Join(Environment.NewLine, lines);
    }

    private static string Shape(long[] shape) => $"[{string.Join(", ", shape)}]";
}

using D2L.Rnn;

namespace D2L.Rnn.Notebooks;

/// <summary>
/// One line of a perplexity chart. Every model gets a training line (solid) and, when its epochs were validated, a
/// validation line (dashed) of the same colour in the same legend group. Both the Plotly.NET chart
/// (<see cref="PerplexityChart"/>) and the live chart's data (<see cref="ChartHtmlTemplate"/>) are drawn from these.
/// </summary>
internal sealed record PerplexityLine(string Name, IReadOnlyList<int> Epochs, IReadOnlyList<double> Perplexities,
    string Color, bool Dashed, bool ShowLegend, string LegendGroup)
{
    /// <summary>Whether any epoch of any curve has a validation perplexity.</summary>
    public static bool AnyValidation(IReadOnlyDictionary<string, IEnumerable<EpochReport>> curves) =>
        curves.Values.Any(c => c.Any(e => e.ValidationPerplexity is not null));

    /// <summary>The lines of <paramref name="curves"/> (model name → its epochs), in the order of the models.</summary>
    public static List<PerplexityLine> Of(IReadOnlyDictionary<string, IEnumerable<EpochReport>> curves)
    {
        ArgumentNullException.ThrowIfNull(curves);
        var models = curves.Select(c => (Name: c.Key, Epochs: c.Value as IReadOnlyList<EpochReport> ?? c.Value.ToList())).ToList();
        var lines = new List<PerplexityLine>();
        foreach (var ((name, epochs), index) in models.Select((m, i) => (m, i)))
        {
            var color = ChartStyle.Palette[index % ChartStyle.Palette.Count];
            // One model: the legend names what the lines are; several: which model, and the validation line says so.
            var single = models.Count == 1;
            lines.Add(new PerplexityLine(single ? "training" : name, epochs.Select(e => e.Epoch).ToList(),
                epochs.Select(e => e.Perplexity).ToList(), color, Dashed: false, ShowLegend: false, name));
            var validated = epochs.Where(e => e.ValidationPerplexity is not null).ToList();
            if (validated.Count > 0)
                lines.Add(new PerplexityLine(single ? "validation" : $"{name}, validation", validated.Select(e => e.Epoch).ToList(),
                    validated.Select(e => e.ValidationPerplexity!.Value).ToList(), color, Dashed: true, ShowLegend: false, name));
        }
        // A legend only when there is more than one line to tell apart.
        return lines.Count > 1 ? lines.Select(l => l with { ShowLegend = true }).ToList() : lines;
    }
}

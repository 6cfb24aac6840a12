using System.Globalization;
using Plotly.NET;
using static TorchSharp.torch;
using Chart = Plotly.NET.CSharp.Chart;

namespace D2L.Rnn.Notebooks;

/// <summary>
/// What the hidden state learned: the activations of a few hidden units over a passage of text, one row per unit,
/// each character in a cell coloured by the unit's value after reading it (the classic picture of character-level
/// RNNs). The states come from <see cref="HiddenStates.Of(RNNModel, Vocab, string)"/>.
/// </summary>
public static class HiddenStateChart
{
    /// <summary>The chart's title.</summary>
    public const string Title = "What the hidden state learned: the most variable units, character by character";

    /// <summary>The x-axis title: each column is the state after reading that character.</summary>
    public const string XAxis = "position in the passage (characters; each cell: the state after reading it)";

    /// <summary>The colours from the lowest to the highest activation on the chart.</summary>
    public static IReadOnlyList<string> ColorScale { get; } = ["#ffffff", ChartStyle.Palette[0]];

    /// <summary>
    /// The rule the chart's units are chosen by: the <paramref name="count"/> units whose activation varies most over
    /// the passage (largest standard deviation over its steps), most variable first; ties go to the lower index.
    /// </summary>
    /// <param name="states">Hidden states shaped (steps, hiddens).</param>
    /// <param name="count">How many units.</param>
    public static int[] MostVariableUnits(Tensor states, int count)
    {
        var (steps, hiddens) = Validated(states);
        if (count < 1 || count > hiddens)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Choose between 1 and the {hiddens} hidden units.");
        var values = Values(states);
        var spread = Enumerable.Range(0, hiddens).Select(u =>
        {
            var column = Enumerable.Range(0, steps).Select(t => (double)values[t * hiddens + u]).ToArray();
            var mean = column.Average();
            return Math.Sqrt(column.Sum(v => (v - mean) * (v - mean)) / steps);
        }).ToArray();
        return Enumerable.Range(0, hiddens).OrderByDescending(u => spread[u]).ThenBy(u => u).Take(count).ToArray();
    }

    /// <summary>
    /// The chart of <paramref name="units"/> (top row first) over <paramref name="text"/>, whose every character is one
    /// step of <paramref name="states"/> (steps, hiddens). Each row is coloured on its unit's own range over the
    /// passage (lowest white, highest blue), which its label gives: after training a few large values would otherwise
    /// leave every other row pale. Hovering shows the activation itself.
    /// </summary>
    public static GenericChart Create(string text, Tensor states, IReadOnlyList<int> units)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(units);
        var (steps, hiddens) = Validated(states);
        if (text.Length != steps)
            throw new ArgumentException($"The text has {text.Length} characters but the states have {steps} steps: one state per character.", nameof(text));
        if (units.Count == 0) throw new ArgumentException("Choose at least one unit.", nameof(units));
        if (units.FirstOrDefault(u => u < 0 || u >= hiddens, -1) is var bad and not -1)
            throw new ArgumentOutOfRangeException(nameof(units), bad, $"Unit {bad} is not one of the {hiddens} hidden units.");

        var values = Values(states);
        var rows = units.Select(u => Enumerable.Range(0, steps).Select(t => (double)values[t * hiddens + u]).ToArray()).ToArray();
        var characters = text.Select(c => c.ToString()).ToArray();
        var chart = Chart.Heatmap<double, int, string, string>(
            zData: rows.Select(ShareOfRange).ToArray(),
            X: Enumerable.Range(0, steps).ToArray(),
            Y: units.Zip(rows, (u, row) => string.Create(CultureInfo.InvariantCulture, $"unit {u} ({row.Min():0.##} to {row.Max():0.##})")).ToArray());
        // Each cell shows its character (one row of text per unit); hovering, the activation after reading it.
        var trace = GenericChart.getTraces(chart).Single();
        trace.SetProperty("text", units.Select(_ => characters).ToArray());
        trace.SetProperty("texttemplate", "%{text}");
        trace.SetProperty("textfont", new Dictionary<string, object> { ["family"] = "monospace", ["size"] = 14 });
        trace.SetProperty("zmin", 0);
        trace.SetProperty("zmax", 1);
        trace.SetProperty("customdata", rows);
        trace.SetProperty("hovertemplate", "%{y}<br>after '%{text}': %{customdata:.3f}<extra></extra>");
        trace.SetProperty("colorscale", ColorScale.Select((c, i) => new object[] { (double)i / (ColorScale.Count - 1), c }).ToArray());
        trace.SetProperty("colorbar", new Dictionary<string, object>
        {
            ["title"] = new Dictionary<string, object> { ["text"] = "activation" },
            ["tickvals"] = new[] { 0, 1 },
            ["ticktext"] = new[] { "unit's lowest", "unit's highest" },
        });
        trace.SetProperty("xgap", 1);
        trace.SetProperty("ygap", 3);
        // The most variable unit on top.
        return ChartStyle.Titled(chart, Title, XAxis, "hidden unit (its range on the passage)", width: Math.Max(720, 280 + 12 * steps),
            height: 150 + 46 * units.Count,
            xAxis: new Dictionary<string, object> { ["dtick"] = 10 }, yAxis: new Dictionary<string, object> { ["autorange"] = "reversed" });
    }

    /// <summary>Each value as a share of the row's range: 0 at its lowest, 1 at its highest (0 everywhere when it never changes).</summary>
    private static double[] ShareOfRange(double[] row)
    {
        var (low, high) = (row.Min(), row.Max());
        return row.Select(v => high > low ? (v - low) / (high - low) : 0).ToArray();
    }

    /// <summary>Shows <see cref="Create"/> as an output of the running cell (plotly.js through require.js).</summary>
    public static void Show(string text, Tensor states, IReadOnlyList<int> units) =>
        ChartStyle.Show(Create(text, states, units));

    private static (int Steps, int Hiddens) Validated(Tensor states)
    {
        ArgumentNullException.ThrowIfNull(states);
        if (states.dim() != 2 || states.shape[0] == 0)
            throw new ArgumentException($"The states must be shaped (steps, hiddens), as HiddenStates.Of gives them; got ({string.Join(", ", states.shape)}).", nameof(states));
        return ((int)states.shape[0], (int)states.shape[1]);
    }

    private static float[] Values(Tensor states)
    {
        using var scope = NewDisposeScope();
        return states.detach().cpu().to(float32).contiguous().data<float>().ToArray();
    }
}

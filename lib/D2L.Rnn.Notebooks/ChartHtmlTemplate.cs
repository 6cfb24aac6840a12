using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using D2L.Rnn;

namespace D2L.Rnn.Notebooks;

/// <summary>
/// The notebook HTML of a chart, generated once by Plotly.NET and then filled with new data: how the live perplexity
/// chart redraws.
/// </summary>
/// <remarks>
/// Generating a chart's HTML through Plotly.NET took about 0.33 s per call in the notebook engine (measured with
/// 200 epochs of data; building the chart itself took 7 ms and publishing the output 1 ms). The layout never
/// changes while a chart is live, so only the data is written on each redraw, in the shape Plotly.NET gives a
/// line trace; every render gets a fresh element id, as Plotly.NET's own output does.
/// </remarks>
internal sealed partial class ChartHtmlTemplate
{
    private const string IdMarker = "[D2L_CHART_ID]";
    private const string ScriptIdMarker = "[D2L_CHART_SCRIPT_ID]";
    private const string DataMarker = "[D2L_CHART_DATA]";

    // The layout differs only in the title: training lines alone, or training and validation lines.
    private static readonly Lazy<ChartHtmlTemplate> LazyTraining = new(() => PerplexityTemplate(validated: false));
    private static readonly Lazy<ChartHtmlTemplate> LazyValidated = new(() => PerplexityTemplate(validated: true));

    private readonly string _template;

    private ChartHtmlTemplate(string template) => _template = template;

    /// <summary>Makes both templates of <see cref="PerplexityChart"/>'s notebook HTML now (once per process) instead of at the first redraw.</summary>
    public static void Prepare() => _ = (LazyTraining.Value, LazyValidated.Value);

    /// <summary>
    /// <see cref="PerplexityChart.ToNotebookHtml"/> of <see cref="PerplexityChart.Create(IReadOnlyDictionary{string, IEnumerable{EpochReport}})"/>
    /// for these curves, from a template: the same HTML at a small fraction of the cost.
    /// </summary>
    public static string Perplexity(IReadOnlyDictionary<string, IEnumerable<EpochReport>> curves)
    {
        ArgumentNullException.ThrowIfNull(curves);
        var template = PerplexityLine.AnyValidation(curves) ? LazyValidated.Value : LazyTraining.Value;
        return template.Render(TracesJson(curves));
    }

    private static ChartHtmlTemplate PerplexityTemplate(bool validated)
    {
        var epoch = new EpochReport(1, 1, 1, 0, 0, new Dictionary<string, string>()) { ValidationPerplexity = validated ? 1 : null };
        return FromChartHtml(PerplexityChart.ToNotebookHtml(PerplexityChart.Create([epoch])));
    }

    /// <summary>Turns the notebook HTML of one chart into a template: its element id and its data become blanks.</summary>
    public static ChartHtmlTemplate FromChartHtml(string html)
    {
        var id = ElementId().Match(html);
        if (!id.Success) throw new FormatException("No chart element id in the chart HTML.");
        var data = DataLine().Matches(html);
        if (data.Count != 1) throw new FormatException($"Expected one 'var data = ...;' line in the chart HTML, found {data.Count}.");
        var guid = id.Groups[1].Value;
        var template = html[..data[0].Groups[1].Index] + DataMarker + html[(data[0].Groups[1].Index + data[0].Groups[1].Length)..];
        return new ChartHtmlTemplate(template.Replace(guid, IdMarker).Replace(guid.Replace("-", ""), ScriptIdMarker));
    }

    /// <summary>The chart HTML with <paramref name="tracesJson"/> (plotly's array of traces) as its data, under a new element id.</summary>
    public string Render(string tracesJson)
    {
        var guid = Guid.NewGuid().ToString();
        return _template.Replace(DataMarker, tracesJson).Replace(ScriptIdMarker, guid.Replace("-", "")).Replace(IdMarker, guid);
    }

    /// <summary>Plotly.NET's JSON for the line traces of <see cref="PerplexityChart.Create(IReadOnlyDictionary{string, IEnumerable{EpochReport}})"/>.</summary>
    public static string TracesJson(IReadOnlyDictionary<string, IEnumerable<EpochReport>> curves)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var line in PerplexityLine.Of(curves))
            {
                json.WriteStartObject();
                json.WriteString("type", "scatter");
                json.WriteString("name", line.Name);
                json.WriteBoolean("showlegend", line.ShowLegend);
                json.WriteString("mode", line.Epochs.Count <= PerplexityChart.MarkedEpochs ? "lines+markers" : "lines");
                json.WriteStartArray("x");
                foreach (var epoch in line.Epochs) json.WriteNumberValue(epoch);
                json.WriteEndArray();
                json.WriteStartArray("y");
                foreach (var p in line.Perplexities)
                    if (double.IsFinite(p)) json.WriteNumberValue(p);
                    else json.WriteNullValue(); // JSON has no NaN; plotly leaves a gap
                json.WriteEndArray();
                json.WriteStartObject("marker");
                json.WriteEndObject();
                json.WriteStartObject("line");
                json.WriteString("color", ChartStyle.Rgba(line.Color));
                if (line.Dashed) json.WriteString("dash", "dash");
                json.WriteEndObject();
                json.WriteString("legendgroup", line.LegendGroup);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    [GeneratedRegex("<div id=\"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\"")]
    private static partial Regex ElementId();

    // The data is written on one line: JSON strings cannot hold a raw line break.
    [GeneratedRegex(@"var data = (.*);\r?$", RegexOptions.Multiline)]
    private static partial Regex DataLine();
}

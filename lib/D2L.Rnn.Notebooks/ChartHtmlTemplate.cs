using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using D2L.Rnn;

namespace D2L.Rnn.Notebooks;

/// <summary>
/// The notebook HTML of a perplexity chart, generated once by Plotly.NET and then filled with new data.
/// </summary>
/// <remarks>
/// Generating a chart's HTML through Plotly.NET took about 0.33 s per call in the notebook engine (measured with
/// 200 epochs of data; building the chart itself took 7 ms and publishing the output 1 ms). The layout never
/// changes while a chart is live, so only the data is written on each redraw, in the shape Plotly.NET gives a
/// line trace; every render gets a fresh element id, as Plotly.NET's own output does.
/// </remarks>
public sealed partial class ChartHtmlTemplate
{
    private const string IdMarker = "[D2L_CHART_ID]";
    private const string ScriptIdMarker = "[D2L_CHART_SCRIPT_ID]";
    private const string DataMarker = "[D2L_CHART_DATA]";
    private static readonly Lazy<ChartHtmlTemplate> LazyPerplexity = new(() => FromChartHtml(PerplexityChart.ToNotebookHtml(
        PerplexityChart.Create(new Dictionary<string, IEnumerable<EpochReport>> { ["train"] = [] }))));

    private readonly string _template;

    private ChartHtmlTemplate(string template) => _template = template;

    /// <summary>The template of <see cref="PerplexityChart"/>'s notebook HTML (made once per process).</summary>
    public static ChartHtmlTemplate Perplexity => LazyPerplexity.Value;

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

    /// <summary>The chart HTML with one line per curve, under a new element id.</summary>
    public string Render(IReadOnlyDictionary<string, IEnumerable<EpochReport>> curves)
    {
        var guid = Guid.NewGuid().ToString();
        return _template.Replace(DataMarker, TracesJson(curves)).Replace(ScriptIdMarker, guid.Replace("-", "")).Replace(IdMarker, guid);
    }

    /// <summary>Plotly.NET's JSON for the line traces of <see cref="PerplexityChart.Create(IReadOnlyDictionary{string, IEnumerable{EpochReport}})"/>.</summary>
    public static string TracesJson(IReadOnlyDictionary<string, IEnumerable<EpochReport>> curves)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var (name, epochs) in curves)
            {
                var points = epochs as IReadOnlyCollection<EpochReport> ?? epochs.ToList();
                json.WriteStartObject();
                json.WriteString("type", "scatter");
                json.WriteString("name", name);
                json.WriteBoolean("showlegend", curves.Count > 1);
                json.WriteString("mode", "lines");
                json.WriteStartArray("x");
                foreach (var e in points) json.WriteNumberValue(e.Epoch);
                json.WriteEndArray();
                json.WriteStartArray("y");
                foreach (var e in points)
                    if (double.IsFinite(e.Perplexity)) json.WriteNumberValue(e.Perplexity);
                    else json.WriteNullValue(); // JSON has no NaN; plotly leaves a gap
                json.WriteEndArray();
                json.WriteStartObject("marker");
                json.WriteEndObject();
                json.WriteStartObject("line");
                json.WriteEndObject();
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

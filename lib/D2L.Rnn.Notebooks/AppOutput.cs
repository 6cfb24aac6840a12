using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Plotly.NET;

namespace D2L.Rnn.Notebooks;

/// <summary>
/// What the notebook helpers do outside a notebook cell, in a file-based app such as <c>dotnet run notebooks/X.cs</c>:
/// a chart that a cell would show is written as a standalone HTML file (plotly.js embedded, opens offline) and its
/// path printed, and Ctrl+C stops training the way a notebook's stop button does.
/// </summary>
internal static partial class AppOutput
{
    private static readonly Dictionary<string, int> Taken = new();
    private static readonly Lazy<CancellationTokenSource> Stop = new(StopOnCtrlC);

    /// <summary>
    /// The program's name, which starts the name of each chart file: a file-based app's file name without <c>.cs</c>
    /// (<c>rnn-gluon</c> for <c>notebooks/rnn-gluon.cs</c>), else the entry assembly's name.
    /// </summary>
    public static string ProgramName =>
        AppContext.GetData("EntryPointFilePath") is string { Length: > 0 } file ? Path.GetFileNameWithoutExtension(file)
            : System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name ?? "chart";

    /// <summary>
    /// A new file for a chart titled <paramref name="title"/>, under <see cref="NotebookSettings.OutputPath"/>:
    /// <c>{program}-{the title's words up to its first ':', ',' or '('}.html</c>, such as
    /// <c>rnn-gluon-why-clip.html</c>; a second chart of the same name in one run gets <c>-2</c>, and so on.
    /// </summary>
    public static string NewChartPath(string? title)
    {
        var words = Words().Matches((title ?? "chart").Split(':', ',', '(')[0].Replace("'", "").Replace("’", "").ToLowerInvariant())
            .Select(m => m.Value).ToList();
        var name = $"{ProgramName}-{(words.Count > 0 ? string.Join('-', words) : "chart")}";
        lock (Taken)
        {
            var n = Taken[name] = Taken.GetValueOrDefault(name) + 1;
            return NotebookSettings.OutputPath(n == 1 ? $"{name}.html" : $"{name}-{n}.html");
        }
    }

    /// <summary>
    /// Writes <paramref name="chart"/> as a standalone HTML file (to <paramref name="path"/>, or to a
    /// <see cref="NewChartPath"/> for its title), prints <c>chart written to …</c> unless told not to, and returns the path.
    /// </summary>
    public static string WriteChart(GenericChart chart, string? path = null, bool announce = true)
    {
        ArgumentNullException.ThrowIfNull(chart);
        path ??= NewChartPath(Title(chart));
        PerplexityChart.SaveStandaloneHtml(chart, path);
        if (announce) Console.WriteLine($"chart written to {Repository.Display(path)}");
        return path;
    }

    /// <summary>The chart's title (what <see cref="ChartStyle.Titled"/> set), or null.</summary>
    public static string? Title(GenericChart chart)
    {
        var layout = LayoutLine().Match(GenericChart.toChartHTML(chart));
        if (!layout.Success) return null;
        try { return (string?)JsonNode.Parse(layout.Groups[1].Value)?["title"]?["text"]; }
        catch (System.Text.Json.JsonException) { return null; }
    }

    /// <summary>Cancelled by the first Ctrl+C (the program goes on, and training stops at the next minibatch); a second ends the program.</summary>
    public static CancellationToken Cancellation => Stop.Value.Token;

    private static CancellationTokenSource StopOnCtrlC()
    {
        var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            if (stop.IsCancellationRequested) return;
            e.Cancel = true;
            stop.Cancel();
            Console.Error.WriteLine("Stopping after this minibatch (Ctrl+C again ends the program).");
        };
        return stop;
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Words();

    [GeneratedRegex(@"var layout = (.*);\r?$", RegexOptions.Multiline)]
    private static partial Regex LayoutLine();
}

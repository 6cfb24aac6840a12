using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NotebookRunner;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>
/// The outputs of the committed .ipynb files, as readers see them: the charts draw in a notebook front end, carry a
/// static image for previews that run no scripts (GitHub), and nothing names a folder of the machine that ran them.
/// Set D2L_CHECK_NOTEBOOKS_DIR to check regenerated notebooks in another folder before committing them.
/// </summary>
[Trait("Category", "Slow")]
public partial class CommittedOutputsTests
{
    public static string Folder =>
        Environment.GetEnvironmentVariable("D2L_CHECK_NOTEBOOKS_DIR") is { Length: > 0 } dir ? Path.GetFullPath(dir) : Repo.Notebooks;

    public static TheoryData<string> Notebooks() => new(Lessons.All.Select(l => l.Name + ".ipynb"));

    [RequiresTheory(Tool.Chromium)]
    [MemberData(nameof(Notebooks))]
    public async Task EveryChartOutputDrawsInANotebookFrontEnd(string name)
    {
        var charts = ChartOutputs(name);
        Assert.NotEmpty(charts);
        foreach (var chart in charts)
        {
            var html = Text(chart["text/html"]!);
            var shot = await FrontEnd.ShootAsync(html);
            var context = $"{name}: {StaticChartImage.Title(html) ?? "a chart without a title"}";
            FrontEnd.AssertDrawn(shot, ChartPixels.ColorOf(ChartJson.Parse(html)), context);
            // The interactive chart replaces the picture it carries: the reader does not see both.
            Assert.True(shot.StaticImagesShown == 0, $"{context}: the static image still shows beside the drawn chart");
        }
    }

    /// <summary>
    /// What GitHub's preview, nbviewer or an HTML export shows: the committed notebook rendered by
    /// <c>jupyter nbconvert --to html</c> (which, like them, picks text/html over image/png) and opened with scripts
    /// off. Every chart's element must show a drawn chart in its trace's colour.
    /// </summary>
    [RequiresTheory(Tool.Jupyter, Tool.Chromium)]
    [MemberData(nameof(Notebooks))]
    public async Task EveryChartShowsInTheHtmlExportWithScriptsOff(string name)
    {
        var charts = ChartOutputs(name).Select(c => Text(c["text/html"]!)).ToList();
        Assert.NotEmpty(charts);
        var folder = Repo.NewScratchFolder("static");
        try
        {
            var page = JupyterCommand.ToHtml(Path.Combine(Folder, name), folder);
            await using var browser = await OfflineChromium.LaunchAsync(SystemTool.Chromium.Require());
            var ids = charts.Select(h => ChartId().Match(h).Groups[1].Value).ToList();
            var pictures = await browser.ShootElementsWithoutScriptsAsync(page, ids.Select(id => $"[id='{id}']").ToList(), 1600, 1000);
            foreach (var (html, picture) in charts.Zip(pictures))
            {
                var context = $"{name}, scripts off: {StaticChartImage.Title(html) ?? "a chart without a title"}";
                Assert.True(picture is not null, $"{context}: the chart's element is empty (no size on the page)");
                ChartPixels.AssertShows(Png.Decode(picture), ChartPixels.ColorOf(ChartJson.Parse(html)), context);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void EveryChartOutputCarriesAStaticImageOfTheDrawnPlot(string name)
    {
        var charts = ChartOutputs(name);
        Assert.NotEmpty(charts);
        foreach (var chart in charts)
        {
            Assert.True(chart.ContainsKey("image/png"), $"{name}: a chart output without image/png beside its HTML (keys: {string.Join(", ", chart.Select(kv => kv.Key))})");
            var color = ChartPixels.ColorOf(ChartJson.Parse(Text(chart["text/html"]!)));
            ChartPixels.AssertShows(Png.Decode(Convert.FromBase64String(Text(chart["image/png"]!))), color, name);
        }
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void NoOutputNamesAFolderOfTheMachineThatRanIt(string name)
    {
        var found = new List<string>();
        foreach (var output in Outputs(name))
        foreach (var (field, text) in Texts(output))
        foreach (Match m in AbsolutePaths().Matches(text))
            found.Add($"{field}: …{text[Math.Max(0, m.Index - 40)..Math.Min(text.Length, m.Index + 60)]}…");
        foreach (var local in new[] { Repo.Root, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), Path.GetTempPath() }
                     .Where(p => p.Length > 1).Select(p => p.TrimEnd('/', '\\')))
        foreach (var output in Outputs(name))
        foreach (var (field, text) in Texts(output))
            if (text.Contains(local)) found.Add($"{field}: contains {local}");
        Assert.True(found.Count == 0, $"{name}:\n{string.Join("\n", found)}");
    }

    public static TheoryData<string> PublishedRuns() => new(Lessons.All.Where(l => l.Published.Length > 0).Select(l => l.Name));

    /// <summary>The committed run is the lesson's full run, and it follows the published one within 10%.</summary>
    [Theory]
    [MemberData(nameof(PublishedRuns))]
    public void TheCommittedRunFollowsThePublishedOne(string lesson)
    {
        var lines = Outputs(lesson + ".ipynb").Where(o => (string?)o["output_type"] == "stream")
            .SelectMany(o => Text(o["text"]!).Split('\n')).Select(l => l.TrimEnd('\r')).ToList();
        foreach (var against in Lessons.Named(lesson).Published) against.AssertFollowed(lines, lesson + ".ipynb");
    }

    [Fact]
    public void ThePublishedCheckFailsForARunThatLeftTheCurve()
    {
        var against = new Lesson.AgainstPublished(@"^published ([\d. /]+)$", @"^this run +([\d. /]+)$", [1, 2]);
        against.AssertFollowed(["published 2.00 / 1.50 / 1.20", "x", "this run  9.00 / 1.40 / 1.30"], "a run");
        Assert.ThrowsAny<Exception>(() => against.AssertFollowed(["published 2.00 / 1.50 / 1.20", "this run  2.00 / 1.70 / 1.20"], "a run"));
        Assert.ThrowsAny<Exception>(() => against.AssertFollowed(["published 2.00 / 1.50 / 1.20", "this run  2.00 / 1.50"], "a shortened run"));
        var twice = against with { AlsoPublishedLine = @"^again ([\d. /]+)$" };
        twice.AssertFollowed(["published 2.00 / 1.50 / 1.20", "again 1.00 / 1.00 / 1.00", "this run  2.00 / 1.05 / 1.25"], "a run");
        Assert.ThrowsAny<Exception>(() => twice.AssertFollowed(["published 2.00 / 1.50 / 1.20", "again 1.00 / 1.00 / 1.00", "this run  2.00 / 1.30 / 1.20"], "a run"));
    }

    [Fact]
    public void ThePathCheckCatchesThePathsOfThisMachine()
    {
        foreach (var text in new[] { "Using /work/shared/data/timemachine.txt", "chart written to /tmp/x/a.html", "from `/root/.nuget/packages/x`",
                                     "/home/ann/repo/notebooks", @"saved to C:\Users\ann\repo\a.ckpt", "at /Users/ann/repo" })
            Assert.Matches(AbsolutePaths(), text);
        foreach (var text in new[] { "../artifacts/models/rnn.ckpt", "https://cdn.plot.ly/plotly-2.28.0.min", "time traveller / the", "</div>" })
            Assert.DoesNotMatch(AbsolutePaths(), text);
    }

    [GeneratedRegex(@"Plotly\.newPlot\('([0-9a-f-]{36})'")]
    private static partial Regex ChartId();

    // Absolute paths under the usual roots of home, temporary and work folders, and Windows drive paths.
    [GeneratedRegex(@"(?<![\w.:/~-])/(?:home|root|tmp|work|Users|var/folders|mnt|opt|srv)/[\w.-]|\b[A-Za-z]:\\[\w.]")]
    private static partial Regex AbsolutePaths();

    private static List<JsonObject> Outputs(string name)
    {
        var notebook = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, name)))!;
        return notebook["cells"]!.AsArray().SelectMany(c => c!["outputs"]?.AsArray() ?? []).Select(o => o!.AsObject()).ToList();
    }

    private static List<JsonObject> ChartOutputs(string name) =>
        Outputs(name).Select(o => o["data"] as JsonObject).OfType<JsonObject>()
            .Where(d => d["text/html"] is { } html && Text(html).Contains("Plotly.newPlot")).ToList();

    /// <summary>Every text of an output but its images (base64 can spell anything).</summary>
    private static IEnumerable<(string Field, string Text)> Texts(JsonObject output)
    {
        foreach (var field in new[] { "text", "ename", "evalue", "traceback" })
            if (output[field] is { } value) yield return (field, Text(value));
        if (output["data"] is JsonObject data)
            foreach (var (mime, value) in data)
                if (!mime.StartsWith("image/") && value is not null) yield return (mime, Text(value));
    }

    /// <summary>A notebook string: one string, or an array of lines.</summary>
    private static string Text(JsonNode node) =>
        node is JsonArray lines ? string.Concat(lines.Select(l => (string?)l)) : (string?)node ?? "";
}

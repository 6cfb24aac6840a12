using System.Globalization;
using System.Text.RegularExpressions;
using NotebookRunner;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>
/// Every lesson's file-based app (<c>dotnet run notebooks/X.cs</c>, generated from its notebook), on the lesson's test
/// budget: it prints every line the notebook prints, with the same numbers, and writes the charts the notebook shows.
/// </summary>
[Trait("Category", "Slow")]
[Collection(LessonCollection.Name)]
public class LessonAppTests(LessonRuns runs)
{
    /// <summary>
    /// Every line the notebook printed in the engine, and every value it displayed, is among the app's lines, in the same
    /// order, with the same text (timings aside): both run TorchSharp on one thread, so their numbers are the same. The
    /// app prints more: the headings and the chart files.
    /// </summary>
    [Theory]
    [MemberData(nameof(Lessons.Names), MemberType = typeof(Lessons))]
    public async Task TheAppPrintsWhatTheNotebookPrints(string name)
    {
        var lesson = Lessons.Named(name);
        var notebook = await runs.Engine(lesson);
        var app = runs.App(lesson);
        Assert.True(app.Exit == 0, app.Printed);
        Assert.All(notebook.Results, c => Assert.True(c.Succeeded, c.Error));
        var appLines = app.Lines;
        var next = 0;
        foreach (var line in notebook.Lines)
        {
            var at = appLines.FindIndex(next, a => Agree(lesson, line, a));
            Assert.True(at >= 0, $"{name}: the app does not print the notebook's line\n  {line}\nafter its line {next}:\n  " +
                                 string.Join("\n  ", appLines.Skip(Math.Max(0, next - 1)).Take(12)));
            next = at + 1;
        }
        // Nothing is compared vacuously: the lines the lesson must print are among those compared, and the app prints them.
        lesson.AssertPrintsAndRanges(notebook.Lines, "in the engine");
        lesson.AssertPrintsAndRanges(appLines, "the app");
    }

    /// <summary>Each chart the notebook shows is a standalone page the app wrote (plotly.js inside, no network), with the same title.</summary>
    [Theory]
    [MemberData(nameof(Lessons.Names), MemberType = typeof(Lessons))]
    public void TheAppWritesTheChartsTheNotebookShows(string name)
    {
        var lesson = Lessons.Named(name);
        var app = runs.App(lesson);
        Assert.True(app.Exit == 0, app.Printed);
        var titles = new List<string?>();
        foreach (var file in app.ChartFiles.Distinct())
        {
            Assert.True(File.Exists(file), $"{name}: the app printed that it wrote {Path.GetFileName(file)}, which is not there");
            var html = File.ReadAllText(file);
            Assert.Contains("Plotly.newPlot", html);
            Assert.DoesNotMatch("<script[^>]*src=", html);
            titles.Add(StaticChartImage.Title(html));
        }
        foreach (var title in lesson.Charts.Distinct())
            Assert.True(titles.Count(t => t == title) >= lesson.Charts.Count(c => c == title),
                $"{name}: the app wrote no chart titled '{title}' (it wrote: {string.Join(", ", titles)})");
    }

    /// <summary>
    /// A lesson with random data lands within its ranges on several seeds, not only on the committed one, and the seed
    /// does change the data.
    /// </summary>
    [Theory]
    [MemberData(nameof(Lessons.Seeded), MemberType = typeof(Lessons))]
    public void OnEverySeedTheAppLandsInTheLessonsRanges(string name)
    {
        var lesson = Lessons.Named(name);
        var values = new List<string>();
        foreach (var seed in lesson.Seeds)
        {
            var app = runs.App(lesson, seed);
            Assert.True(app.Exit == 0, app.Printed);
            lesson.AssertPrintsAndRanges(app.Lines, $"the app with D2L_SEED={seed}");
            values.Add(string.Join(" ", lesson.Ranges.Select(r => r.Find(app.Lines, name).ToString(CultureInfo.InvariantCulture))));
        }
        Assert.Equal(lesson.Seeds.Length, values.Distinct().Count());
    }

    private static bool Agree(Lesson lesson, string notebook, string app) => WithoutTimings(lesson, notebook) == WithoutTimings(lesson, app);

    private static string WithoutTimings(Lesson lesson, string line) =>
        Lessons.Timings.Concat(lesson.Timings).Aggregate(line, (text, timing) => Regex.Replace(text, timing, "…"));
}

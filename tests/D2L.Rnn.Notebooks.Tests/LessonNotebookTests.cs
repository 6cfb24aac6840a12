using NotebookRunner;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>Every lesson of <see cref="Lessons.All"/> in the real engine (dotnet-interactive stdio, as VS Code runs it), on its test budget.</summary>
[Trait("Category", "Slow")]
[Collection(LessonCollection.Name)]
public class LessonNotebookTests(LessonRuns runs)
{
    [Theory]
    [MemberData(nameof(Lessons.Names), MemberType = typeof(Lessons))]
    public async Task EveryCellSucceeds(string name)
    {
        var run = await runs.Engine(Lessons.Named(name));
        var failed = run.Results.Where(r => !r.Succeeded).Select(r => $"{r.Cell.Source[..Math.Min(60, r.Cell.Source.Length)]}: {r.Error}");
        Assert.Empty(failed);
        Assert.Equal(NotebookFile.Read(run.Lesson.Dib).Count(c => c.IsCode), run.Results.Count);
    }

    [Theory]
    [MemberData(nameof(Lessons.Names), MemberType = typeof(Lessons))]
    public async Task PrintsItsLinesAndLandsInItsRanges(string name)
    {
        var run = await runs.Engine(Lessons.Named(name));
        run.Lesson.AssertPrintsAndRanges(run.Lines, "in the engine");
    }

    [Theory]
    [MemberData(nameof(Lessons.Names), MemberType = typeof(Lessons))]
    public async Task ShowsItsCharts(string name)
    {
        var run = await runs.Engine(Lessons.Named(name));
        Assert.Equal(run.Lesson.Charts, run.Charts.Select(c => ChartJson.Parse(c.Html).Title));
        // Each is a chart with a title and axis titles, drawn from data.
        Assert.All(run.Charts.Select(c => ChartJson.Parse(c.Html)), c =>
        {
            Assert.False(string.IsNullOrWhiteSpace(c.XTitle), $"{c.Title}: no x-axis title");
            Assert.False(string.IsNullOrWhiteSpace(c.YTitle), $"{c.Title}: no y-axis title");
            Assert.NotEmpty(c.Data);
        });
    }
}

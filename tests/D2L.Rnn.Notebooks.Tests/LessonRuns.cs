using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using NotebookRunner;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>The test classes that share <see cref="LessonRuns"/>: each lesson runs once per test run, whichever class asks first.</summary>
[CollectionDefinition(Name)]
public sealed class LessonCollection : ICollectionFixture<LessonRuns>
{
    public const string Name = "lessons";
}

/// <summary>
/// Each lesson run once in the real engine (dotnet-interactive stdio) and once as its file-based app, on the lesson's
/// test budget, when a test first asks for it; the files they write go to scratch folders, deleted at the end.
/// </summary>
public sealed class LessonRuns : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Lazy<Task<EngineRun>>> _engine = new();
    private readonly ConcurrentDictionary<(string, int?), Lazy<AppRun>> _apps = new();
    private readonly List<string> _folders = [];

    public Task<EngineRun> Engine(Lesson lesson) => _engine.GetOrAdd(lesson.Name, _ => new(() => RunEngineAsync(lesson))).Value;

    /// <summary>The lesson's app on its budget (and with <c>D2L_SEED</c> when <paramref name="seed"/> is given).</summary>
    public AppRun App(Lesson lesson, int? seed = null) => _apps.GetOrAdd((lesson.Name, seed), _ => new(() => RunApp(lesson, seed))).Value;

    private async Task<EngineRun> RunEngineAsync(Lesson lesson)
    {
        Repo.UseSharedDataWhenPresent();
        var output = Scratch($"{lesson.Name}-engine");
        (string, string)[] environment = [.. lesson.Budget, ("D2L_OUTPUT_DIR", output)];
        foreach (var (name, value) in environment) Environment.SetEnvironmentVariable(name, value);
        try
        {
            var after = lesson.After is null ? null : new NotebookCell("code", "csharp", lesson.After);
            var started = DateTime.UtcNow;
            var all = await NotebookRun.RunAsync(lesson.Dib, TimeSpan.FromMinutes(20), thenRun: after is null ? null : [after]);
            return new EngineRun(lesson, all.Where(r => r.Cell != after).ToList(),
                all.FirstOrDefault(r => r.Cell == after)?.StandardOutput ?? "", output, DateTime.UtcNow - started);
        }
        finally
        {
            foreach (var (name, _) in environment) Environment.SetEnvironmentVariable(name, null);
        }
    }

    private AppRun RunApp(Lesson lesson, int? seed)
    {
        Repo.UseSharedDataWhenPresent();
        var output = Scratch($"{lesson.Name}-app");
        (string, string)[] environment = [.. lesson.Budget, ("D2L_OUTPUT_DIR", output), .. seed is null ? [] : new[] { ("D2L_SEED", $"{seed}") }];
        var started = DateTime.UtcNow;
        var (exit, printed) = Processes.Run(Repo.Root, TimeSpan.FromMinutes(25), "dotnet", ["run", $"notebooks/{lesson.Name}.cs"], environment);
        return new AppRun(exit, printed, output, DateTime.UtcNow - started);
    }

    private string Scratch(string prefix)
    {
        var folder = Repo.NewScratchFolder(prefix);
        lock (_folders) _folders.Add(folder);
        return folder;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        foreach (var folder in _folders.Where(Directory.Exists)) Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>A lesson run in the engine: every code cell's result, in order.</summary>
public sealed record EngineRun(Lesson Lesson, List<CellResult> Results, string AfterOutput, string OutputFolder, TimeSpan Duration)
{
    /// <summary>The results of the code cells of the section whose heading starts with <paramref name="heading"/> (such as "## 9.").</summary>
    public List<CellResult> Section(string heading) => NotebookSections.Of(Lesson.Dib, Results, heading);

    /// <summary>What the code cells of that section printed.</summary>
    public string Printed(string heading) => string.Concat(Section(heading).Select(r => r.StandardOutput));

    /// <summary>
    /// The lines the notebook printed and the plain text of the values it displayed (such as a prediction a cell ends
    /// with), in order, but those of the setup cells that its app leaves out (the library build): what the app must
    /// print too.
    /// </summary>
    public List<string> Lines => Results.Where(r => !FileBasedApp.IsSetupOnly(r.Cell)).SelectMany(r => r.Outputs)
        .Select(o => o.Kind == "stdout" ? o.Text : o.Kind == "display" && !ChartImages.IsChart(o) && o.Plain.Length > 0 ? o.Plain + "\n" : "")
        .SelectMany(t => t.Split('\n')).Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();

    /// <summary>The chart outputs, in order.</summary>
    public List<CellOutput> Charts => Results.SelectMany(r => r.Outputs).Where(ChartImages.IsChart).ToList();

    /// <summary>The one chart output with <paramref name="title"/>, as the data and layout plotly draws.</summary>
    public ChartJson Chart(string title) => Assert.Single(Charts.Select(o => ChartJson.Parse(o.Html)), c => c.Title == title);
}

/// <summary>A lesson's file-based app run: exit code, everything it printed, where it wrote its files.</summary>
public sealed partial record AppRun(int Exit, string Printed, string OutputFolder, TimeSpan Duration)
{
    public List<string> Lines => Printed.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();

    /// <summary>The chart files the app said it wrote (outside the repository it prints their names only).</summary>
    public List<string> ChartFiles => Lines.Select(l => ChartLine().Match(l)).Where(m => m.Success)
        .Select(m => Path.Combine(OutputFolder, m.Groups[1].Value)).ToList();

    [GeneratedRegex(@"^chart written to (\S+\.html)$")]
    private static partial Regex ChartLine();
}

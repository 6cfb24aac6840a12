using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>
/// Executes the committed .ipynb notebooks of <see cref="Lessons.All"/> in Jupyter itself (<c>jupyter nbconvert --to
/// notebook --execute</c>) on the .NET kernel, each on its lesson's test budget, when a test first asks for it. The
/// executed copies, the notebooks' own files (D2L_OUTPUT_DIR), the kernel spec (JUPYTER_PATH) and Jupyter's own folders
/// all go to a scratch folder: nothing is written to the checkout or the home folder.
/// Renders the executed lecture with <c>jupyter nbconvert --to html</c> when asked.
/// </summary>
public sealed partial class JupyterRun : IAsyncLifetime
{
    public const string Lecture = "rnn-gluon";

    private readonly ConcurrentDictionary<string, Lazy<(int Exit, string Log)>> _runs = new();
    private readonly Lazy<(int Exit, string Log)> _htmlExport;

    public JupyterRun() => _htmlExport = new(() =>
    {
        _ = Run(Lecture);
        return Jupyter(Scratch, ["nbconvert", "--to", "html", "--output-dir", Path.GetDirectoryName(LectureHtml)!, Path.Combine(Executed, Lecture + ".ipynb")]);
    });

    public string Scratch { get; } = Repo.NewScratchFolder("jupyter");
    public string JupyterHome => Path.Combine(Scratch, "jupyter");
    public string Executed => Path.Combine(Scratch, "executed");

    /// <summary>
    /// Exit code and everything nbconvert printed (with --debug: every kernel message) for the lesson's notebook.
    /// One notebook after the other: two kernels started at the same moment could not both start (one died before its
    /// first reply).
    /// </summary>
    public (int Exit, string Log) Run(string lesson) => _runs.GetOrAdd(lesson, name => new(() => Execute(Lessons.Named(name)))).Value;

    /// <summary>The executed lecture rendered by <c>jupyter nbconvert --to html</c>.</summary>
    public string LectureHtml => Path.Combine(Scratch, "html", Lecture + ".html");
    public (int Exit, string Log) HtmlExport => _htmlExport.Value;

    public Task InitializeAsync()
    {
        if (SystemTool.Jupyter.IsSkippedHere) return Task.CompletedTask; // the tests that use it are skipped
        SystemTool.Jupyter.Require();
        Repo.UseSharedDataWhenPresent();
        var kernels = Directory.CreateDirectory(Path.Combine(JupyterHome, "kernels")).FullName;
        var (exit, output) = Processes.Run(Repo.Root, TimeSpan.FromMinutes(3), "dotnet", ["interactive", "jupyter", "install", "--path", kernels]);
        if (exit != 0) throw new InvalidOperationException(output);
        // The kernel's HTTP services listen on this machine only.
        var specFile = Path.Combine(kernels, ".net-csharp", "kernel.json");
        var spec = JsonNode.Parse(File.ReadAllText(specFile))!;
        spec["argv"]!.AsArray().Add("--http-local-only");
        File.WriteAllText(specFile, spec.ToJsonString());
        return Task.CompletedTask;
    }

    private (int Exit, string Log) Execute(Lesson lesson) =>
        Jupyter(Repo.Notebooks,
            ["nbconvert", "--debug", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=.net-csharp",
             "--ExecutePreprocessor.timeout=1200", "--ExecutePreprocessor.startup_timeout=300",
             "--output-dir", Executed, lesson.Ipynb],
            [("D2L_OUTPUT_DIR", Path.Combine(Scratch, "output", lesson.Name)), .. lesson.Budget]);

    /// <summary>Runs <c>jupyter</c> with its folders in the scratch folder.</summary>
    public (int Exit, string Log) Jupyter(string cwd, string[] args, params (string, string)[] env) =>
        JupyterCommand.Run(JupyterHome, cwd, args, env);

    /// <summary>The lesson's notebook as Jupyter executed it.</summary>
    public JsonNode ExecutedNotebook(string lesson)
    {
        _ = Run(lesson);
        return JsonNode.Parse(File.ReadAllText(Path.Combine(Executed, lesson + ".ipynb")))!;
    }

    /// <summary>The kernel messages nbconvert logged with --debug: type and display id.</summary>
    public List<(string Type, string? DisplayId, string Content)> Messages(string lesson) =>
        MessageLog().Matches(Run(lesson).Log)
            .Select(m => (m.Groups[1].Value, TransientId().Match(m.Groups[2].Value) is { Success: true } id ? id.Groups[1].Value : null, m.Groups[2].Value))
            .ToList();

    [GeneratedRegex(@"msg_type: (\w+)\r?\n\[NbConvertApp\] content: (.*)")]
    private static partial Regex MessageLog();

    [GeneratedRegex(@"'transient': \{'display_id': '([^']+)'\}")]
    private static partial Regex TransientId();

    public Task DisposeAsync()
    {
        Directory.Delete(Scratch, recursive: true);
        return Task.CompletedTask;
    }
}

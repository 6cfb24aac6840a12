using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>
/// Executes the committed .ipynb notebooks in Jupyter itself (<c>jupyter nbconvert --to notebook --execute</c>) on
/// the .NET kernel, with short budgets. The executed copies, the notebooks' own files (D2L_OUTPUT_DIR), the kernel
/// spec (JUPYTER_PATH) and Jupyter's own folders all go to a scratch folder: nothing is written to the checkout or
/// the home folder.
/// Then renders the executed lecture with <c>jupyter nbconvert --to html</c>.
/// </summary>
public sealed partial class JupyterRun : IAsyncLifetime
{
    public const string Lecture = "rnn-gluon.ipynb";
    public const string Homework = "homework8-shakespeare.ipynb";

    public string Scratch { get; } = Repo.NewScratchFolder("jupyter");
    public string JupyterHome => Path.Combine(Scratch, "jupyter");
    public string Executed => Path.Combine(Scratch, "executed");

    /// <summary>Exit code and everything nbconvert printed (with --debug: every kernel message), per notebook.</summary>
    public Dictionary<string, (int Exit, string Log)> Runs { get; } = [];

    /// <summary>The executed lecture rendered by <c>jupyter nbconvert --to html</c>.</summary>
    public string LectureHtml => Path.Combine(Scratch, "html", "rnn-gluon.html");
    public (int Exit, string Log) HtmlExport { get; private set; }

    public async Task InitializeAsync()
    {
        if (SystemTool.Jupyter.IsSkippedHere) return; // the tests that use it are skipped
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

        // One after the other: two kernels started at the same moment could not both start (one died before its
        // first reply).
        Runs[Lecture] = await Task.Run(() => Execute(Lecture, ("D2L_EPOCHS", "20")));
        Runs[Homework] = await Task.Run(() => Execute(Homework, ("D2L_EPOCHS", "1"), ("D2L_MAX_TOKENS", "260000")));
        HtmlExport = Jupyter(Scratch, ["nbconvert", "--to", "html", "--output-dir", Path.GetDirectoryName(LectureHtml)!, Path.Combine(Executed, Lecture)]);
    }

    private (int Exit, string Log) Execute(string notebook, params (string, string)[] budget) =>
        Jupyter(Repo.Notebooks,
            ["nbconvert", "--debug", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=.net-csharp",
             "--ExecutePreprocessor.timeout=1200", "--ExecutePreprocessor.startup_timeout=300",
             "--output-dir", Executed, Path.Combine(Repo.Notebooks, notebook)],
            [("D2L_OUTPUT_DIR", Path.Combine(Scratch, "output")), .. budget]);

    /// <summary>Runs <c>jupyter</c> with its folders in the scratch folder.</summary>
    public (int Exit, string Log) Jupyter(string cwd, string[] args, params (string, string)[] env) =>
        JupyterCommand.Run(JupyterHome, cwd, args, env);

    public JsonNode ExecutedNotebook(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(Executed, name)))!;

    /// <summary>The kernel messages nbconvert logged with --debug: type and display id.</summary>
    public List<(string Type, string? DisplayId, string Content)> Messages(string name) =>
        MessageLog().Matches(Runs[name].Log)
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

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>Runs the system's <c>jupyter</c> (the first on PATH) with every folder of its own (kernels, config, data, runtime) under one folder, never the home folder.</summary>
public static class JupyterCommand
{
    public static (int Exit, string Log) Run(string home, string cwd, string[] args, params (string, string)[] env)
    {
        return Processes.Run(cwd, TimeSpan.FromMinutes(25), SystemTool.Jupyter.Require(), args,
        [
            ("JUPYTER_PATH", home), ("JUPYTER_CONFIG_DIR", Path.Combine(home, "config")),
            ("JUPYTER_DATA_DIR", Path.Combine(home, "data")), ("JUPYTER_RUNTIME_DIR", Path.Combine(home, "runtime")),
            .. env,
        ]);
    }

    /// <summary><c>jupyter nbconvert --to html</c> of <paramref name="notebook"/> into <paramref name="folder"/>: the page's path.</summary>
    public static string ToHtml(string notebook, string folder)
    {
        var (exit, log) = Run(Path.Combine(folder, "jupyter"), folder, ["nbconvert", "--to", "html", "--output-dir", folder, notebook]);
        Assert.True(exit == 0, log);
        return Path.Combine(folder, Path.GetFileNameWithoutExtension(notebook) + ".html");
    }
}

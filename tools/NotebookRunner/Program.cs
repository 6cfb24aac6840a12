using D2L.Rnn;
using System.CommandLine;
using NotebookRunner;

var notebookArgument = new Argument<FileInfo>("notebook")
{
    Description = "The notebook to run (.dib or .ipynb).",
}.AcceptExistingOnly();
var outputOption = new Option<FileInfo?>("--output", "-o")
{
    Description = "Write the executed notebook here (.ipynb), with a static image beside every chart.",
};
var appOption = new Option<FileInfo?>("--app")
{
    Description = "Write the notebook as a .NET 10 file-based app here (.cs) instead of running it: the same cells, " +
                  "printing what they print and writing the charts they show to files.",
};
var timeoutOption = new Option<double>("--cell-timeout-minutes")
{
    Description = "Fail a cell that runs longer than this.",
    DefaultValueFactory = _ => 60,
};
var chromiumOption = new Option<string?>("--chromium")
{
    Description = "The Chromium, Chrome or Edge that draws the static chart images (default: the first found on PATH or where its installer puts it).",
};
var root = new RootCommand(
    "Runs every cell of a notebook in the real .NET Interactive engine (dotnet-interactive stdio, the engine VS Code " +
    "uses) from the notebook's folder, prints the cells' output, and optionally writes the executed notebook.")
{
    notebookArgument, outputOption, appOption, timeoutOption, chromiumOption,
};
root.Validators.Add(r =>
{
    if (r.GetValue(appOption) is not null && r.GetValue(outputOption) is not null) r.AddError("Give --app or --output, not both.");
});
timeoutOption.Validators.Add(r =>
{
    if (r.GetValueOrDefault<double>() <= 0) r.AddError("--cell-timeout-minutes must be positive.");
});
root.SetAction(async (parse, _) =>
{
    var notebook = parse.GetValue(notebookArgument)!.FullName;
    if (parse.GetValue(appOption) is { } app)
    {
        AtomicFile.WriteAllText(app.FullName, FileBasedApp.Generate(notebook));
        Console.WriteLine($"Wrote {parse.GetValue(appOption)}");
        return 0;
    }
    var output = parse.GetValue(outputOption);
    Console.WriteLine($"Running {Path.GetFileName(notebook)} in dotnet-interactive …");
    var results = await NotebookRun.RunAsync(notebook, TimeSpan.FromMinutes(parse.GetValue(timeoutOption)), Console.WriteLine, Console.Write);
    var cells = NotebookFile.Read(notebook);
    if (output is not null)
    {
        await ChartImages.AddAsync(results, Console.WriteLine, parse.GetValue(chromiumOption));
        NotebookFile.WriteIpynb(output.FullName, cells, results);
        Console.WriteLine($"Wrote {parse.GetValue(outputOption)}");
    }
    var failed = results.Count(r => !r.Succeeded);
    var total = cells.Count(c => c.IsCode);
    var ok = failed == 0 && results.Count == total;
    Console.WriteLine(ok ? $"All {total} cells succeeded." : $"{failed} cell(s) failed.");
    return ok ? 0 : 1;
});
return await root.Parse(args).InvokeAsync();

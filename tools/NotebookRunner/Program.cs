using NotebookRunner;

// Usage: NotebookRunner <notebook.dib|.ipynb> [--output executed.ipynb] [--cell-timeout-minutes N]
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("Usage: NotebookRunner <notebook.dib|.ipynb> [--output executed.ipynb] [--cell-timeout-minutes N]");
    Console.WriteLine("Runs every cell in the real .NET Interactive engine (dotnet-interactive stdio) from the notebook's folder.");
    return args.Length == 0 ? 2 : 0;
}
var notebook = args[0];
string? output = null;
var timeout = TimeSpan.FromMinutes(60);
for (var i = 1; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--output" when i + 1 < args.Length: output = args[++i]; break;
        case "--cell-timeout-minutes" when i + 1 < args.Length && double.TryParse(args[i + 1], out var m) && m > 0:
            timeout = TimeSpan.FromMinutes(m); i++; break;
        default:
            Console.Error.WriteLine($"Unknown or incomplete option '{args[i]}'. See --help.");
            return 2;
    }
}
if (!File.Exists(notebook))
{
    Console.Error.WriteLine($"No notebook at '{Path.GetFullPath(notebook)}'.");
    return 2;
}

Console.WriteLine($"Running {notebook} in dotnet-interactive …");
var results = await NotebookRun.RunAsync(notebook, timeout, Console.WriteLine, Console.Write);
if (output is not null)
{
    NotebookFile.WriteIpynb(output, NotebookFile.Read(notebook), results);
    Console.WriteLine($"Wrote {Path.GetFullPath(output)}");
}
var failed = results.Count(r => !r.Succeeded);
var total = NotebookFile.Read(notebook).Count(c => c.IsCode);
Console.WriteLine(failed == 0 && results.Count == total ? $"All {total} cells succeeded." : $"{failed} cell(s) failed.");
return failed == 0 && results.Count == total ? 0 : 1;

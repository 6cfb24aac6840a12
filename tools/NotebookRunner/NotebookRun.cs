namespace NotebookRunner;

/// <summary>Runs every code cell of a notebook in a fresh engine, stopping at the first failure.</summary>
public static class NotebookRun
{
    /// <param name="thenRun">Cells to run after the notebook's own, in the same kernel (to inspect its state).</param>
    public static async Task<List<CellResult>> RunAsync(string notebookPath, TimeSpan cellTimeout,
        Action<string>? log = null, Action<string>? onOutput = null, IEnumerable<NotebookCell>? thenRun = null)
    {
        var full = Path.GetFullPath(notebookPath);
        var cells = NotebookFile.Read(full);
        var results = new List<CellResult>();
        await using var engine = await InteractiveEngine.StartAsync(Path.GetDirectoryName(full)!, TimeSpan.FromMinutes(3));
        var code = cells.Where(c => c.IsCode).Concat(thenRun ?? []).ToList();
        for (var i = 0; i < code.Count; i++)
        {
            var result = await engine.RunAsync(code[i], cellTimeout, onOutput);
            results.Add(result);
            log?.Invoke($"[cell {i + 1}/{code.Count}] {(result.Succeeded ? "ok" : "FAILED")} ({result.Duration.TotalSeconds:F1} s)" +
                        (result.Succeeded ? "" : $": {result.Error}"));
            if (!result.Succeeded) break;
        }
        return results;
    }
}

using NotebookRunner;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>
/// Finds a notebook's cells by the section a reader sees, not by substrings of their code: the results of the code
/// cells under the markdown heading that starts with a given text, up to the next "## " heading.
/// </summary>
public static class NotebookSections
{
    public static List<CellResult> Of(string dib, IReadOnlyList<CellResult> results, string heading)
    {
        var cells = NotebookFile.Read(dib);
        bool Heads(NotebookCell c, string h) => !c.IsCode && c.Source.Split('\n').Any(l => l.StartsWith(h, StringComparison.Ordinal));
        var start = cells.FindIndex(c => Heads(c, heading));
        Assert.True(start >= 0, $"no section '{heading}' in {Path.GetFileName(dib)}");
        var end = cells.FindIndex(start + 1, c => Heads(c, "## "));
        var code = cells.Take(end < 0 ? cells.Count : end).Skip(start).Where(c => c.IsCode).ToList();
        Assert.True(code.Count > 0, $"section '{heading}' of {Path.GetFileName(dib)} has no code cell");
        return results.Where(r => code.Contains(r.Cell)).ToList();
    }
}

namespace NotebookRunner;

/// <summary>One cell of a notebook: code (with its kernel) or markdown.</summary>
public sealed record NotebookCell(string Kind, string KernelName, string Source)
{
    public bool IsCode => Kind == "code";
}

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>A fact about the Linux dynamic loader: skipped, with the reason shown, elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "Tests the Linux dynamic loader (LD_LIBRARY_PATH).";
    }
}

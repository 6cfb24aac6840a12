namespace D2L.Rnn.Notebooks.Tests;

/// <summary>
/// A fact about Debian's PyTorch and its BLAS libraries: skipped, with the reason shown, where python3-torch or the
/// reference BLAS (libblas3) is not installed, since only there can the loader be made to pick either.
/// </summary>
public sealed class DebianPyTorchFactAttribute : FactAttribute
{
    public DebianPyTorchFactAttribute()
    {
        if (!Directory.Exists("/usr/lib/python3/dist-packages/torch") || !File.Exists("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3"))
            Skip = "Needs Debian's PyTorch and reference BLAS: apt-get install python3-torch libblas3.";
    }
}

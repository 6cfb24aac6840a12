namespace D2L.Rnn.TestSupport;

/// <summary>A program from outside .NET that some tests need; its name is the value of their <c>Requires</c> trait
/// (<see cref="SystemTool.TraitValue"/>).</summary>
public enum Tool
{
    /// <summary>A Chromium-based browser (Chromium, Chrome or Edge): draws chart outputs.</summary>
    Chromium,

    /// <summary>Jupyter with nbconvert (and nbclient): executes and renders the .ipynb notebooks.</summary>
    Jupyter,

    /// <summary>A Python that has PyTorch (<c>$D2L_PYTHON</c>, else Debian's <c>/usr/bin/python3</c>, else the first on PATH).</summary>
    PyTorch,

    /// <summary>Any Python 3 on PATH.</summary>
    Python,

    /// <summary>
    /// Debian's PyTorch (<c>python3-torch</c> at <c>/usr/bin/python3</c>) with both Debian's reference BLAS and OpenBLAS:
    /// the bench's PyTorch peer as it was measured. Linux only; its trait value is <c>PyTorch</c>.
    /// </summary>
    DebianPyTorch,
}

namespace D2L.Rnn.Bench;

/// <summary>
/// What the PyTorch peer measured for one model kind, and the BLAS it multiplied with as the peer process itself
/// reported it (bench/pytorch/blas.py: "openblas", "mkl", "reference" or "other", and the library file).
/// </summary>
internal sealed record PeerResult(double TokensPerSecond, string Blas, string BlasLibrary, string Note)
{
    /// <summary>Debian's reference BLAS (libblas3), far slower than any BLAS a PyTorch user trains with.</summary>
    public bool OnReferenceBlas => Blas == "reference";

    /// <summary>
    /// Ours ÷ PyTorch, or null when the peer ran on the reference BLAS: a ratio against it would overstate our lead
    /// many times over.
    /// </summary>
    public double? OursOverPyTorch(double oursTokensPerSecond) => OnReferenceBlas ? null : oursTokensPerSecond / TokensPerSecond;

    /// <summary>What to tell the reader when the peer ran on the reference BLAS.</summary>
    public string ReferenceBlasWarning =>
        $"the PyTorch peer multiplies with the reference BLAS ({BlasLibrary}), which no PyTorch user trains with: " +
        "no ours_over_pytorch ratio is printed. Install an optimised BLAS (Debian/Ubuntu: apt-get install " +
        "libopenblas0-pthread) or point D2L_PYTHON at a python whose PyTorch comes from pip or conda.";
}

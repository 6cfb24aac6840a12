using TorchSharp;

namespace D2L.Rnn.FastPath;

/// <summary>
/// Scalars the hand-written passes pass to libtorch inside their time loops. Made once: a number converted at each
/// call makes a native scalar each time, a cost that shows beside an element-wise call on a (16, 256) shard
/// (docs/performance.md). They live as long as the process.
/// </summary>
internal static class FastConstants
{
    public static readonly Scalar One = 1f;
    public static readonly Scalar Two = 2f;
}

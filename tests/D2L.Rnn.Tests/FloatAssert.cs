namespace D2L.Rnn.Tests;

/// <summary>Element-wise comparison of float32 results from two ways of computing the same thing.</summary>
public static class FloatAssert
{
    /// <summary>|expected − actual| ≤ atol + rtol·|expected| for every element; the message names the element.</summary>
    public static void Close(float[] expected, float[] actual, string what, double atol, double rtol)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var tolerance = atol + rtol * Math.Abs(expected[i]);
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"{what}[{i}]: reference {expected[i]} vs fast path {actual[i]} (tolerance {tolerance})");
        }
    }
}

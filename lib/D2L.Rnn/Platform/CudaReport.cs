namespace D2L.Rnn;

/// <summary>What TorchSharp reported when asked to start CUDA.</summary>
/// <param name="DeviceCount">The GPUs CUDA sees (0 when it did not start).</param>
/// <param name="Error">The message of the exception that stopped it, or null when it started.</param>
internal sealed record CudaReport(int DeviceCount, string? Error);

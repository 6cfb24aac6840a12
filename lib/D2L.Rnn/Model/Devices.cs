using TorchSharp;
using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>Where to compute, as d2l's <c>try_gpu</c>: the GPU when there is one, else the CPU.</summary>
public static class Devices
{
    /// <summary>CUDA device <paramref name="index"/> when CUDA is available and has it, else the CPU.</summary>
    public static Device TryGpu(int index = 0)
    {
        if (index < 0) throw new ArgumentOutOfRangeException(nameof(index), index, "The GPU index is 0 or more.");
        return cuda.is_available() && index < cuda.device_count() ? device(DeviceType.CUDA, index) : CPU;
    }
}

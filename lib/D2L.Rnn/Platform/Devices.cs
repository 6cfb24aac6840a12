using TorchSharp;
using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>Where to compute, as d2l's <c>try_gpu</c>: the GPU when there is one, else the CPU.</summary>
public static class Devices
{
    /// <summary>
    /// CUDA device <paramref name="index"/> when CUDA is available and has it, else the CPU. Once
    /// <see cref="TorchSetup.Initialize"/> has chosen the CPU (the default, or <c>D2L_DEVICE=cuda</c> where CUDA did not
    /// start: see <see cref="TorchSetup.Choice"/>), always the CPU, without asking CUDA.
    /// </summary>
    public static Device TryGpu(int index = 0)
    {
        if (index < 0) throw new ArgumentOutOfRangeException(nameof(index), index, "The GPU index is 0 or more.");
        if (TorchSetup.Choice is { Device: not DeviceType.CUDA }) return CPU;
        return cuda.is_available() && index < cuda.device_count() ? device(DeviceType.CUDA, index) : CPU;
    }
}

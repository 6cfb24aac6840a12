using TorchSharp;
using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>Reads a tensor that TorchSharp's <c>Save</c> wrote, onto the CPU.</summary>
internal static class CpuTensor
{
    /// <summary>
    /// <c>TensorExtensionMethods.Load(reader)</c> on the CPU: TorchSharp makes the tensor on its default device, but a run
    /// checkpoint's carried state (moved to the model's device by the training step) and the random generator's state
    /// (a CPU tensor by definition) are read on the CPU, whatever that default is.
    /// </summary>
    public static Tensor Load(BinaryReader reader)
    {
        var previous = get_default_device();
        set_default_device(CPU);
        try
        {
            return TensorExtensionMethods.Load(reader);
        }
        finally
        {
            set_default_device(previous);
        }
    }
}

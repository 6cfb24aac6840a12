using System.Runtime.InteropServices;
using TorchSharp;

namespace D2L.Rnn;

/// <summary>
/// Where <see cref="TorchSetup.Initialize"/> lets TorchSharp compute, and the one line that says why when it is not where
/// the setting asked for: the CPU, or the first NVIDIA GPU when the environment variable <c>D2L_DEVICE</c> is <c>cuda</c>
/// and CUDA starts.
/// </summary>
/// <param name="Device">CPU or CUDA.</param>
/// <param name="Message">One line for the reader (null with the default setting, the CPU: nothing to say).</param>
public sealed record DeviceChoice(DeviceType Device, string? Message)
{
    /// <summary>The setting: <c>cuda</c> asks for the GPU; unset, empty or <c>cpu</c> is the CPU.</summary>
    public const string Variable = "D2L_DEVICE";

    /// <summary>
    /// The decision, from the setting, the system, whether a CUDA build of LibTorch is there and what TorchSharp reports
    /// when asked to start CUDA. <paramref name="startCuda"/> is called only when everything before it allows CUDA: it
    /// loads the CUDA libraries and initialises CUDA, so it must come before anything else touches TorchSharp.
    /// </summary>
    /// <param name="setting">The value of <c>D2L_DEVICE</c> (null: not set). Case and surrounding spaces do not matter.</param>
    /// <param name="os">The operating system: TorchSharp's CUDA builds are for Linux and Windows.</param>
    /// <param name="cudaNatives">The folder that holds a CUDA build of LibTorch beside TorchSharp's native library, or
    /// null when there is none (the library was built for the CPU).</param>
    /// <param name="startCuda">Starts CUDA and reports what TorchSharp says.</param>
    internal static DeviceChoice Decide(string? setting, OSPlatform os, string? cudaNatives, Func<CudaReport> startCuda)
    {
        ArgumentNullException.ThrowIfNull(startCuda);
        var value = setting?.Trim() ?? "";
        if (value.Length == 0 || value.Equals("cpu", StringComparison.OrdinalIgnoreCase)) return new(DeviceType.CPU, null);
        if (!value.Equals("cuda", StringComparison.OrdinalIgnoreCase))
            return new(DeviceType.CPU, $"{Variable} is \"{value}\", which is neither cpu nor cuda: running on the CPU.");

        const string asked = Variable + "=cuda, but";
        if (os != OSPlatform.Linux && os != OSPlatform.Windows)
            return new(DeviceType.CPU, $"{asked} TorchSharp has CUDA builds for Linux and Windows only: running on the CPU.");
        if (cudaNatives is null)
            return new(DeviceType.CPU, $"{asked} the library in use was built without CUDA (the notebooks' first cell " +
                                       "builds it with CUDA when the setting is there before it runs, and says why if it cannot): running on the CPU.");
        var report = startCuda();
        if (report.Error is { } error)
            return new(DeviceType.CPU, $"{asked} CUDA did not start ({FirstLine(error)} Is the NVIDIA driver installed? " +
                                       "nvidia-smi shows what it sees): running on the CPU.");
        if (report.DeviceCount < 1)
            return new(DeviceType.CPU, $"{asked} CUDA sees no GPU (nvidia-smi shows what the NVIDIA driver sees): running on the CPU.");
        return new(DeviceType.CUDA, $"{Variable}=cuda: training on the GPU, cuda:0" +
                                    (report.DeviceCount > 1 ? $" (the first of {report.DeviceCount})." : "."));
    }

    // The first line of a message without the loading trace that TorchSharp appends; ends with a full stop.
    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0];
        var trace = line.IndexOf(" Trace from", StringComparison.Ordinal);
        line = (trace >= 0 ? line[..trace] : line).Trim();
        if (line.Length == 0) line = "no reason given";
        return line.EndsWith('.') ? line : line + ".";
    }
}

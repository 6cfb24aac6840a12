using TorchSharp;
using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>
/// Where a run trains: d2l's <c>device</c> argument of <c>train_ch8</c>, with the lesson's <c>net.to(device)</c> before
/// it. <see cref="TrainOptions.Device"/> when set, else the GPU that <see cref="TorchSetup"/> started for
/// <c>D2L_DEVICE=cuda</c>, else wherever the model is.
/// </summary>
internal static class TrainingDevice
{
    /// <summary>The device to train on, or null for wherever the model is.</summary>
    /// <param name="asked"><see cref="TrainOptions.Device"/>.</param>
    /// <param name="setup">What the setup chose (<see cref="TorchSetup.Choice"/>; null when it did not run).</param>
    /// <param name="gpu">The GPU to take when the setup chose CUDA (<see cref="Devices.TryGpu"/>).</param>
    public static Device? Target(Device? asked, DeviceChoice? setup, Func<Device> gpu) =>
        asked ?? (setup is { Device: DeviceType.CUDA } ? gpu() : null);

    /// <summary>
    /// Moves <paramref name="model"/> to <paramref name="target"/> (its parameters and buffers, as <c>model.to(device)</c>)
    /// when it is a module elsewhere; a model of one's own that is not a module must already be there.
    /// </summary>
    /// <exception cref="ArgumentException"><see cref="TrainOptions.Device"/> names a device that a model which cannot be
    /// moved (an <see cref="RNNModelScratch"/>) is not on.</exception>
    public static void MoveTo(object model, Device current, Device? target, bool asked)
    {
        if (target is null || Same(current, target)) return;
        if (model is nn.Module module)
        {
            module.to(target);
            return;
        }
        if (asked)
            throw new ArgumentException(
                $"TrainOptions.Device is {target}, but the {model.GetType().Name}'s parameters are on {current} and the library " +
                "cannot move them: make them on that device (the device argument of its constructor, e.g. Devices.TryGpu()).",
                nameof(TrainOptions.Device));
    }

    /// <summary>Whether two devices are one (cuda and cuda:0 are).</summary>
    public static bool Same(Device a, Device b) => a.type == b.type && Math.Max(a.index, 0) == Math.Max(b.index, 0);
}

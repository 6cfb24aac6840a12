using System.Reflection;
using System.Runtime.Loader;

namespace D2L.Rnn.Notebooks;

/// <summary>What a notebook runs once, before anything else from this library.</summary>
public static class NotebookSetup
{
    private static bool _done;

    /// <summary>
    /// Loads TorchSharp's native library (a notebook kernel does not load it until a <c>torch.*</c> member runs,
    /// and <c>nn.RNN</c> alone would fail), and lets Plotly.NET 6 (built against FSharp.Core 10.1) use the
    /// FSharp.Core 10.0 that the notebook engine has already loaded. Also sets TorchSharp to one CPU thread:
    /// on the engine's cell thread, two intra-op threads made the lecture's training 50 times slower
    /// (10.6 s instead of 0.17 s per epoch, measured with dotnet-interactive 1.0.712001 on 2 cores).
    /// </summary>
    public static void Initialize()
    {
        if (_done) return;
        AssemblyLoadContext.Default.Resolving += UseLoadedFSharpCore;
        TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU);
        TorchSharp.torch.set_num_threads(1);
        _done = true;
    }

    private static Assembly? UseLoadedFSharpCore(AssemblyLoadContext context, AssemblyName name) =>
        name.Name == "FSharp.Core"
            ? AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "FSharp.Core")
            : null;
}

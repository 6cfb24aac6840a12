using System.Reflection;
using System.Runtime.Loader;

namespace D2L.Rnn.Notebooks;

/// <summary>What a notebook runs once, before anything else from this library.</summary>
public static class NotebookSetup
{
    private static bool _done;

    /// <summary>
    /// Stops first, with one sentence saying so and what works instead, on a system TorchSharp ships no LibTorch for
    /// (<see cref="TorchPlatform"/>: macOS on Intel, Windows or Linux on ARM). Then loads TorchSharp's native libraries
    /// from its NuGet packages (LibTorch from the <c>libtorch-cpu-&lt;rid&gt;</c> package the library's build restored)
    /// by absolute path (<see cref="TorchSetup"/>: a notebook kernel does not look for them there, <c>nn.RNN</c> alone
    /// would fail, and a system PyTorch on the loader's path would be picked up instead), and lets Plotly.NET 6 (built against FSharp.Core 10.1) use the
    /// FSharp.Core 10.0 that the notebook engine has already loaded. Also sets TorchSharp to one CPU thread:
    /// on the engine's cell thread, two intra-op threads made the lecture's training 50 times slower
    /// (10.6 s instead of 0.17 s per epoch, measured with dotnet-interactive 1.0.712001 on 2 cores); the fast
    /// training path runs on threads of its own and uses every core regardless. Corpora are read from the
    /// repository's <c>data/</c> folder unless <c>D2L_DATA_DIR</c> says otherwise.
    /// Finally starts making the live chart's HTML templates in the background: Plotly.NET's first chart costs
    /// about 2 s, which would otherwise be paid by the first redraw during training.
    /// With <c>D2L_DEVICE=cuda</c> it starts CUDA instead of loading the CPU's LibTorch (<see cref="TorchSetup"/>) and
    /// prints one line: that training runs on the GPU, or why it runs on the CPU (<see cref="DeviceChoice"/>).
    /// In a file-based app (outside a notebook cell) the same call does the same but the templates, which only a notebook
    /// uses. One thread there too: an app then computes exactly what its notebook computes, and the homework's app on its
    /// test budget took 130 s of CPU (4.4 min) with one thread against 414 s (9.8 min) with TorchSharp's two beside the
    /// fast path's own (one run each, on a shared 2-core machine).
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">On a system TorchSharp ships no LibTorch for.</exception>
    public static void Initialize()
    {
        if (_done) return;
        TorchPlatform.EnsureSupported();
        AssemblyLoadContext.Default.Resolving += UseLoadedFSharpCore;
        TorchSetup.Initialize();
        if (TorchSetup.Choice?.Message is { } line) Console.WriteLine(line);
        TorchSharp.torch.set_num_threads(1);
        Repository.UseDataDirectory();
        if (NotebookKernel.IsRunningCell) _ = Task.Run(ChartHtmlTemplate.Prepare);
        _done = true;
    }

    private static Assembly? UseLoadedFSharpCore(AssemblyLoadContext context, AssemblyName name) =>
        name.Name == "FSharp.Core"
            ? AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "FSharp.Core")
            : null;
}

using System.Runtime.InteropServices;
using TorchSharp;

namespace D2L.Rnn.Tests;

/// <summary>
/// The one setting for a GPU, D2L_DEVICE: what TorchSetup decides from it, the system, the LibTorch build beside the
/// library and what TorchSharp reports when asked to start CUDA. No GPU is needed: TorchSharp's report is given.
/// </summary>
public class DeviceChoiceTests
{
    private const string CudaFolder = "/repo/lib/D2L.Rnn.Notebooks/bin/Release/net10.0/runtimes/linux-x64/native";

    // TorchSharp's message when the CUDA libraries load but CUDA does not start (no driver, no GPU), trace and all.
    private const string DidNotInitialise =
        "Torch device type CUDA did not initialise on the current machine. Trace from LoadNativeBackend:\n\n" +
        "TorchSharp: LoadNativeBackend: Initialising native backend, useCudaBackend = True\n\nStep 1 - …";

    private static (DeviceChoice Choice, int CudaStarts) Decide(string? setting, OSPlatform os, string? natives, CudaReport report)
    {
        var starts = 0;
        var choice = DeviceChoice.Decide(setting, os, natives, () => { starts++; return report; });
        return (choice, starts);
    }

    private static readonly CudaReport OneGpu = new(1, null);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("cpu")]
    [InlineData(" CPU ")]
    public void WithoutTheSettingItIsTheCpuWithNothingToSayAndCudaIsNeverStarted(string? setting)
    {
        var (choice, starts) = Decide(setting, OSPlatform.Linux, CudaFolder, OneGpu);
        Assert.Equal(new DeviceChoice(DeviceType.CPU, null), choice);
        Assert.Equal(0, starts);
    }

    [Theory]
    [InlineData("cuda")]
    [InlineData("CUDA")]
    [InlineData(" cuda\n")]
    public void WithTheSettingAndAGpuItIsCuda(string setting)
    {
        foreach (var os in new[] { OSPlatform.Linux, OSPlatform.Windows })
        {
            var (choice, starts) = Decide(setting, os, CudaFolder, OneGpu);
            Assert.Equal(new DeviceChoice(DeviceType.CUDA, "D2L_DEVICE=cuda: training on the GPU, cuda:0."), choice);
            Assert.Equal(1, starts);
        }
        Assert.Equal("D2L_DEVICE=cuda: training on the GPU, cuda:0 (the first of 2).",
            Decide(setting, OSPlatform.Linux, CudaFolder, new CudaReport(2, null)).Choice.Message);
    }

    public static TheoryData<string, OSPlatform, string?, int, string?, string, int> NoUsableGpu => new()
    {
        { "gpu", OSPlatform.Linux, CudaFolder, 1, null, "D2L_DEVICE is \"gpu\", which is neither cpu nor cuda: running on the CPU.", 0 },
        { "cuda", OSPlatform.OSX, CudaFolder, 1, null,
            "D2L_DEVICE=cuda, but TorchSharp has CUDA builds for Linux and Windows only: running on the CPU.", 0 },
        { "cuda", OSPlatform.Linux, null, 1, null,
            "D2L_DEVICE=cuda, but the library in use was built without CUDA (the notebooks' first cell builds it with CUDA " +
            "when the setting is there before it runs, and says why if it cannot): running on the CPU.", 0 },
        { "cuda", OSPlatform.Windows, CudaFolder, 0, DidNotInitialise,
            "D2L_DEVICE=cuda, but CUDA did not start (Torch device type CUDA did not initialise on the current machine. " +
            "Is the NVIDIA driver installed? nvidia-smi shows what it sees): running on the CPU.", 1 },
        { "cuda", OSPlatform.Linux, CudaFolder, 0, "libcudnn_graph.so.9: cannot open shared object file",
            "D2L_DEVICE=cuda, but CUDA did not start (libcudnn_graph.so.9: cannot open shared object file. " +
            "Is the NVIDIA driver installed? nvidia-smi shows what it sees): running on the CPU.", 1 },
        { "cuda", OSPlatform.Linux, CudaFolder, 0, null,
            "D2L_DEVICE=cuda, but CUDA sees no GPU (nvidia-smi shows what the NVIDIA driver sees): running on the CPU.", 1 },
    };

    [Theory]
    [MemberData(nameof(NoUsableGpu))]
    public void WithTheSettingAndNoUsableGpuOneLineSaysWhyAndItIsTheCpu(string setting, OSPlatform os, string? natives,
        int gpus, string? cudaError, string line, int cudaStarts)
    {
        var (choice, starts) = Decide(setting, os, natives, new CudaReport(gpus, cudaError));
        Assert.Equal(DeviceType.CPU, choice.Device);
        Assert.Equal(line, choice.Message);
        Assert.DoesNotContain('\n', choice.Message!);
        Assert.Equal(cudaStarts, starts); // CUDA is started only when nothing before it rules the GPU out
    }

    [Fact]
    public void TheCudaBuildsLibrariesAreFoundAndLoadedDependenciesFirst()
    {
        var folder = Directory.CreateTempSubdirectory("d2l-cuda-natives-").FullName;
        try
        {
            string[] linux = ["libgomp-a34b3233.so.1", "libc10.so", "libc10_cuda.so", "libtorch_cpu.so", "libtorch_cuda.so", "libtorch.so",
                "libLibTorchSharp.so", "libcudnn.so.9"];
            foreach (var name in linux) File.WriteAllText(Path.Combine(folder, name), "");
            Assert.Equal(linux[..7].Select(n => Path.Combine(folder, n)), TorchSetup.CudaLibraries(folder, OSPlatform.Linux));
            Assert.Empty(TorchSetup.CudaLibraries(folder, OSPlatform.Windows)); // no torch_cuda.dll there

            string[] windows = ["c10.dll", "c10_cuda.dll", "torch_cpu.dll", "torch_cuda.dll", "torch.dll", "LibTorchSharp.dll"];
            foreach (var name in windows) File.WriteAllText(Path.Combine(folder, name), "");
            Assert.Equal(windows.Select(n => Path.Combine(folder, n)), TorchSetup.CudaLibraries(folder, OSPlatform.Windows));

            // A CPU build has no torch_cuda: not a CUDA folder.
            File.Delete(Path.Combine(folder, "libtorch_cuda.so"));
            Assert.Empty(TorchSetup.CudaLibraries(folder, OSPlatform.Linux));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void ThisMachinesBuildHasNoCudaAndTheSetupChoseTheCpu()
    {
        // CI serves no CUDA package: the tests' LibTorch is the CPU build, and without the setting the setup is silent.
        TorchSetup.Initialize();
        Assert.NotNull(TorchSetup.Choice);
        if (!string.Equals(Environment.GetEnvironmentVariable(DeviceChoice.Variable)?.Trim(), "cuda", StringComparison.OrdinalIgnoreCase))
            Assert.Equal(new DeviceChoice(DeviceType.CPU, null), TorchSetup.Choice);
        if (TorchSetup.CudaNativeFolder() is null) Assert.Equal(DeviceType.CPU, TorchSetup.Choice!.Device);
        if (TorchSetup.Choice!.Device == DeviceType.CPU) Assert.Equal(DeviceType.CPU, Devices.TryGpu().type);
    }
}

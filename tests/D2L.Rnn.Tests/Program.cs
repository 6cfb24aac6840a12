namespace D2L.Rnn.Tests;

/// <summary>
/// The test assembly as a program, for the tests that kill a training process (RunCheckpointKillTests):
/// <c>dotnet D2L.Rnn.Tests.dll train RUN OUTPUT [CHECKPOINT [--pause-in-write N]]</c> trains <see cref="ResumableRuns"/>'
/// run RUN (with a run checkpoint every 5 minibatches when CHECKPOINT is given, continuing from it when it exists),
/// prints <c>writing N</c> halfway through writing its Nth checkpoint (with <c>--pause-in-write N</c> it waits there to be
/// killed), and writes its report lines and weights to the folder OUTPUT. The test host never calls Main.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args is not ["train", var run, var output, .. var rest]) return 2;
        var checkpoint = rest is [var path, ..] ? new RunCheckpointOptions(path) { EveryMinibatches = 5 } : null;
        var pauseAt = rest is [_, "--pause-in-write", var n] ? int.Parse(n) : 0;
        var writes = 0;
        RunCheckpointFile.WhileWriting = () =>
        {
            writes++;
            Console.WriteLine($"writing {writes}{(writes == pauseAt ? " (paused)" : "")}");
            if (writes == pauseAt) Thread.Sleep(Timeout.Infinite);
        };
        TorchSharp.torch.set_num_threads(1);
        var result = ResumableRuns.Train(run, checkpoint);
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "reports.txt"), result.Reports);
        File.WriteAllBytes(Path.Combine(output, "weights.bin"), result.WeightBits.SelectMany(BitConverter.GetBytes).ToArray());
        Console.WriteLine(result.Result.ContinuedFrom is { } from ? $"continued from {from}" : "started afresh");
        return 0;
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;

namespace D2L.Rnn.Tests;

/// <summary>
/// A training process killed with SIGKILL — while writing its first checkpoint, during an epoch, while writing a later
/// checkpoint — and started again each time ends with the same weights, bit for bit, and the same reports as a process
/// that was never interrupted, on the fast path and on the reference path (with dropout, whose masks come from
/// libtorch's random generator). The processes are this test assembly run as a program (<see cref="Program"/>).
/// </summary>
[Trait("Category", "Slow")]
public sealed class RunCheckpointKillTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);
    private readonly string _folder = Directory.CreateTempSubdirectory("d2l-run-kill-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("fast-lstm")]
    [InlineData("reference-gru-dropout")]
    public void ARunKilledAnywhereAndContinuedEndsAsARunNeverInterrupted(string run)
    {
        var whole = Path.Combine(_folder, "whole");
        Assert.Contains("started afresh", Child.Start(run, whole).WaitForSuccess());

        var path = Path.Combine(_folder, "run.ckpt");
        var output = Path.Combine(_folder, "continued");
        // Killed halfway through writing its first checkpoint: none is in place, only the temporary file.
        using (var child = Child.Start(run, output, path, "--pause-in-write", "1"))
            child.KillAt("writing 1 (paused)");
        Assert.False(File.Exists(path));
        Assert.Single(Directory.GetFiles(_folder, "run.ckpt.*.tmp"));

        // Killed during the second epoch, halfway through its seventh checkpoint: the sixth, within that epoch, is in place.
        // (Each kill waits for a paused child: a child killed "some milliseconds after" a line may already have finished.)
        using (var child = Child.Start(run, output, path, "--pause-in-write", "7"))
            child.KillAt("writing 7 (paused)");
        var duringEpoch = Position(path);
        Assert.True(duringEpoch.FinishedEpochs >= 1, $"killed at {duringEpoch}");

        // Killed halfway through writing its second checkpoint: the first is in place, intact.
        using (var child = Child.Start(run, output, path, "--pause-in-write", "2"))
            child.KillAt("writing 2 (paused)");
        var beforeLastKill = Position(path);
        Assert.NotEqual(duringEpoch, beforeLastKill);

        Assert.Contains($"continued from {beforeLastKill}", Child.Start(run, output, path).WaitForSuccess());
        Assert.Equal(File.ReadAllText(Path.Combine(whole, "reports.txt")), File.ReadAllText(Path.Combine(output, "reports.txt")));
        Assert.True(File.ReadAllBytes(Path.Combine(whole, "weights.bin")).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(output, "weights.bin"))),
            "The weights differ from those of the run that was never interrupted.");
        Assert.Empty(Directory.GetFiles(_folder, "run.ckpt.*.tmp")); // the killed writers' temporary files are gone
    }

    private static RunPosition Position(string path)
    {
        var (header, body) = RunCheckpointFile.Read(path); // intact, or it throws
        body.Dispose();
        return new RunPosition(header.Reports.Length, header.Minibatches);
    }

    /// <summary>This assembly run as a program (<see cref="Program"/>), its output lines collected as they come.</summary>
    private sealed class Child : IDisposable
    {
        private readonly Process _process;
        private readonly BlockingCollection<string> _lines = [];
        private readonly ConcurrentQueue<string> _all = new();

        private Child(Process process) => _process = process;

        public static Child Start(params string[] args)
        {
            var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
            var info = new ProcessStartInfo(dotnet, [typeof(Program).Assembly.Location, "train", .. args])
            {
                RedirectStandardOutput = true, RedirectStandardError = true,
            };
            var child = new Child(new Process { StartInfo = info });
            child._process.Start();
            // Threads of their own, not the thread pool's callbacks: with the pool busy (tests run side by side on two
            // cores), a line could arrive after the child had finished, too late to kill it mid-run.
            child._readers = [child.Read(child._process.StandardOutput), child.Read(child._process.StandardError)];
            return child;
        }

        private Thread[] _readers = [];

        private Thread Read(StreamReader stream)
        {
            var reader = new Thread(() =>
            {
                while (stream.ReadLine() is { } line)
                {
                    _all.Enqueue(line);
                    _lines.Add(line);
                }
            }) { IsBackground = true };
            reader.Start();
            return reader;
        }

        private bool OutputEnded => _readers.All(r => !r.IsAlive);

        /// <summary>Waits for <paramref name="line"/>, then sends SIGKILL.</summary>
        public void KillAt(string line)
        {
            var deadline = DateTime.UtcNow + Patience;
            while (true)
            {
                Assert.False(OutputEnded && _lines.Count == 0,
                    $"The child exited (code {(_process.WaitForExit(1_000) ? _process.ExitCode : "unknown")}) before printing '{line}':\n{Output}");
                if (_lines.TryTake(out var next, TimeSpan.FromMilliseconds(200)) && next == line) break;
                Assert.True(DateTime.UtcNow < deadline, $"No '{line}' in {Patience}:\n{Output}");
            }
            _process.Kill(); // SIGKILL on Linux and macOS: no finally block, no flush
            _process.WaitForExit();
        }

        /// <summary>Waits for the child to finish, asserts exit code 0, returns what it printed.</summary>
        public string WaitForSuccess()
        {
            using (this)
            {
                Assert.True(_process.WaitForExit(Patience), $"The child did not finish in {Patience}:\n{Output}");
                foreach (var reader in _readers) reader.Join(); // the output's last lines
                Assert.True(_process.ExitCode == 0, $"The child exited with {_process.ExitCode}:\n{Output}");
                return Output;
            }
        }

        private string Output => string.Join("\n", _all);

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill();
            _process.Dispose();
        }
    }
}

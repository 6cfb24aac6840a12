using System.Diagnostics;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>Runs a command to completion and returns its exit code and everything it printed.</summary>
public static class Processes
{
    public static (int Exit, string Output) Run(string cwd, TimeSpan timeout, string exe, string[] args, params (string Name, string Value)[] env)
    {
        var info = new ProcessStartInfo(exe, args) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in env) info.Environment[name] = value;
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout)) { p.Kill(true); throw new TimeoutException($"{exe} {string.Join(' ', args)} did not finish in {timeout}."); }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}

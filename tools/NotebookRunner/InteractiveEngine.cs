using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace NotebookRunner;

/// <summary>
/// The real notebook engine, driven the way VS Code drives it: <c>dotnet interactive stdio</c> (the local tool
/// pinned in .config/dotnet-tools.json) started in the notebook's folder, one SubmitCode command per cell, and
/// the kernel events read back. Display updates replace the output with the same display id, as VS Code does.
/// </summary>
public sealed class InteractiveEngine : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<JsonObject> _events = Channel.CreateUnbounded<JsonObject>();
    private readonly List<CellResult> _history = [];
    private readonly Task _reader;
    private int _submissions;

    private InteractiveEngine(Process process)
    {
        _process = process;
        _reader = Task.Run(ReadEventsAsync);
    }

    /// <summary>
    /// "dotnet-interactive &lt;version&gt;" as pinned in the tool manifest (.config/dotnet-tools.json) that
    /// <c>dotnet tool run</c> finds from <paramref name="workingDirectory"/> upward; the manifest is the one place that
    /// names the version.
    /// </summary>
    public static string Version(string workingDirectory)
    {
        for (var dir = new DirectoryInfo(workingDirectory); dir is not null; dir = dir.Parent)
        {
            var manifest = Path.Combine(dir.FullName, ".config", "dotnet-tools.json");
            if (!File.Exists(manifest)) continue;
            var version = (string?)JsonNode.Parse(File.ReadAllText(manifest))?["tools"]?["microsoft.dotnet-interactive"]?["version"];
            if (version is not null) return $"dotnet-interactive {version}";
        }
        throw new InvalidOperationException($"No tool manifest pinning microsoft.dotnet-interactive above '{workingDirectory}'.");
    }

    /// <summary>Starts the engine with <paramref name="workingDirectory"/> as its current directory.</summary>
    public static async Task<InteractiveEngine> StartAsync(string workingDirectory, TimeSpan timeout)
    {
        var info = new ProcessStartInfo("dotnet", ["tool", "run", "dotnet-interactive", "--", "stdio"])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start dotnet-interactive.");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var engine = new InteractiveEngine(process);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var e = await engine._events.Reader.ReadAsync(cts.Token);
                if ((string?)e["eventType"] == "KernelReady") return engine;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            await engine.DisposeAsync();
            throw new InvalidOperationException(
                $"dotnet-interactive did not become ready within {timeout.TotalSeconds:F0} s. Run 'dotnet tool restore' in the repository first.", ex);
        }
    }

    /// <summary>The events of every cell run so far.</summary>
    public IReadOnlyList<CellResult> History => _history;

    /// <summary>Runs one code cell and returns its outputs; <paramref name="onOutput"/> sees stdout text as it arrives.</summary>
    public async Task<CellResult> RunAsync(NotebookCell cell, TimeSpan timeout, Action<string>? onOutput = null)
    {
        var result = new CellResult { Cell = cell, ExecutionCount = ++_submissions };
        _history.Add(result);
        var token = $"cell-{_submissions}-{Guid.NewGuid():N}";
        var envelope = new JsonObject
        {
            ["token"] = token,
            ["commandType"] = "SubmitCode",
            ["command"] = new JsonObject { ["code"] = cell.Source, ["targetKernelName"] = cell.KernelName },
        };
        var timer = Stopwatch.StartNew();
        await _process.StandardInput.WriteLineAsync(envelope.ToJsonString());
        await _process.StandardInput.FlushAsync();

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var e = await _events.Reader.ReadAsync(cts.Token);
                var commandToken = (string?)e["command"]?["token"];
                if (commandToken is null || !(commandToken == token || commandToken.StartsWith(token + "."))) continue;
                result.Events.Add(e);
                var type = (string?)e["eventType"];
                var ev = e["event"] as JsonObject;
                if (commandToken == token && type is "CommandSucceeded" or "CommandFailed")
                {
                    result.Succeeded = type == "CommandSucceeded";
                    if (!result.Succeeded)
                    {
                        result.Error = (string?)ev?["message"];
                        result.Outputs.Add(new CellOutput { Kind = "error", Text = result.Error ?? "failed" });
                    }
                    break;
                }
                Fold(result, type, ev, onOutput);
            }
        }
        catch (OperationCanceledException)
        {
            result.Succeeded = false;
            result.Error = $"The cell did not finish within {timeout}.";
            result.Outputs.Add(new CellOutput { Kind = "error", Text = result.Error });
        }
        catch (ChannelClosedException)
        {
            result.Succeeded = false;
            result.Error = "The notebook engine exited.";
            result.Outputs.Add(new CellOutput { Kind = "error", Text = result.Error });
        }
        result.Duration = timer.Elapsed;
        return result;
    }

    private void Fold(CellResult result, string? type, JsonObject? ev, Action<string>? onOutput)
    {
        if (ev is null) return;
        var data = (ev["formattedValues"] as JsonArray ?? [])
            .Where(f => f is not null && (bool?)f["suppressDisplay"] != true)
            .GroupBy(f => (string)f!["mimeType"]!)
            .ToDictionary(g => g.Key, g => (string?)g.First()!["value"] ?? "");
        var id = (string?)ev["valueId"];
        switch (type)
        {
            case "DisplayedValueProduced" or "ReturnValueProduced":
                var display = new CellOutput { Kind = "display", DisplayId = id, Data = data };
                if (data.Count > 0 && !EngineNoise.IsNoise(display)) result.Outputs.Add(display);
                break;
            case "DisplayedValueUpdated":
                // Replace the output that carries the same id, wherever it is; an unknown id shows as a new output.
                var target = _history.AsEnumerable().Reverse().SelectMany(r => r.Outputs).FirstOrDefault(o => o.DisplayId == id && id is not null);
                if (target is null) result.Outputs.Add(new CellOutput { Kind = "display", DisplayId = id, Data = data });
                else
                {
                    target.Data = data;
                    target.Updates++;
                }
                break;
            case "StandardOutputValueProduced" or "StandardErrorValueProduced":
                var kind = type.StartsWith("StandardOutput") ? "stdout" : "stderr";
                var text = data.GetValueOrDefault("text/plain", "");
                onOutput?.Invoke(text);
                if (result.Outputs.Count > 0 && result.Outputs[^1].Kind == kind) result.Outputs[^1].Text += text;
                else result.Outputs.Add(new CellOutput { Kind = kind, Text = text });
                break;
        }
    }

    private async Task ReadEventsAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (!line.StartsWith('{')) continue; // the engine's welcome banner
                JsonObject? e;
                try { e = JsonNode.Parse(line) as JsonObject; }
                catch (JsonException) { continue; }
                if (e?["eventType"] is not null) await _events.Writer.WriteAsync(e);
            }
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000)) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { }
        await _reader.ConfigureAwait(false);
        _process.Dispose();
    }
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace D2L.Rnn;

/// <summary>
/// Keeps the run checkpoint of an <see cref="EpochLoop"/> (<see cref="TrainOptions.RunCheckpoint"/>): writes all the run
/// needs to go on, and, when the file exists, puts a fresh run where the saved one stood — weights, the last finished
/// epoch's and the best weights, the optimizer's state, the schedule (stepped again as often as it was), the loader's
/// draws, the carried hidden state, libtorch's random generator (dropout) and the reports.
/// </summary>
internal sealed class RunCheckpointer
{
    private readonly RunCheckpointOptions _options;
    private readonly EpochLoop _loop;
    private readonly IRewindableLoader _loader;
    private readonly WeightSnapshot _lastFinished;
    private readonly BestWeights _best;
    private readonly optim.lr_scheduler.LRScheduler? _schedule;
    private readonly IReadOnlyList<(string Name, string Value)> _facts;
    private RunPosition? _saved;

    public RunCheckpointer(RunCheckpointOptions options, EpochLoop loop, WeightSnapshot lastFinished, BestWeights best,
        optim.lr_scheduler.LRScheduler? schedule)
    {
        _options = options;
        _loop = loop;
        _loader = loop.Data as IRewindableLoader
                  ?? throw new ArgumentException("A run checkpoint needs one of the library's loaders, whose draws it can repeat.");
        if (loop.Update.Optimizer is { } optimizer and not OptimizerHelper)
            throw new ArgumentException(
                $"A run checkpoint cannot save the state of a {optimizer.GetType().Name} optimizer: use one of TorchSharp's own " +
                "(optim.SGD, optim.Adam, …), or no RunCheckpoint.", nameof(TrainOptions.RunCheckpoint));
        _lastFinished = lastFinished;
        _best = best;
        _schedule = schedule;
        _facts = [.. loop.RunFacts, .. _loader.Identity, .. RunIdentity.Of(loop.Options, loop.Update.Optimizer, schedule)];
    }

    /// <summary>Whether a checkpoint is due after <paramref name="minibatch"/> of an epoch.</summary>
    public bool IsDue(int minibatch) => _options.EveryMinibatches > 0 && minibatch % _options.EveryMinibatches == 0;

    /// <summary>Writes where <paramref name="progress"/> stands (unless that was the last one written).</summary>
    public void Save(RunProgress progress)
    {
        if (progress.Position == _saved) return;
        using var scope = NewDisposeScope();
        // The state matters only within an epoch of sequential sampling: every epoch starts from a fresh one.
        using var state = progress.Minibatches > 0 && !_loop.FreshStateEveryMinibatch ? _loop.Step.CopyCarriedState() : null;
        var header = new RunCheckpointHeader(
            _facts.ToDictionary(f => f.Name, f => f.Value), [.. progress.Reports.Select(SavedEpochReport.Of)],
            progress.Minibatches, progress.LossSum, progress.Tokens, progress.Seconds, [.. progress.GradientNorms],
            _loop.Update.LearningRate, _loader.Seed, progress.LoaderEpochs, _best.State,
            _best.Copy is not null, state is null ? "none" : state.Cell is null ? "hidden" : "hidden and cell",
            _loop.Update.Optimizer is not null);
        RunCheckpointFile.Write(_options.Path, header, writer =>
        {
            foreach (var p in _loop.Parameters) p.Save(writer);
            foreach (var p in _lastFinished.Copies) p.Save(writer);
            foreach (var p in _best.Copy?.Copies ?? []) p.Save(writer);
            state?.Hidden.Save(writer);
            state?.Cell?.Save(writer);
            get_rng_state().Save(writer);
            (_loop.Update.Optimizer as OptimizerHelper)?.save_state_dict(writer);
        });
        _saved = progress.Position;
    }

    /// <summary>
    /// When the file exists: checks that it is this run's, restores everything into the run and
    /// <paramref name="progress"/>, and returns where it stood; else null (the run starts afresh).
    /// </summary>
    /// <exception cref="CheckpointException">The file is damaged, or of another run (each difference named).</exception>
    public RunPosition? Continue(RunProgress progress)
    {
        var path = _options.Path;
        AtomicFile.RemoveLeftovers(path);
        if (!File.Exists(path)) return null;
        var (header, body) = RunCheckpointFile.Read(path);
        using var reader = body;
        EnsureSameRun(header);
        var finished = header.Reports.Length;
        if (finished + (header.Minibatches > 0 ? 1 : 0) > _loop.Options.NumEpochs)
            throw new ArgumentException(
                $"NumEpochs is {_loop.Options.NumEpochs}, and the run checkpoint '{path}' is at {new RunPosition(finished, header.Minibatches)}: " +
                $"continue it with NumEpochs of at least {finished + (header.Minibatches > 0 ? 1 : 0)}.", nameof(TrainOptions.NumEpochs));
        try
        {
            Restore(header, reader);
        }
        catch (Exception e) when (e is not CheckpointException and not OutOfMemoryException)
        {
            throw new CheckpointException($"'{path}' does not fit this run: {e.Message}", e);
        }
        progress.Reports.AddRange(header.Reports.Select(r => r.ToReport()));
        progress.Minibatches = header.Minibatches;
        progress.LossSum = header.LossSum;
        progress.Tokens = header.Tokens;
        progress.Seconds = header.Seconds;
        progress.GradientNorms.AddRange(header.GradientNorms);
        progress.LoaderEpochs = header.LoaderEpochs;
        return _saved = progress.Position;
    }

    private void EnsureSameRun(RunCheckpointHeader header)
    {
        var differences = _facts
            .Select(f => (f.Name, File: header.Run.GetValueOrDefault(f.Name, "(not recorded)"), This: f.Value))
            .Where(f => f.File != f.This)
            .Select(f => $"{f.Name}: {f.File} in the file, {f.This} in this run")
            .ToList();
        if (_loader.SeedGiven && _loader.Seed != header.LoaderSeed)
            differences.Add($"loader seed: {header.LoaderSeed} in the file, {_loader.Seed} in this run");
        if (differences.Count > 0)
            throw new CheckpointException(
                $"'{_options.Path}' is the run checkpoint of another run: {string.Join("; ", differences)}. Continue with the " +
                "settings it was written with, or give this run a RunCheckpoint path of its own (or delete the file to start afresh).");
    }

    private void Restore(RunCheckpointHeader header, BinaryReader reader)
    {
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            foreach (var p in _loop.Parameters) p.Load(reader);
            foreach (var p in _lastFinished.Copies) p.Load(reader);
            foreach (var p in _best.Copy?.Copies ?? []) p.Load(reader);
        }
        _best.State = header.Best;
        var hidden = header.CarriedState != "none" ? CpuTensor.Load(reader) : null;
        var cell = header.CarriedState == "hidden and cell" ? CpuTensor.Load(reader) : null;
        set_rng_state(CpuTensor.Load(reader));

        // The schedule is stepped again as often as the saved run stepped it (after every finished epoch), on the fresh
        // optimizer: it must arrive at the saved rate. Then the optimizer takes its saved state (moments, step counts).
        for (var epoch = 0; epoch < header.Reports.Length; epoch++) _schedule?.step();
        if (_loop.Update.LearningRate != header.LearningRate)
            throw new CheckpointException(
                $"'{_options.Path}' trained epoch {header.Reports.Length + 1} at learning rate {RunIdentity.Number(header.LearningRate)}, and this " +
                $"run's schedule gives {RunIdentity.Number(_loop.Update.LearningRate)} there: it is another schedule.");
        if (header.HasOptimizer) ((OptimizerHelper)_loop.Update.Optimizer!).load_state_dict(reader);

        _loop.Step.WeightsRestored();
        if (hidden is not null) _loop.Step.RestoreCarriedState(new RnnState(hidden, cell));
        _loader.Rewind(header.LoaderSeed, header.LoaderEpochs);
    }
}

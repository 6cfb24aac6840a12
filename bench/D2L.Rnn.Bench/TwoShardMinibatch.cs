using D2L.Rnn;
using static TorchSharp.torch;

namespace D2L.Rnn.Bench;

/// <summary>
/// The fast path's minibatch on two cores, rebuilt from its parts to time where the update runs: two threads each
/// run a shard's products single-threaded (a one-layer RNN's, 16 sequences of 35 steps, 256 hidden units, vocabulary
/// 28: forward, output, back through time, weight gradients), then the update (the shards' gradient sum, d2l's
/// clipping and TorchSharp's SGD on that RNN's parameters) runs either on shard thread 0, single-threaded, as
/// <c>FastTrainingStep.Update</c> does, or on the calling thread with its intra-op threads.
/// </summary>
internal sealed class TwoShardMinibatch : IDisposable
{
    private const int Shards = 2, Batch = 16, Steps = 35, Hiddens = 256, Vocab = 28;
    private readonly Barrier _barrier = new(Shards + 1); // the shard threads and the caller
    private readonly Thread[] _threads;
    private readonly Shard[] _shards;
    private readonly RNNModel _model = new(new ModelConfig(CellKind.Rnn, Vocab, Hiddens));
    private readonly Tensor[] _gradients;                 // per shard, one flat buffer of all parameters
    private readonly TorchSharp.Modules.Parameter[] _parameters;
    private readonly optim.Optimizer _optimizer;
    private volatile bool _updateOnShard, _stopping;

    public TwoShardMinibatch()
    {
        _parameters = _model.parameters().ToArray();
        var size = _parameters.Sum(p => p.numel());
        _gradients = Enumerable.Range(0, Shards).Select(_ => randn(size).mul_(1e-3).DetachFromDisposeScope()).ToArray();
        // The optimizer reads shard 0's buffer as the parameters' gradients, as in FastTrainingStep.
        long offset = 0;
        foreach (var p in _parameters)
        {
            p.grad = _gradients[0].narrow(0, offset, p.numel()).view(p.shape).DetachFromDisposeScope();
            offset += p.numel();
        }
        _optimizer = optim.SGD(_parameters, 1e-6);
        var weightHh = _model.Rnn.named_parameters().Single(p => p.name == "weight_hh_l0").parameter;
        _shards = Enumerable.Range(0, Shards).Select(_ => new Shard(weightHh.detach(), _model.Linear.weight!.detach())).ToArray();
        _threads = Enumerable.Range(0, Shards).Select(i => new Thread(() => Loop(i)) { IsBackground = true }).ToArray();
        foreach (var t in _threads) t.Start();
    }

    /// <summary>One minibatch: both shards' work, then the update on shard 0 or on the calling thread.</summary>
    public void Run(bool updateOnShard)
    {
        _updateOnShard = updateOnShard;
        _barrier.SignalAndWait(); // the shards start
        _barrier.SignalAndWait(); // the shards are done
        if (!updateOnShard) Update();
        _barrier.SignalAndWait(); // the update is done
    }

    private void Loop(int shard)
    {
        set_num_threads(1);
        using var noGrad = no_grad();
        while (true)
        {
            _barrier.SignalAndWait();
            if (_stopping) return;
            using (NewDisposeScope()) _shards[shard].Work();
            _barrier.SignalAndWait();
            if (shard == 0 && _updateOnShard) Update();
            _barrier.SignalAndWait();
        }
    }

    private void Update()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        for (var s = 1; s < Shards; s++) _gradients[0].add_(_gradients[s]);
        GradClipping.Clip(_parameters, 1);
        _optimizer.step();
    }

    public void Dispose()
    {
        _stopping = true;
        _barrier.SignalAndWait(); // lets the shard threads see it
        foreach (var t in _threads) t.Join();
        _barrier.Dispose();
        foreach (var s in _shards) s.Dispose();
        foreach (var p in _parameters) p.grad = null;
        foreach (var g in _gradients) g.Dispose();
        _model.Dispose();
    }

    /// <summary>A shard's buffers and its products, in the order of <c>FastRnnLayer</c> and <c>FastOutput</c>.</summary>
    private sealed class Shard : IDisposable
    {
        private readonly Tensor _weightHh, _weightHhT, _weightOut;
        private readonly Tensor _h = zeros(Steps + 1, Batch, Hiddens).DetachFromDisposeScope();
        private readonly Tensor _dh = zeros(Steps, Batch, Hiddens).DetachFromDisposeScope();
        private readonly Tensor _dAct = zeros(Steps, Batch, Hiddens).fill_(0.25f).DetachFromDisposeScope();
        private readonly Tensor _gradHh = zeros(Hiddens, Hiddens).DetachFromDisposeScope();
        private readonly Tensor _gradOut = zeros(Vocab, Hiddens).DetachFromDisposeScope();
        private readonly Tensor _bias = zeros(Vocab, 1).DetachFromDisposeScope();
        private readonly Tensor _ones = ones(Steps * Batch).DetachFromDisposeScope();
        private readonly Tensor[] _hAt, _dhAt, _dActAt; // per-step views, made once as the fast path's layers do

        public Shard(Tensor weightHh, Tensor weightOut)
        {
            (_weightHh, _weightOut) = (weightHh, weightOut);
            _weightHhT = weightHh.t().DetachFromDisposeScope();
            (_hAt, _dhAt, _dActAt) = (Views(_h), Views(_dh), Views(_dAct));
        }

        public void Work()
        {
            for (var t = 1; t <= Steps; t++) _hAt[t].addmm_(_hAt[t - 1], _weightHhT, 0, 1).sigmoid_();
            var hOut = _h.narrow(0, 1, Steps).view(-1, Hiddens);
            var hIn = _h.narrow(0, 0, Steps).view(-1, Hiddens);
            var dScores = addmm(_bias, _weightOut, hOut.t(), 1, 1).log_softmax(0).exp_();
            _gradOut.addmm_(dScores, hOut, 0, 1);
            var dh = _dh.view(-1, Hiddens).addmm_(dScores.t(), _weightOut, 0, 1);
            for (var t = Steps; t >= 1; t--)
            {
                var dz = _dhAt[t - 1].mul_(_dActAt[t - 1]);
                if (t > 1) _dhAt[t - 2].addmm_(dz, _weightHh);
            }
            _gradHh.addmm_(dh.t(), hIn, 0, 1);
            dh.t().mv(_ones);
        }

        private static Tensor[] Views(Tensor steps) =>
            Enumerable.Range(0, (int)steps.shape[0]).Select(t => steps[t].DetachFromDisposeScope()).ToArray();

        public void Dispose()
        {
            foreach (var t in _hAt.Concat(_dhAt).Concat(_dActAt)) t.Dispose();
            foreach (var t in new[] { _weightHhT, _h, _dh, _dAct, _gradHh, _gradOut, _bias, _ones }) t.Dispose();
        }
    }
}

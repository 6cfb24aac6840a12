using TorchSharp;
using static TorchSharp.torch;

namespace D2L.Rnn.Bench;

/// <summary>
/// <c>--micro</c>: the choices the fast path's code makes (FastPath/*.cs), each timed against the alternative it
/// avoids, side by side, with the shapes it uses: a shard of 16 sequences, 256 hidden units, 35 steps, vocabulary 28,
/// single-threaded libtorch (as on a shard thread). Three lines per choice: <c>micro.&lt;what&gt;.&lt;chosen&gt;</c> and
/// <c>micro.&lt;what&gt;.&lt;alternative&gt;</c> (time per call) and <c>micro.&lt;what&gt;.alternative_over_chosen</c>
/// (above 1: the choice is the faster).
/// </summary>
internal static class MicroBench
{
    private const int Batch = 16, Hiddens = 256, Steps = 35, Vocab = 28;
    private const int Rows = Steps * Batch; // a shard's time-major rows

    public static void Run(Reporter report, bool quick)
    {
        var budget = quick ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(2);
        var threads = get_num_threads();
        set_num_threads(1);
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            manual_seed(1);
            var compare = new Comparer(report, budget);
            Activations(compare);
            ScalarArguments(compare);
            GruInputWeightGradient(compare);
            Sums(compare);
            OutputLayout(compare);
        }
        finally
        {
            set_num_threads(threads);
        }
        UpdateThread(report, quick ? TimeSpan.FromMilliseconds(400) : TimeSpan.FromSeconds(4));
    }

    // tanh z = 2σ(2z) − 1 (FastRnnLayer, FastGruLayer, FastLstmLayer).
    private static void Activations(Comparer compare)
    {
        foreach (var width in new[] { Hiddens, 4 * Hiddens })
        {
            var (s, t) = (randn(Batch, width), randn(Batch, width));
            compare.Time($"sigmoid_vs_tanh.{Batch}x{width}", "sigmoid", () => s.sigmoid_(), "tanh", () => t.tanh_(),
                "in place, one call");
        }
        // The LSTM's tanh(cₜ) as written, against tanh itself; both copy cₜ first, as the LSTM does.
        var (two, one) = (tensor(2f), tensor(1f));
        var (c, y) = (randn(Batch, Hiddens), empty(Batch, Hiddens));
        compare.Time($"tanh_through_sigmoid.{Batch}x{Hiddens}", "two_sigmoid_two_minus_one",
            () => y.copy_(c).mul_(two).sigmoid_().mul_(two).sub_(one), "tanh", () => y.copy_(c).tanh_(),
            "y = 2 sigmoid(2c) - 1 against y = tanh(c), each after y.copy_(c)");
        // The LSTM's four gates: one σ over all four (g doubled before and mapped back after) against σ on i, f, o
        // and tanh on g. Both start from fresh gate arguments, as after the step's product.
        var (arguments, gates) = (randn(Batch, 4 * Hiddens), empty(Batch, 4 * Hiddens));
        var (ifGates, g, o) = (gates.narrow(1, 0, 2 * Hiddens), gates.narrow(1, 2 * Hiddens, Hiddens), gates.narrow(1, 3 * Hiddens, Hiddens));
        compare.Time($"lstm_gates.{Batch}x{4 * Hiddens}", "one_sigmoid",
            () => { gates.copy_(arguments); g.mul_(two); gates.sigmoid_(); g.mul_(two).sub_(one); },
            "sigmoid_and_tanh", () => { gates.copy_(arguments); ifGates.sigmoid_(); g.tanh_(); o.sigmoid_(); },
            "one sigmoid_ over [i, f, g, o] with g doubled before and mapped back after, against sigmoid_ on i, f, o " +
            "and tanh_ on g; each after a copy of the arguments");
    }

    // FastConstants: Scalars made once, against a number converted to a Scalar at every call.
    private static void ScalarArguments(Comparer compare)
    {
        var (x, a, b) = (zeros(Batch, Hiddens), randn(Batch, Hiddens), randn(Batch, Hiddens));
        Scalar cached = 1f;
        compare.Time($"scalar_argument.addcmul_{Batch}x{Hiddens}", "cached_scalar", () => x.addcmul_(a, b, cached),
            "number_per_call", () => x.addcmul_(a, b, 1f), "x.addcmul_(a, b, value)");
    }

    // FastGruLayer.Backward, first layer: ∂W_ihᵀ (vocab, 3H) from the gate gradients [∂r̂, ∂ẑ, ∂a, ∂n̂] by token.
    private static void GruInputWeightGradient(Comparer compare)
    {
        long h = Hiddens;
        var tokens = randint(Vocab, Rows, dtype: ScalarType.Int64);
        var dGates = randn(Rows, 4 * h);
        var byToken = zeros(Vocab, 4 * h);
        var weightIhT = zeros(Vocab, 3 * h);
        compare.Time($"gru_input_weight_gradient.{Rows}x{4 * h}", "rows_then_blocks", () =>
            {
                byToken.zero_().index_add_(0, tokens, dGates, 1);
                weightIhT.narrow(1, 0, 2 * h).copy_(byToken.narrow(1, 0, 2 * h));
                weightIhT.narrow(1, 2 * h, h).copy_(byToken.narrow(1, 3 * h, h));
            },
            "strided_blocks", () =>
            {
                weightIhT.zero_();
                weightIhT.narrow(1, 0, 2 * h).index_add_(0, tokens, dGates.narrow(1, 0, 2 * h), 1);
                weightIhT.narrow(1, 2 * h, h).index_add_(0, tokens, dGates.narrow(1, 3 * h, h), 1);
            },
            $"index_add_ of {Rows} rows into {Vocab} by token: whole rows then blocks [0, 1, 3], or the blocks themselves");
    }

    // Bias gradients: column sums of (rows, G) as a product with a vector of ones (FastLayer, FastGruLayer,
    // FastLstmLayer), and the output's row sums of (vocab, rows) the same way (FastOutput).
    private static void Sums(Comparer compare)
    {
        var ones = torch.ones(Rows);
        foreach (var width in new[] { Hiddens, 4 * Hiddens })
        {
            var (m, sum) = (randn(Rows, width), empty(width));
            compare.Time($"column_sums.{Rows}x{width}", "mv_ones", () => sum.copy_(m.t().mv(ones)), "sum0",
                () => sum.copy_(m.sum(0)), "into a preallocated (G) buffer");
        }
        var (scores, rowSum) = (randn(Vocab, Rows), empty(Vocab));
        compare.Time($"row_sums.{Vocab}x{Rows}", "mv_ones", () => rowSum.copy_(scores.mv(ones)), "sum1",
            () => rowSum.copy_(scores.sum(1)), "the output bias gradient, into a preallocated (vocab) buffer");
    }

    // FastOutput: scoresᵀ = W_out hᵀ + b_out, (vocab, rows), with log_softmax over dimension 0, against
    // scores = h W_outᵀ + b_out, (rows, vocab), with log_softmax over dimension 1.
    private static void OutputLayout(Comparer compare)
    {
        var h = randn(Rows, Hiddens);
        var weight = randn(Vocab, Hiddens).mul_(0.1);
        var bias = randn(Vocab);
        var biasColumn = bias.unsqueeze(1);
        var weightT = weight.t();
        compare.Time($"output_layout.{Vocab}x{Hiddens}x{Rows}", "vocab_major",
            () => addmm(biasColumn, weight, h.t(), 1, 1).log_softmax(0), "row_major",
            () => addmm(bias, h, weightT, 1, 1).log_softmax(1), "the output product and log_softmax of a shard");
    }

    // FastTrainingStep.Update: the gradient sum, clipping and SGD step on a shard thread, against on the caller with two
    // intra-op threads, each followed at once by the next minibatch's shards (TwoShardMinibatch).
    private static void UpdateThread(Reporter report, TimeSpan budget)
    {
        var threads = get_num_threads();
        set_num_threads(2);
        try
        {
            using var scope = NewDisposeScope();
            using var minibatch = new TwoShardMinibatch();
            var (shard, caller) = SideBySide.Microseconds(() => minibatch.Run(updateOnShard: true),
                () => minibatch.Run(updateOnShard: false), budget);
            const string note = "a minibatch on 2 shard threads (one-layer RNN, 16 sequences each), then the update";
            report.Emit("micro.update_thread.shard_thread", shard / 1000, "ms/minibatch", $"{note} on shard thread 0, single-threaded");
            report.Emit("micro.update_thread.caller_2_threads", caller / 1000, "ms/minibatch", $"{note} on the caller, 2 intra-op threads");
            report.Emit("micro.update_thread.alternative_over_chosen", caller / shard, "x", "caller_2_threads / shard_thread");
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    /// <summary>Times a choice against its alternative and prints the three lines.</summary>
    private sealed class Comparer(Reporter report, TimeSpan budget)
    {
        public void Time(string what, string chosenName, Action chosen, string alternativeName, Action alternative, string note)
        {
            var (c, a) = SideBySide.Microseconds(chosen, alternative, budget);
            report.Emit($"micro.{what}.{chosenName}", c, "us/call", $"the fast path's choice, single-threaded: {note}");
            report.Emit($"micro.{what}.{alternativeName}", a, "us/call", $"the alternative, single-threaded: {note}");
            report.Emit($"micro.{what}.alternative_over_chosen", a / c, "x", $"{alternativeName} / {chosenName}");
        }
    }
}

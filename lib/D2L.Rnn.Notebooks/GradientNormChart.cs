using System.Globalization;
using D2L.Rnn;
using Plotly.NET;
using Chart = Plotly.NET.CSharp.Chart;

namespace D2L.Rnn.Notebooks;

/// <summary>
/// Why clip: the global gradient norm of every minibatch before clipping (<see cref="EpochReport.GradientNorms"/>,
/// recorded with <see cref="TrainOptions.RecordGradientNorms"/>) over training, on a log axis, with the clipping
/// threshold θ as a horizontal line. Every point above the line was scaled down to θ.
/// </summary>
public static class GradientNormChart
{
    /// <summary>The chart's title.</summary>
    public const string Title = "Why clip: the gradient norm of every minibatch before clipping, against θ";

    /// <summary>The name of the gradient norms' line.</summary>
    public const string NormsName = "gradient norm of a minibatch";

    /// <summary>The name of θ's line (followed by its value).</summary>
    public const string ThetaName = "clipping threshold θ = ";

    /// <summary>
    /// Where each minibatch sits in training, in epochs, and its gradient norm: minibatch k (from 0) of an epoch of
    /// n minibatches is at <c>epoch − 1 + (k + 1) / n</c>, so epoch 3 ends at 3.
    /// </summary>
    public static (double[] Epochs, double[] Norms) Points(IEnumerable<EpochReport> epochs)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        var points = epochs.SelectMany(e => e.GradientNorms.Select((norm, k) => (X: e.Epoch - 1 + (k + 1.0) / e.GradientNorms.Count, Norm: norm))).ToList();
        if (points.Count == 0)
            throw new ArgumentException("No gradient norms were recorded: train with TrainOptions.RecordGradientNorms = true.", nameof(epochs));
        return (points.Select(p => p.X).ToArray(), points.Select(p => p.Norm).ToArray());
    }

    /// <summary>The chart of the recorded norms and of <paramref name="theta"/>.</summary>
    public static GenericChart Create(IEnumerable<EpochReport> epochs, double theta)
    {
        if (!(theta > 0) || double.IsInfinity(theta))
            throw new ArgumentOutOfRangeException(nameof(theta), theta, "θ must be a positive number (the training's ClipTheta).");
        var (x, norms) = Points(epochs);
        var normLine = Chart.Line<double, double, string>(x: x, y: norms, Name: NormsName, ShowLegend: true,
            LineColor: ChartStyle.Series(0), LineWidth: 1);
        var thetaLine = Chart.Line<double, double, string>(x: [0, x[^1]], y: [theta, theta],
            Name: ThetaName + theta.ToString(CultureInfo.InvariantCulture), ShowLegend: true,
            LineColor: ChartStyle.Series(1), LineWidth: 2, LineDash: StyleParam.DrawingStyle.Dash);
        // Ticks at powers of ten only, and the legend in one row above the plot, so the plot keeps the chart's width.
        var chart = ChartStyle.Titled(Chart.Combine([normLine, thetaLine]), Title, "epoch (one point per minibatch)",
            "gradient norm before clipping (L2, log scale)", width: 760, height: 440,
            yAxis: new Dictionary<string, object> { ["type"] = "log", ["dtick"] = 1 });
        return ChartStyle.WithLegendAbove(chart);
    }

    /// <summary>
    /// One line for the notebook: how many minibatches had a norm above θ (and were clipped), and by how much the
    /// norms exceeded it.
    /// </summary>
    public static string Summary(IEnumerable<EpochReport> epochs, double theta)
    {
        var (_, norms) = Points(epochs);
        var ratios = norms.Select(n => n / theta).Order().ToArray();
        var clipped = norms.Count(n => n > theta);
        return string.Create(CultureInfo.InvariantCulture,
            $"{clipped} of {norms.Length} minibatches had a gradient norm above θ = {theta} and were clipped; " +
            $"the norm was {ratios[0]:0.#} to {ratios[^1]:0.#} times θ (median {ratios[ratios.Length / 2]:0.#}).");
    }

    /// <summary>Shows <see cref="Create"/> as an output of the running cell (plotly.js through require.js).</summary>
    public static void Show(IEnumerable<EpochReport> epochs, double theta) =>
        ChartStyle.Show(Create(epochs, theta));
}

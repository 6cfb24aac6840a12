namespace D2L.Rnn.Notebooks.Tests;

public class LivePerplexityPlotTests
{
    private static EpochReport Epoch(int epoch, double perplexity, bool fromCheckpoint = false) =>
        new(epoch, 10, perplexity, 1, 1_000, new Dictionary<string, string>()) { FromRunCheckpoint = fromCheckpoint };

    [Fact]
    public void AContinuedRunsEpochsSentAgainReplaceThoseItHasInsteadOfDrawingTheCurveTwice()
    {
        var plot = LivePerplexityPlot.Show();
        plot.Add("GRU", Epoch(1, 9));
        plot.Add("GRU", Epoch(2, 7));
        // The run is stopped and continued: its two epochs come back from the run checkpoint, then it trains on.
        plot.Add("GRU", Epoch(1, 9, fromCheckpoint: true));
        plot.Add("GRU", Epoch(2, 7, fromCheckpoint: true));
        plot.Add("GRU", Epoch(3, 6));
        plot.Add("LSTM", Epoch(1, 10));
        Assert.Equal([1, 2, 3], plot.Curves["GRU"].Select(r => r.Epoch));
        Assert.Equal([9.0, 7, 6], plot.Curves["GRU"].Select(r => r.Perplexity));
        Assert.True(plot.Curves["GRU"][0].FromRunCheckpoint);
        Assert.Equal([1], plot.Curves["LSTM"].Select(r => r.Epoch));
    }
}

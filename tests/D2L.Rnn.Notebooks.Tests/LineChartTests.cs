using static TorchSharp.torch;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>Named lines on one chart (the sequence lesson's plots), and what a chart becomes outside a notebook.</summary>
public class LineChartTests
{
    [Fact]
    public void EveryLineIsATraceInItsOwnColourWithTitlesAndALegendAboveWhenThereAreSeveral()
    {
        TorchSetup.Initialize();
        using var t = arange(0, 5, dtype: float32);
        using var column = (t * 2).reshape(-1, 1);
        var chart = ChartJson.Of(LineChart.Create("A title", "time step t", "x",
            LineSeries.Of("data", t, t), LineSeries.Of("twice", t, column)));
        Assert.Equal(("A title", "time step t", "x"), (chart.Title, chart.XTitle, chart.YTitle));
        Assert.Equal(["data", "twice"], chart.Data.Select(d => (string?)d!["name"]));
        Assert.Equal([0, 2, 4, 6, 8], ChartJson.Numbers(chart.Trace("twice")["y"])); // a column is flattened
        Assert.Equal([ChartStyle.Rgba(ChartStyle.Palette[0]), ChartStyle.Rgba(ChartStyle.Palette[1])],
            chart.Data.Select(d => (string?)d!["line"]!["color"]));
        Assert.Equal("h", (string?)chart.Layout["legend"]!["orientation"]);

        var single = ChartJson.Of(LineChart.Create("One", "t", "x", new LineSeries("only", [0, 1], [1, 0])));
        Assert.False((bool)single.Data[0]!["showlegend"]!);
    }

    [Fact]
    public void MismatchedOrMissingPointsAreRefusedWithTheLinesName()
    {
        TorchSetup.Initialize();
        using var three = zeros(3);
        using var four = zeros(4);
        Assert.Contains("'data' has 3 x values (3) but 4 y values (4)", Assert.Throws<ArgumentException>(() => LineSeries.Of("data", three, four)).Message);
        Assert.Contains("'empty' has no points", Assert.Throws<ArgumentException>(() => new LineSeries("empty", [], [])).Message);
        Assert.Throws<ArgumentException>(() => LineChart.Create("t", "x", "y"));
    }

    [Fact]
    public void OutsideANotebookAChartGoesToAStandaloneFileNamedAfterItsTitle()
    {
        Assert.False(NotebookKernel.IsRunningCell);
        var folder = Repo.NewScratchFolder("app-output");
        var before = Console.Out;
        var printed = new StringWriter();
        Environment.SetEnvironmentVariable("D2L_OUTPUT_DIR", folder);
        try
        {
            Console.SetOut(printed);
            var title = "k steps ahead: every window starts from 4 true values";
            LineChart.Show(title, "t", "x", new LineSeries("a", [0, 1], [1, 2]));
            LineChart.Show(title, "t", "x", new LineSeries("b", [0, 1], [2, 1]));
            var name = $"{AppOutput.ProgramName}-k-steps-ahead";
            Assert.Equal([$"chart written to {name}.html", $"chart written to {name}-2.html"],
                printed.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')));
            var html = File.ReadAllText(Path.Combine(folder, name + ".html"));
            Assert.Equal(title, NotebookRunner.StaticChartImage.Title(html));
            Assert.DoesNotMatch("<script[^>]*src=", html); // plotly.js is inside
        }
        finally
        {
            Console.SetOut(before);
            Environment.SetEnvironmentVariable("D2L_OUTPUT_DIR", null);
            Directory.Delete(folder, true);
        }
    }
}

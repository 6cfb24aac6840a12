using static TorchSharp.torch;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>Hidden units over a passage: which units (the rule), and one row of coloured characters per unit.</summary>
public class HiddenStateChartTests
{
    // 4 steps × 5 units: unit 3 varies most, then units 1 and 4 (equal), unit 0 and 2 not at all.
    private static Tensor States() => tensor(new float[]
    {
        0, 0, 1, 0, 0,
        0, 1, 1, 4, 1,
        0, 0, 1, 0, 0,
        0, 1, 1, 4, 1,
    }, [4, 5]);

    [Fact]
    public void TheMostVariableUnitsComeFirstAndTiesGoToTheLowerIndex()
    {
        using var states = States();
        Assert.Equal([3, 1, 4], HiddenStateChart.MostVariableUnits(states, 3));
        Assert.Equal([3, 1, 4, 0, 2], HiddenStateChart.MostVariableUnits(states, 5));
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => HiddenStateChart.MostVariableUnits(states, 6)).ParamName);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => HiddenStateChart.MostVariableUnits(states, 0)).ParamName);
    }

    [Fact]
    public void EachUnitIsARowOfTheCharactersColouredByItsActivation()
    {
        using var states = States();
        var chart = ChartJson.Of(HiddenStateChart.Create("ab c", states, [3, 1]));
        Assert.Equal(HiddenStateChart.Title, chart.Title);
        var map = Assert.Single(chart.Data)!;
        Assert.Equal("heatmap", (string?)map["type"]);
        Assert.Equal(["unit 3", "unit 1"], map["y"]!.AsArray().Select(y => (string?)y));
        Assert.Equal("reversed", (string?)chart.Layout["yaxis"]!["autorange"]); // the first unit on top
        var z = map["z"]!.AsArray().Select(ChartJson.Numbers).ToList();
        Assert.Equal([[0, 4, 0, 4], [0, 1, 0, 1]], z);
        Assert.All(map["text"]!.AsArray(), row => Assert.Equal(["a", "b", " ", "c"], row!.AsArray().Select(t => (string?)t)));
        Assert.Equal("%{text}", (string?)map["texttemplate"]);
    }

    [Fact]
    public void BadInputIsNamed()
    {
        using var states = States();
        Assert.Equal("text", Assert.Throws<ArgumentException>(() => HiddenStateChart.Create("abc", states, [0])).ParamName);
        Assert.Equal("units", Assert.Throws<ArgumentOutOfRangeException>(() => HiddenStateChart.Create("abcd", states, [5])).ParamName);
        Assert.Equal("units", Assert.Throws<ArgumentException>(() => HiddenStateChart.Create("abcd", states, [])).ParamName);
        using var flat = zeros(4);
        Assert.Equal("states", Assert.Throws<ArgumentException>(() => HiddenStateChart.Create("abcd", flat, [0])).ParamName);
    }
}

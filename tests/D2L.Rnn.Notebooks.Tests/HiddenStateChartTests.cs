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
        Assert.Equal(["unit 3 (0 to 4)", "unit 1 (0 to 1)"], map["y"]!.AsArray().Select(y => (string?)y));
        Assert.Equal("reversed", (string?)chart.Layout["yaxis"]!["autorange"]); // the first unit on top
        // The colour: each row on its own range; the activations themselves are what hovering shows.
        Assert.Equal([[0, 1, 0, 1], [0, 1, 0, 1]], map["z"]!.AsArray().Select(ChartJson.Numbers).ToList());
        Assert.Equal([[0, 4, 0, 4], [0, 1, 0, 1]], map["customdata"]!.AsArray().Select(ChartJson.Numbers).ToList());
        Assert.Equal([0, 1], new[] { (double)map["zmin"]!, (double)map["zmax"]! });
        Assert.All(map["text"]!.AsArray(), row => Assert.Equal(["a", "b", " ", "c"], row!.AsArray().Select(t => (string?)t)));
        Assert.Equal("%{text}", (string?)map["texttemplate"]);
    }

    [Fact]
    public void ARowOfTanhValuesSpansItsOwnRangeAndAConstantRowIsBlank()
    {
        using var states = tensor(new float[] { -0.5f, 2, 0.5f, 2, 0, 2 }, [3, 2]);
        var map = ChartJson.Of(HiddenStateChart.Create("abc", states, [0, 1])).Data[0]!;
        Assert.Equal([[0, 1, 0.5], [0, 0, 0]], map["z"]!.AsArray().Select(ChartJson.Numbers).ToList());
        Assert.Equal(["unit 0 (-0.5 to 0.5)", "unit 1 (2 to 2)"], map["y"]!.AsArray().Select(y => (string?)y));
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

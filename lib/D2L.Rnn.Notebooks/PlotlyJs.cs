namespace D2L.Rnn.Notebooks;

/// <summary>
/// Where a notebook output loads plotly.js from: the version Plotly.NET itself ships and targets, through
/// require.js from plotly's CDN, exactly as Plotly.NET.Interactive's formatter does.
/// </summary>
public static class PlotlyJs
{
    /// <summary>The plotly.js version of Plotly.NET (its embedded copy and its CDN references).</summary>
    public const string Version = global::Globals.PLOTLYJS_VERSION;

    /// <summary>The require.js module path (no ".js": require.js appends it).</summary>
    public const string RequirePath = "https://cdn.plot.ly/plotly-" + Version + ".min";
}

using System.Buffers.Binary;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NotebookRunner;

/// <summary>
/// Puts a chart's picture inside its own HTML, so that a page that runs no scripts shows it. Static renderers
/// (GitHub's preview, nbviewer, <c>jupyter nbconvert --to html</c>) pick <c>text/html</c> over <c>image/png</c>, so the
/// picture has to be where they look. The image sits in the element plotly draws into; plotly marks that element
/// <c>js-plotly-plot</c> when it draws, and a style rule then hides the image: a front end that runs the script shows
/// the interactive chart alone, one that runs none (or fails to load plotly.js) shows the picture.
/// </summary>
public static partial class StaticChartImage
{
    /// <summary>The class of the embedded image.</summary>
    public const string ImageClass = "d2l-static-chart";

    private const string HideOnceDrawn = $"<style>.js-plotly-plot > img.{ImageClass} {{ display: none; }}</style>";

    /// <summary>The chart HTML with <paramref name="png"/> (a picture of its final frame) inside the chart's element.</summary>
    public static string Embed(string html, byte[] png)
    {
        if (html.Contains(ImageClass)) throw new ArgumentException("The chart HTML already holds a static image.", nameof(html));
        var element = ChartElement().Match(html);
        if (!element.Success) throw new ArgumentException("No plotly chart element (<div id=\"…\">) in the HTML.", nameof(html));
        // A PNG starts with its size: 8 bytes of signature, then the IHDR chunk's length and type, width and height.
        var (width, height) = (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        var image = $"<img class=\"{ImageClass}\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\" " +
                    $"width=\"{width}\" height=\"{height}\" style=\"max-width: 100%; height: auto\" alt=\"{WebUtility.HtmlEncode(Title(html) ?? "chart")}\">";
        var at = element.Index + element.Length;
        return HideOnceDrawn + html[..at] + image + html[at..];
    }

    /// <summary>The chart's title, from its layout, or null.</summary>
    public static string? Title(string html)
    {
        var layout = LayoutLine().Match(html);
        if (!layout.Success) return null;
        try { return (string?)JsonNode.Parse(layout.Groups[1].Value)?["title"]?["text"]; }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException) { return null; }
    }

    [GeneratedRegex("<div id=\"[0-9a-f-]{36}\">")]
    private static partial Regex ChartElement();

    [GeneratedRegex(@"var layout = (.*);\r?$", RegexOptions.Multiline)]
    private static partial Regex LayoutLine();
}

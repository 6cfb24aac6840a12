using Microsoft.Playwright;

namespace NotebookRunner;

/// <summary>
/// The system's Chromium, Chrome or Edge (<see cref="Browsers"/>), headless and driven through Playwright, with the
/// network replaced by local copies: what a notebook front end would fetch from a CDN (plotly.js, require.js) is
/// answered from copies this program carries, everything else is refused. Used to draw chart outputs as images and
/// to check that they draw.
/// </summary>
public sealed class OfflineChromium : IAsyncDisposable
{
    private const string PageUrl = "https://notebook.invalid/output.html";
    // A drawn line or bar trace, or a drawn heat map.
    private const string DrawnTrace = ".js-plotly-plot .main-svg .trace, .js-plotly-plot .main-svg .hm";

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private OfflineChromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    /// <summary>The first Chromium, Chrome or Edge found on PATH or where its installer puts it, or null.</summary>
    public static string? FindExecutable() => Browsers.Find();

    /// <summary>Why charts cannot be drawn with <paramref name="executable"/> (none given, or no such file), or null when they can.</summary>
    public static string? Unavailable(string? executable) =>
        executable is null ? $"no Chromium, Chrome or Edge on PATH ({string.Join(", ", Browsers.NamesOnPath)}) or where their installers put them; {Browsers.InstallHint}"
        : !File.Exists(executable) ? $"no browser at {executable}"
        : null;

    public static async Task<OfflineChromium> LaunchAsync(string executable)
    {
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = executable, Headless = true });
            return new OfflineChromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Loads <paramref name="html"/> as a page (a fragment such as a notebook output is wrapped in a minimal
    /// document), runs its scripts, waits until a plotly chart has drawn or <paramref name="timeout"/> has passed,
    /// and takes a screenshot: of the first chart when <paramref name="chartOnly"/>, else of the viewport.
    /// </summary>
    public Task<PageShot> ShootAsync(string html, int width, int height, bool chartOnly = false, TimeSpan? timeout = null)
    {
        var document = html.Contains("<html", StringComparison.OrdinalIgnoreCase)
            ? html
            : $"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n{html}\n</body></html>";
        return ShootPageAsync(PageUrl, document, width, height, chartOnly, timeout);
    }

    /// <summary>The same for a page on disk (such as nbconvert's HTML export, which loads scripts from file:// URLs).</summary>
    public Task<PageShot> ShootFileAsync(string path, int width, int height, bool chartOnly = false, TimeSpan? timeout = null) =>
        ShootPageAsync(new Uri(Path.GetFullPath(path)).AbsoluteUri, null, width, height, chartOnly, timeout);

    private async Task<PageShot> ShootPageAsync(string url, string? document, int width, int height, bool chartOnly, TimeSpan? timeout)
    {
        var page = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        var shot = new PageShot();
        try
        {
            page.Console += (_, m) => { if (m.Type == "error") shot.Errors.Add(m.Text); };
            page.PageError += (_, e) => shot.Errors.Add(e);
            await page.RouteAsync("**/*", route => Answer(route, document, shot));
            await page.GotoAsync(url);
            try
            {
                await page.Locator(DrawnTrace).First.WaitForAsync(
                    new() { Timeout = (float)(timeout ?? TimeSpan.FromSeconds(20)).TotalMilliseconds, State = WaitForSelectorState.Attached });
                await page.WaitForTimeoutAsync(300); // let plotly finish drawing
                shot.Drawn = true;
                shot.StaticImagesShown = await page.Locator($"img.{StaticChartImage.ImageClass}:visible").CountAsync();
            }
            catch (TimeoutException) { }
            // The chart's own box: plotly sizes it as the layout says, inside a div as wide as the page.
            if (chartOnly && shot.Drawn) shot.Png = await page.Locator(".js-plotly-plot .svg-container").First.ScreenshotAsync();
            else
            {
                if (shot.Drawn) await page.Locator(".js-plotly-plot").First.ScrollIntoViewIfNeededAsync();
                shot.Png = await page.ScreenshotAsync();
            }
            return shot;
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    /// <summary>
    /// Loads a page on disk with scripts off, as a static viewer shows it (GitHub's preview runs none), and takes a
    /// picture of the first element each selector names: null where there is none or it has no size on the page.
    /// </summary>
    public async Task<List<byte[]?>> ShootElementsWithoutScriptsAsync(string path, IReadOnlyList<string> selectors, int width, int height)
    {
        var page = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = width, Height = height }, JavaScriptEnabled = false });
        try
        {
            var shot = new PageShot();
            await page.RouteAsync("**/*", route => Answer(route, null, shot));
            await page.GotoAsync(new Uri(Path.GetFullPath(path)).AbsoluteUri);
            var pictures = new List<byte[]?>();
            foreach (var selector in selectors)
            {
                var element = page.Locator(selector).First;
                var box = await element.CountAsync() == 0 ? null : await element.BoundingBoxAsync();
                pictures.Add(box is { Width: >= 1, Height: >= 1 } ? await element.ScreenshotAsync() : null);
            }
            return pictures;
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    private static async Task Answer(IRoute route, string? document, PageShot shot)
    {
        var url = route.Request.Url;
        var uri = new Uri(url);
        if (uri.IsFile || url.StartsWith("data:"))
            await route.ContinueAsync();
        else if (url == PageUrl && document is not null)
            await route.FulfillAsync(new() { Status = 200, ContentType = "text/html; charset=utf-8", Body = document });
        else if (uri.Host == "cdn.plot.ly" && uri.AbsolutePath == $"/plotly-{PlotlyJsVersion}.min.js")
        {
            shot.Served.Add(url);
            await route.FulfillAsync(new() { Status = 200, ContentType = "text/javascript; charset=utf-8", Body = PlotlyJs.Value });
        }
        else if (uri.Host == "cdnjs.cloudflare.com" && uri.AbsolutePath.StartsWith("/ajax/libs/require.js/") && uri.AbsolutePath.EndsWith("/require.min.js"))
        {
            shot.Served.Add(url);
            await route.FulfillAsync(new() { Status = 200, ContentType = "text/javascript; charset=utf-8", Body = RequireJs.Value });
        }
        else
        {
            shot.Refused.Add(url);
            await route.AbortAsync();
        }
    }

    /// <summary>The plotly.js version Plotly.NET ships (and its charts ask the CDN for).</summary>
    public static string PlotlyJsVersion => global::Globals.PLOTLYJS_VERSION;

    // Plotly.NET.dll carries plotly.js as an embedded resource (what PlotlyJSReference.Full inlines).
    private static readonly Lazy<string> PlotlyJs = new(() =>
    {
        var assembly = typeof(Plotly.NET.GenericChart).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith($"plotly-{PlotlyJsVersion}.min.js"));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
        return reader.ReadToEnd();
    });

    // require.js 2.3.8 from the npm package requirejs (MIT; requirejs/LICENSE), embedded at build: it answers a request
    // for any version, as every 2.x loads the same AMD modules.
    private static readonly Lazy<string> RequireJs = new(() =>
    {
        using var stream = typeof(OfflineChromium).Assembly.GetManifestResourceStream("NotebookRunner.require.js")
            ?? throw new InvalidOperationException("require.js is not embedded in NotebookRunner.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        _playwright.Dispose();
    }
}

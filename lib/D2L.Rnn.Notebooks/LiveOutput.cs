using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace D2L.Rnn.Notebooks;

/// <summary>
/// One notebook output that is replaced in place: shown once, then updated under the same display id.
/// </summary>
/// <remarks>
/// In the final .NET Interactive engine, <c>display(x)</c> publishes one display id but returns a handle with
/// another, so its <c>.Update</c> shows up as a second output while the first stays frozen. Here the id is
/// chosen once and used both for the first display and for every update, so VS Code replaces the output.
/// Create it and update it from the same cell.
/// </remarks>
internal sealed class LiveOutput
{
    private readonly KernelInvocationContext _context;

    private LiveOutput(KernelInvocationContext context, string displayId)
    {
        _context = context;
        DisplayId = displayId;
    }

    /// <summary>The id that the first display and every update carry.</summary>
    public string DisplayId { get; }

    /// <summary>How many times the output was updated.</summary>
    public int Updates { get; private set; }

    /// <summary>Shows <paramref name="html"/> as a new output of the running cell.</summary>
    public static LiveOutput ShowHtml(string html)
    {
        var context = KernelInvocationContext.Current
                      ?? throw new InvalidOperationException("LiveOutput works inside a running notebook cell.");
        var output = new LiveOutput(context, Guid.NewGuid().ToString());
        context.Publish(new DisplayedValueProduced(html, context.Command, [new FormattedValue("text/html", html)], output.DisplayId));
        return output;
    }

    /// <summary>Replaces the output with <paramref name="html"/>.</summary>
    public void UpdateHtml(string html)
    {
        var context = KernelInvocationContext.Current ?? _context;
        context.Publish(new DisplayedValueUpdated(html, DisplayId, context.Command, [new FormattedValue("text/html", html)]));
        Updates++;
    }
}

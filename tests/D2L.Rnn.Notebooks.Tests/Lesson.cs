using System.Globalization;
using System.Text.RegularExpressions;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>
/// One notebook of the course (<c>notebooks/{Name}.dib</c>, its executed <c>.ipynb</c> and its file-based app
/// <c>.cs</c>) and what the tests expect of it, as data: the generic tests (<see cref="LessonNotebookTests"/>,
/// <see cref="LessonAppTests"/>, <see cref="JupyterTests"/>, <see cref="NotebookFilesTests"/>,
/// <see cref="CommittedOutputsTests"/>) run over <see cref="Lessons.All"/>.
/// </summary>
public sealed record Lesson(string Name)
{
    /// <summary>The environment of a test run (such as <c>D2L_EPOCHS</c>): small, so that CI stays fast. Empty: the lesson's own budget.</summary>
    public (string Name, string Value)[] Budget { get; init; } = [];

    /// <summary>Regular expressions of lines that a run must print (each matches at least one line), in the engine, in Jupyter and in the app.</summary>
    public string[] Prints { get; init; } = [];

    /// <summary>Numbers a run must land within: a pattern whose first group is the number, and its range.</summary>
    public Range[] Ranges { get; init; } = [];

    /// <summary>The titles of the charts the notebook shows, in order (the app writes one file for each).</summary>
    public string[] Charts { get; init; } = [];

    /// <summary>
    /// Seeds (<c>D2L_SEED</c>) on which the app runs again, each run landing within <see cref="Ranges"/>: for lessons
    /// whose data are random, so that one lucky seed does not make the check pass.
    /// </summary>
    public int[] Seeds { get; init; } = [];

    /// <summary>
    /// The published run's perplexities and the committed run's, as the notebook prints them side by side: the
    /// committed <c>.ipynb</c> must follow the published points within 10% (the library's curve tests check
    /// several seeds).
    /// </summary>
    public AgainstPublished[] Published { get; init; } = [];

    /// <summary>What differs from run to run and is not compared (timings), besides <see cref="Lessons.Timings"/>.</summary>
    public string[] Timings { get; init; } = [];

    /// <summary>Code run in the notebook's kernel after its last cell, to inspect its state (its output is kept apart).</summary>
    public string? After { get; init; }

    public string Dib => Path.Combine(Repo.Notebooks, Name + ".dib");
    public string Ipynb => Path.Combine(Repo.Notebooks, Name + ".ipynb");
    public string App => Path.Combine(Repo.Notebooks, Name + ".cs");

    public override string ToString() => Name;

    /// <summary>Fails unless every line of <see cref="Prints"/> is among <paramref name="lines"/> and every <see cref="Ranges"/> holds.</summary>
    public void AssertPrintsAndRanges(IReadOnlyList<string> lines, string context)
    {
        var missing = Prints.Where(p => !lines.Any(l => Regex.IsMatch(l, p))).ToList();
        Assert.True(missing.Count == 0, $"{Name}, {context}: no line matches {string.Join(", ", missing)}\n{string.Join("\n", lines)}");
        foreach (var range in Ranges) range.AssertWithin(lines, $"{Name}, {context}");
    }

    /// <summary>A number a run prints, and the range it must land in.</summary>
    public sealed record Range(string Pattern, double Min, double Max)
    {
        public double Find(IReadOnlyList<string> lines, string context)
        {
            var m = lines.Select(l => Regex.Match(l, Pattern)).FirstOrDefault(m => m.Success);
            Assert.True(m is not null, $"{context}: no line matches {Pattern}");
            return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        public void AssertWithin(IReadOnlyList<string> lines, string context)
        {
            var value = Find(lines, context);
            Assert.True(value >= Min && value <= Max, $"{context}: {Pattern} gave {value}, outside [{Min}, {Max}]");
        }
    }

    /// <summary>
    /// Two printed lists of perplexities ("a / b / c"): <paramref name="PublishedLine"/>'s first group holds the
    /// published ones, <paramref name="RunLine"/>'s (on that line or after it) this run's, at the same epochs;
    /// <paramref name="Checked"/> are the positions that must agree within 10%.
    /// </summary>
    /// <remarks><paramref name="AlsoPublishedLine"/>: a second published run of the same lesson (its list in the first
    /// group), or none; a point then agrees when it is within 10% of either run's.</remarks>
    public sealed record AgainstPublished(string PublishedLine, string RunLine, int[] Checked, string? AlsoPublishedLine = null)
    {
        public const double Tolerance = 0.10;

        public void AssertFollowed(IReadOnlyList<string> lines, string context)
        {
            var at = lines.ToList().FindIndex(l => Regex.IsMatch(l, PublishedLine));
            Assert.True(at >= 0, $"{context}: no line matches {PublishedLine}");
            var published = Numbers(Regex.Match(lines[at], PublishedLine).Groups[1].Value);
            var run = lines.Skip(at).Select(l => Regex.Match(l, RunLine)).FirstOrDefault(m => m.Success);
            Assert.True(run is not null, $"{context}: no line matches {RunLine} after {lines[at]}");
            var ours = Numbers(run.Groups[1].Value);
            Assert.True(ours.Length == published.Length, $"{context}: {ours.Length} of the {published.Length} published points were run ({run.Value})");
            var other = AlsoPublishedLine is null ? null
                : lines.Select(l => Regex.Match(l, AlsoPublishedLine)).FirstOrDefault(m => m.Success) is { } m ? Numbers(m.Groups[1].Value)
                : throw new Xunit.Sdk.XunitException($"{context}: no line matches {AlsoPublishedLine}");
            bool Within(double measured, double published) => Math.Abs(measured / published - 1) <= Tolerance;
            var off = Checked.Where(i => !Within(ours[i], published[i]) && !(other is not null && Within(ours[i], other[i])))
                .Select(i => $"point {i + 1}: {ours[i]} against {published[i]}").ToList();
            Assert.True(off.Count == 0, $"{context}: more than 10% from the published run at {string.Join("; ", off)}");
        }

        private static double[] Numbers(string list) =>
            list.Split('/', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(n => double.Parse(n, CultureInfo.InvariantCulture)).ToArray();
    }
}

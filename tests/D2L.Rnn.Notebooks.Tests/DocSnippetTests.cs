namespace D2L.Rnn.Notebooks.Tests;

/// <summary>
/// Every ```` ```csharp ```` block in README.md and docs/*.md compiles (all in one project build) and runs to the end,
/// each in a process of its own, with a small budget: <c>D2L_EPOCHS</c> and <c>D2L_MAX_TOKENS</c>, which the examples read
/// through <c>Budget</c>. New examples are picked up as they are added; a block that cannot run alone is marked
/// ```` ```csharp fragment ```` and says so in the text next to it.
/// </summary>
[Trait("Category", "Slow")]
public class DocSnippetTests
{
    // Enough for the homework recipe's held-out 150,000 characters plus a training part; one epoch each. One libtorch
    // thread: on a busy 2-core machine its two threads waited on each other, and the recipe took many times as long.
    private static readonly (string, string)[] SmallBudget = [("D2L_EPOCHS", "1"), ("D2L_MAX_TOKENS", "160000"), ("OMP_NUM_THREADS", "1")];

    [Fact]
    public void EveryCSharpSnippetInTheDocsCompilesInOneProjectAndRunsToTheEnd()
    {
        Repo.UseSharedDataWhenPresent();
        var runnable = DocSnippet.FindAll(Repo.Root).Where(s => !s.IsFragment).ToList();
        Assert.NotEmpty(runnable);
        var scratch = Repo.NewScratchFolder("doc-snippets");
        try
        {
            var project = new SnippetProject(Directory.CreateDirectory(Path.Combine(scratch, "project")).FullName, runnable);
            var (exit, errors, output) = project.Build(Repo.Root);
            Assert.True(exit == 0, errors.Count > 0
                ? "The docs' snippets do not compile (file(line,column) is in the markdown):\n" + string.Join("\n", errors)
                : output);

            var data = ScratchDataDirectory(scratch);
            var failures = new List<string>();
            for (var i = 0; i < runnable.Count; i++)
            {
                var workingDirectory = Directory.CreateDirectory(Path.Combine(scratch, $"run{i}")).FullName;
                var (code, printed) = project.Run(i, workingDirectory, TimeSpan.FromMinutes(5), [.. SmallBudget, ("D2L_DATA_DIR", data)]);
                if (code != 0) failures.Add($"{runnable[i].Where} exited with {code}:\n{printed}");
            }
            Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        }
        finally
        {
            Directory.Delete(scratch, true);
        }
    }

    [Fact]
    public void TheDocsHaveRunnableSnippetsAndEveryFragmentSaysWhy()
    {
        var all = DocSnippet.FindAll(Repo.Root);
        foreach (var file in new[] { "README.md", "docs/library.md", "docs/homework.md" })
            Assert.Contains(all, s => s.File == file && !s.IsFragment);
        Assert.Contains(all, s => s.File == "docs/homework.md" && s.Code.Contains("LanguageModel.Load") && s.Code.Contains("Shakespeare.Load"));
        Assert.True(all.Count(s => s.IsFragment) * 4 <= all.Count, "fragments should be rare: " + string.Join(", ", all.Where(s => s.IsFragment).Select(s => s.Where)));
        foreach (var fragment in all.Where(s => s.IsFragment))
        {
            // The text right before or right after the block explains it, naming the marker.
            var lines = File.ReadAllLines(Path.Combine(Repo.Root, fragment.File));
            var before = lines.Take(fragment.Line - 2).Reverse().SkipWhile(string.IsNullOrWhiteSpace).FirstOrDefault() ?? "";
            var after = lines.Skip(fragment.Line - 1 + fragment.Code.Split('\n').Length + 1).SkipWhile(string.IsNullOrWhiteSpace).FirstOrDefault() ?? "";
            Assert.True(before.Contains("`fragment`") || after.Contains("`fragment`"),
                $"{fragment.Where}: the text right before or after a fragment says why it does not run alone (naming `fragment`).");
        }
    }

    [Fact]
    public void SnippetsAreFoundWithTheirLinesAndFragmentsAndOtherLanguagesAreSkipped()
    {
        const string markdown = """
            # Title

            ```csharp
            using D2L.Rnn;

            Console.WriteLine(1);
            ```

            ```bash
            echo no
            ```

            1. In a list:
               ````cs
               var x = 2;
               ```
               Console.WriteLine(x);
               ````

            ```csharp fragment
            #r "nuget: X"
            ```
            """;
        var snippets = DocSnippet.Parse("docs/x.md", markdown).ToList();
        Assert.Equal(3, snippets.Count);
        Assert.Equal(("docs/x.md", 4, "using D2L.Rnn;\n\nConsole.WriteLine(1);", false),
            (snippets[0].File, snippets[0].Line, snippets[0].Code, snippets[0].IsFragment));
        Assert.Equal((15, "var x = 2;\n```\nConsole.WriteLine(x);", false), (snippets[1].Line, snippets[1].Code, snippets[1].IsFragment));
        Assert.Equal((21, true), (snippets[2].Line, snippets[2].IsFragment));

        // The usings stay at the top, the rest is the body, each mapped to its markdown line (the file's full path, in
        // this system's form, C:\repo\docs\x.md on Windows, escaped as in a C# string).
        var root = Path.Combine(Path.GetTempPath(), "repo");
        var file = Path.GetFullPath(Path.Combine(root, "docs", "x.md")).Replace("\\", "\\\\");
        var source = SnippetProject.Sources([snippets[0]], root)["Snippet0.cs"];
        Assert.StartsWith($"#line 4 \"{file}\"\nusing D2L.Rnn;\n\n#line default\nnamespace Snippets;", source.ReplaceLineEndings("\n"));
        Assert.Contains($"public static async Task Run(string[] args)\n    {{\n#line 6 \"{file}\"\nConsole.WriteLine(1);\n#line default",
            source.ReplaceLineEndings("\n"));
    }

    /// <summary>
    /// A data folder of the test's own that links to the corpora already on disk (copies them where links are refused,
    /// as on Windows without developer mode), so a download lands in the scratch folder.
    /// </summary>
    private static string ScratchDataDirectory(string scratch)
    {
        var data = Directory.CreateDirectory(Path.Combine(scratch, "data")).FullName;
        var source = DataDirectory.Resolve();
        if (Directory.Exists(source))
            foreach (var file in Directory.GetFiles(source))
                FileLinks.LinkOrCopy(file, Path.Combine(data, Path.GetFileName(file)));
        return data;
    }
}

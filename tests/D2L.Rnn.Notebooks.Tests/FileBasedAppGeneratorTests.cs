using NotebookRunner;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>How tools/NotebookRunner writes a notebook as a file-based app (<see cref="FileBasedApp"/>).</summary>
public class FileBasedAppGeneratorTests
{
    private static string Generate(params NotebookCell[] cells) => FileBasedApp.Generate(cells, Repo.Notebooks, "notebooks/x.dib");

    private static NotebookCell Code(string source) => new("code", "csharp", source);
    private static NotebookCell Markdown(string source) => new("markdown", "markdown", source);

    [Fact]
    public void TheSetupBecomesTheHeaderAndUsingsMoveToTheTop()
    {
        var app = Generate(
            Code("#load \"build-library.csx\""),
            Code("#r \"nuget: TorchSharp-cpu, 0.107.0\"\n#r \"../lib/D2L.Rnn.Notebooks/bin/Release/net10.0/D2L.Rnn.dll\"\n" +
                 "#r \"../lib/D2L.Rnn.Notebooks/bin/Release/net10.0/D2L.Rnn.Notebooks.dll\"\nD2L.Rnn.Notebooks.NotebookSetup.Initialize();"),
            Code("var a = 1;"),
            Code("using static TorchSharp.torch;\nusing (no_grad())\n    a++;"));
        var lines = app.Split('\n');
        Assert.Equal("#:project ../lib/D2L.Rnn.Notebooks/D2L.Rnn.Notebooks.csproj", lines[0]);
        Assert.Single(lines, l => l.StartsWith("#:"));
        Assert.DoesNotContain(lines, l => l.StartsWith("#load") || l.StartsWith("#r"));
        var directive = Array.IndexOf(lines, "using static TorchSharp.torch;");
        Assert.True(directive > 0 && directive < Array.IndexOf(lines, "D2L.Rnn.Notebooks.NotebookSetup.Initialize();"), app);
        Assert.Contains("using (no_grad())\n    a++;", app); // a using statement stays where it is
    }

    [Fact]
    public void ACellsTrailingExpressionIsPrintedAndMarkdownIsCommentedWithItsHeadingsPrinted()
    {
        var app = Generate(
            Markdown("# The title\n\nSome *text*.\n\n## 1. A \"section\"\n\nMore."),
            Code("var x = 2;\nx * 3"),
            Code("Predict(\n    \"a\",\n    1)"),
            Code("if (true)\n{\n}"));
        Assert.Contains("Console.WriteLine(\"The title\");\n// Some *text*.\n//\nConsole.WriteLine(\"== 1. A \\\"section\\\"\");\n// More.\n", app);
        Assert.Contains("var x = 2;\nConsole.WriteLine(x * 3);\n", app);
        Assert.Contains("Console.WriteLine(Predict(\n    \"a\",\n    1));\n", app);
        Assert.Contains("if (true)\n{\n}\n", app);
    }

    [Fact]
    public void ADirectiveWithoutCounterpartInAnAppIsRefusedWithTheCell()
    {
        var error = Assert.Throws<NotSupportedException>(() => Generate(Code("#r \"nuget: Newtonsoft.Json\"")));
        Assert.Contains("Cell 1: '#r \"nuget: Newtonsoft.Json\"' has no counterpart in a file-based app", error.Message);
        Assert.Throws<NotSupportedException>(() => Generate(new NotebookCell("code", "fsharp", "1 + 1")));
    }

    [Fact]
    public void OnlyCellsOfDirectivesAloneAreSetupThatTheAppLeavesOut()
    {
        Assert.True(FileBasedApp.IsSetupOnly(Code("#load \"build-library.csx\"\n")));
        Assert.False(FileBasedApp.IsSetupOnly(Code("#r \"x.dll\"\nSetup();")));
        Assert.False(FileBasedApp.IsSetupOnly(Markdown("# title")));
    }
}

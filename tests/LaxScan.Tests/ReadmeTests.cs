using System.Globalization;
using System.Text.RegularExpressions;
using static LaxScan.Models.LaxScanFunctions;

namespace LaxScan.Tests;

/// <summary>The README's examples are checked here, so the README cannot drift from what the code does.</summary>
public partial class ReadmeTests
{
    internal static string ReadmeText()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "README.md");
            if (File.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "LaxScan.slnx")))
            {
                return File.ReadAllText(candidate);
            }
        }

        throw new FileNotFoundException("README.md not found above the test output directory");
    }

    [Fact]
    public void The_library_example_s_printed_comment_is_what_its_call_returns()
    {
        Match block = LibraryExample().Match(ReadmeText());
        Assert.True(block.Success, "the README's library example block was not found");
        Assert.Contains("LaxScanInModule(seed: 0, x: [0.5f, -1f, 0.25f, 2f], hidden: 4, steps: 10)", block.Value, StringComparison.Ordinal);

        string printed = string.Join(", ", LaxScanInModule(seed: 0, x: [0.5f, -1f, 0.25f, 2f], hidden: 4, steps: 10).Data
            .Select(v => v.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(block.Groups["output"].Value.Trim(), printed);
    }

    [Fact]
    public void The_README_shows_the_two_set_up_commands_and_CI_runs_the_test_one()
    {
        string readme = ReadmeText();
        Assert.Contains("dotnet run -c Release --project src/LaxScan.Cli -- run --seed 0 --hidden 4 --steps 10 --x 0.5,-1,0.25,2", readme, StringComparison.Ordinal);
        Assert.Contains("\ndotnet test\n", readme, StringComparison.Ordinal);
        string ci = File.ReadAllText(Path.Combine(Path.GetDirectoryName(FindRepoFile(".ci/run"))!, "run"));
        Assert.Contains("\ndotnet test\n", ci, StringComparison.Ordinal);
    }

    [Fact]
    public void The_README_shows_the_two_commands_that_check_LaxScan_against_JAX_and_both_exist()
    {
        string readme = ReadmeText();
        Assert.Contains("\nJAX_PLATFORMS=cpu python3 reference/jax/capture.py --out bundle/\n", readme, StringComparison.Ordinal);
        Assert.Contains("\ndotnet run -c Release --project src/LaxScan.Cli -- verify bundle/\n", readme, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(FindRepoFile("README.md"))!, "reference", "jax", "capture.py")));
        Tests.Cli.CliRun help = Tests.Cli.CliHarness.Run("verify", "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("BUNDLE", help.Stdout, StringComparison.Ordinal);
    }

    internal static string FindRepoFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{relative} not found above the test output directory");
    }

    [GeneratedRegex(@"<!-- README example:[^>]*-->\s*```csharp\n(?<code>.*?)// (?<output>[^\n]*)\n```", RegexOptions.Singleline)]
    private static partial Regex LibraryExample();
}

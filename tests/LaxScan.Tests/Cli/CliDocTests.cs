using System.CommandLine;
using System.Text;
using LaxScan.Cli;
using LaxScan.Cli.Io;

namespace LaxScan.Tests.Cli;

/// <summary>
/// docs/cli.md, the command-line reference, cannot drift from the tool: its generated part is every command's own
/// <c>--help</c> text, produced here from the real command tree, and its output table has a row for every command.
/// With <c>LAXSCAN_WRITE_CLI_DOC=1</c> in the environment the test rewrites the generated part instead of comparing
/// (the command at the top of docs/cli.md), so a new command or option is one command away from documented.
/// </summary>
public class CliDocTests
{
    /// <summary>The width the help is wrapped at in the document, so that it does not depend on a terminal.</summary>
    private const int HelpWidth = 118;
    private const string Begin = "<!-- BEGIN GENERATED: every command's --help; edit the commands, then regenerate (see the top) -->";
    private const string End = "<!-- END GENERATED -->";
    private const string Regenerate = "LAXSCAN_WRITE_CLI_DOC=1 dotnet test --filter-class '*CliDocTests'";

    [Fact]
    public void Docs_cli_md_holds_every_commands_help_as_the_tool_prints_it()
    {
        string path = ReadmeTests.FindRepoFile("docs/cli.md");
        string doc = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.Contains(Regenerate, doc, StringComparison.Ordinal);
        int begin = doc.IndexOf(Begin, StringComparison.Ordinal);
        int end = doc.IndexOf(End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"docs/cli.md must have the markers {Begin} and {End}");

        string expected = string.Concat(doc.AsSpan(0, begin + Begin.Length), "\n\n", GeneratedReference(), doc.AsSpan(end));
        if (Environment.GetEnvironmentVariable("LAXSCAN_WRITE_CLI_DOC") == "1")
        {
            // A run that rewrote the document compared nothing: it reports a skip, never a pass.
            bool changed = expected != doc;
            File.WriteAllText(path, expected);
            Assert.Skip($"LAXSCAN_WRITE_CLI_DOC=1: docs/cli.md was {(changed ? "regenerated" : "already current")}, not compared; run the test without it to check");
        }

        Assert.True(expected == doc, $"docs/cli.md differs from the tool's --help; regenerate it with: {Regenerate}\n{FirstDifference(doc, expected)}");
    }

    // The generated part shows options; what each command prints is written by hand, so a new command needs its row.
    [Fact]
    public void Every_command_has_a_row_in_the_output_table()
    {
        string doc = File.ReadAllText(ReadmeTests.FindRepoFile("docs/cli.md"));
        string[] leaves = [.. Commands().Where(c => c.Command.Subcommands.Count == 0).Select(c => c.Name)];
        Assert.Contains("laxscan run", leaves);
        Assert.All(leaves, name => Assert.Contains($"| `{name}` |", doc, StringComparison.Ordinal));
    }

    [Fact]
    public void The_generated_part_changes_when_a_command_help_changes()
    {
        // The comparison above is only as good as the text it compares: it must hold the options' own descriptions.
        string generated = GeneratedReference();
        Assert.Contains("### `laxscan random truncated-normal`", generated, StringComparison.Ordinal);
        Assert.Contains("--hidden <H> (REQUIRED)", generated, StringComparison.Ordinal);
        Assert.Contains("laxscan run --hidden 4 --steps 10 --x 0.5,-1,0.25,2 --seed 0", generated, StringComparison.Ordinal);
    }

    /// <summary>One section per command, root first, in the tree's order: the heading, then its help in a text block.</summary>
    private static string GeneratedReference()
    {
        var text = new StringBuilder();
        foreach ((string name, Command _) in Commands())
        {
            string[] args = [.. name.Split(' ').Skip(1), "--help"];
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            int exitCode = LaxScanCli.Run(args, stdout, stderr, new NpyArrayFiles(), HelpWidth);
            Assert.True(exitCode == 0, $"{name} --help exited {exitCode}: {stderr}");
            string help = string.Join('\n', stdout.ToString().ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd())).Trim('\n');
            text.Append("### `").Append(name).Append("`\n\n```text\n").Append(help).Append("\n```\n\n");
        }

        return text.ToString();
    }

    /// <summary>Every visible command, as its full name (<c>laxscan random split</c>), depth first.</summary>
    private static List<(string Name, Command Command)> Commands()
    {
        RootCommand root = LaxScanCli.BuildRoot(new CliContext(TextWriter.Null, TextWriter.Null, new NpyArrayFiles()));
        var all = new List<(string, Command)>();
        Walk("laxscan", root);
        return all;

        void Walk(string name, Command command)
        {
            all.Add((name, command));
            foreach (Command child in command.Subcommands.Where(c => !c.Hidden))
            {
                Walk($"{name} {child.Name}", child);
            }
        }
    }

    private static string FirstDifference(string actual, string expected)
    {
        string[] a = actual.Split('\n');
        string[] e = expected.Split('\n');
        for (int i = 0; i < Math.Max(a.Length, e.Length); i++)
        {
            string left = i < a.Length ? a[i] : "(end of file)";
            string right = i < e.Length ? e[i] : "(end of file)";
            if (left != right)
            {
                return $"line {i + 1}:\n  docs/cli.md: {left}\n  --help:      {right}";
            }
        }

        return string.Empty;
    }
}

using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Runtime.CompilerServices;

namespace LaxScan.Cli;

/// <summary>
/// Adds an Examples section to each command's own help. Examples stay out of the description, which the parent's
/// command list also prints.
/// </summary>
internal static class CliHelp
{
    private static readonly ConditionalWeakTable<Command, string[]> ExampleTable = [];

    /// <summary>Sets the command lines shown under "Examples:" in <paramref name="command"/>'s help.</summary>
    public static void Examples(Command command, params string[] lines) => ExampleTable.AddOrUpdate(command, lines);

    /// <summary>Makes the root's help option print the examples section after the standard help.</summary>
    /// <param name="root">The root command.</param>
    /// <param name="maxWidth">
    /// The width to wrap the help at; null for System.CommandLine's choice (the terminal's width, unwrapped when
    /// redirected). docs/cli.md is generated at a fixed width so that it does not depend on the terminal.
    /// </param>
    public static void Install(RootCommand root, int? maxWidth = null)
    {
        HelpOption option = root.Options.OfType<HelpOption>().Single();
        if (maxWidth is { } width && option.Action is HelpAction help)
        {
            help.MaxWidth = width;
        }

        option.Action = new ExamplesHelpAction(option.Action!);
    }

    /// <summary>The names of the parsed command from below the root, such as <c>random split</c> (empty for the root).</summary>
    public static string[] PathOf(ParseResult parsed)
    {
        var names = new List<string>();
        for (SymbolResult? result = parsed.CommandResult; result is CommandResult { Parent: not null } command; result = command.Parent)
        {
            names.Insert(0, command.Command.Name);
        }

        return [.. names];
    }

    private sealed class ExamplesHelpAction(CommandLineAction standard) : SynchronousCommandLineAction
    {
        // Like the standard help: asking for help succeeds even when the rest of the line has errors.
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            int exitCode = ((SynchronousCommandLineAction)standard).Invoke(parseResult);
            if (ExampleTable.TryGetValue(parseResult.CommandResult.Command, out string[]? lines))
            {
                TextWriter output = parseResult.InvocationConfiguration.Output;
                output.WriteLine("Examples:");
                foreach (string line in lines)
                {
                    output.WriteLine($"  {line}");
                }

                output.WriteLine();
            }

            return exitCode;
        }
    }
}

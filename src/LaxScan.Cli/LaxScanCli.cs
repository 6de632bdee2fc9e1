using System.CommandLine;
using System.CommandLine.Invocation;
using LaxScan.Cli.Cancellation;
using LaxScan.Cli.Commands;
using LaxScan.Cli.Io;
using LaxScan.Cli.Output;

namespace LaxScan.Cli;

/// <summary>
/// The <c>laxscan</c> command line as a function: arguments and two writers in, exit code out. The process entry
/// point and the in-process tests both call it.
/// </summary>
internal static class LaxScanCli
{
    /// <summary>Runs one <c>laxscan</c> command line.</summary>
    /// <param name="args">The arguments after the program name.</param>
    /// <param name="stdout">Receives the JSON result (or help text), and nothing else.</param>
    /// <param name="stderr">Receives the one <c>error: ...</c> line of a failure.</param>
    /// <returns>An <see cref="ExitCodes"/> value: 0 success, 1 failure, 2 usage error, 130 interrupted.</returns>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr) =>
        Run(args, stdout, stderr, ArrayFiles.Default);

    /// <summary>
    /// Runs one command line. <paramref name="interrupt"/>: null listens for SIGINT and SIGTERM for the command's
    /// duration; tests pass <see cref="InterruptSignal.Manual"/>. <paramref name="rawStdout"/>: the stream under
    /// <paramref name="stdout"/> when that is the process's standard output, so an output pointing there
    /// (<c>--out /dev/stdout</c>) can take the JSON's place.
    /// </summary>
    /// <param name="args">The arguments after the program name.</param>
    /// <param name="stdout">Receives the JSON result (or help text), and nothing else.</param>
    /// <param name="stderr">Receives the one <c>error: ...</c> line of a failure.</param>
    /// <param name="files">Reads and writes the array files.</param>
    /// <param name="helpWidth">The width to wrap help text at; null for the terminal's (see <see cref="CliHelp.Install"/>).</param>
    /// <param name="interrupt">The interrupt to obey; null listens for SIGINT and SIGTERM.</param>
    /// <param name="rawStdout">The process's standard output stream under <paramref name="stdout"/>, or null.</param>
    internal static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, IArrayFiles files, int? helpWidth = null, InterruptSignal? interrupt = null, Stream? rawStdout = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        var context = new CliContext(stdout, stderr, files, rawStdout);
        RootCommand root = BuildRoot(context, helpWidth);

        // No response files: an argument starting with '@' is just text, as every other tool driving laxscan expects.
        var parserConfiguration = new ParserConfiguration { ResponseFileTokenReplacer = null };
        ParseResult parsed = root.Parse(args, parserConfiguration);
        if (parsed.Action is ParseErrorAction)
        {
            if (IsMissingSubcommand(parsed))
            {
                // `laxscan` or `laxscan random` alone: a person gets the help, a script still gets a usage error
                // (exit 2, nothing on stdout, the error line last on stderr).
                root.Parse([.. CliHelp.PathOf(parsed), "--help"], parserConfiguration).Invoke(new InvocationConfiguration { Output = stderr, Error = stderr });
                return Fail(stderr, ExitCodes.Usage, $"no command given: {string.Join(' ', ["laxscan", .. CliHelp.PathOf(parsed)])} needs one of the commands above");
            }

            if (UnknownSubcommand(parsed) is { } unknown)
            {
                return Fail(stderr, ExitCodes.Usage, unknown);
            }

            return Fail(stderr, ExitCodes.Usage, string.Join("; ", parsed.Errors.Select(e => e.Message).Distinct()));
        }

        // Every command, present and future, runs with Ctrl-C and SIGTERM turned into its cancellation.
        InterruptSignal signal = interrupt ?? InterruptSignal.Listen();
        try
        {
            // Help prints and writes nothing, so it needs no output checks (and --help wins over a bad --out).
            bool writes = parsed.Action is not System.CommandLine.Help.HelpAction;
            context.Begin(signal, writes ? CliOutputs.Check(parsed, files, rawStdout is not null) : CliOutputs.None);
            int exitCode = parsed.Invoke(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            });

            // Flush here, inside the handler, so a full disk or closed stream is reported like any other failure.
            stdout.Flush();
            return exitCode;
        }
        catch (OperationCanceledException) when (signal.Raised)
        {
            return Fail(stderr, ExitCodes.Interrupted, InterruptSignal.Message);
        }
        catch (UsageException e)
        {
            return Fail(stderr, ExitCodes.Usage, e.Message);
        }
        catch (Exception e)
        {
            // Whatever the library or the file system throws ends as one line: the contract forbids stack traces.
            return Fail(stderr, ExitCodes.Failure, ErrorText.Of(e));
        }
        finally
        {
            if (interrupt is null)
            {
                signal.Dispose();
            }
        }
    }

    /// <summary>
    /// The command tree of <c>laxscan</c>, for the in-process runs and for docs/cli.md's generator; its commands act
    /// on <paramref name="context"/>.
    /// </summary>
    internal static RootCommand BuildRoot(CliContext context, int? helpWidth = null)
    {
        var root = new RootCommand(
            "laxscan: JAX/Flax float32 results, bit for bit. Every command prints its result as JSON on standard output; "
            + "exit code 0 on success, 1 on failure, 2 on a usage error, with one 'error: ...' line on standard error.")
        {
            HelpName = "laxscan",
        };
        CliHelp.Examples(
            root,
            "laxscan run --hidden 4 --steps 10 --x 0.5,-1,0.25,2 --seed 0",
            "laxscan params --hidden 4 --seed 0",
            "laxscan random split --seed 0",
            "laxscan random normal --seed 42 --shape 3",
            "laxscan init lecun_normal --seed 0 --shape 4,3",
            "laxscan rnn --cell lstm --hidden 64 --params variables.msgpack --x-file x.npy",
            "laxscan verify bundle/",
            "laxscan random split --help");
        CliHelp.Install(root, helpWidth);
        root.Subcommands.Add(RunCommand.Create(context));
        root.Subcommands.Add(ParamsCommand.Create(context));
        root.Subcommands.Add(RandomCommand.Create(context));
        root.Subcommands.Add(InitCommand.Create(context));
        root.Subcommands.Add(VerifyCommand.Create(context));
        root.Subcommands.Add(RnnCommand.Create(context));
        return root;
    }

    // Only the missing command is wrong: a group (the root, `random`) was given nothing else, no stray word or option.
    private static bool IsMissingSubcommand(ParseResult parsed) =>
        parsed.CommandResult.Command is { Subcommands.Count: > 0, Action: null }
        && parsed.UnmatchedTokens.Count == 0
        && parsed.Errors.Count == 1
        && !parsed.CommandResult.Children.Any();

    /// <summary>
    /// For a group given a word that is none of its commands (<c>laxscan rnadom split</c>): the unknown command first,
    /// with the commands there are, instead of the parser's "Required command was not provided." followed by every
    /// word it could not place.
    /// </summary>
    private static string? UnknownSubcommand(ParseResult parsed)
    {
        Command group = parsed.CommandResult.Command;
        if (group.Subcommands.Count == 0 || group.Action is not null || parsed.UnmatchedTokens.Count == 0 || parsed.UnmatchedTokens[0].StartsWith('-'))
        {
            return null;
        }

        string where = string.Join(' ', ["laxscan", .. CliHelp.PathOf(parsed)]);
        return $"unknown command '{parsed.UnmatchedTokens[0]}' for {where}; its commands are {string.Join(", ", group.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))} (see {where} --help)";
    }

    private static int Fail(TextWriter stderr, int exitCode, string message)
    {
        try
        {
            stderr.Write("error: ");
            stderr.Write(ErrorText.OneLine(message));
            stderr.Write('\n');
            stderr.Flush();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            // Standard error is closed (2>&-) or broken: the exit code is all that can still tell the failure.
        }

        return exitCode;
    }
}

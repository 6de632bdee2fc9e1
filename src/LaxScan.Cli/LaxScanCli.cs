using System.CommandLine;
using System.CommandLine.Invocation;
using LaxScan.Cli.Commands;
using LaxScan.Cli.Io;

namespace LaxScan.Cli;

/// <summary>
/// The <c>laxscan</c> command line as a function: arguments and two writers in, exit code out. The process entry
/// point and the in-process tests both call it.
/// </summary>
public static class LaxScanCli
{
    /// <summary>Runs one <c>laxscan</c> command line.</summary>
    /// <param name="args">The arguments after the program name.</param>
    /// <param name="stdout">Receives the JSON result (or help text), and nothing else.</param>
    /// <param name="stderr">Receives the one <c>error: ...</c> line of a failure.</param>
    /// <returns>An <see cref="ExitCodes"/> value: 0 success, 1 failure, 2 usage error.</returns>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr) =>
        Run(args, stdout, stderr, ArrayFiles.Default);

    internal static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, IArrayFiles files)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        var context = new CliContext(stdout, stderr, files);
        RootCommand root = BuildRoot(context);

        // No response files: an argument starting with '@' is just text, as every other tool driving laxscan expects.
        ParseResult parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Action is ParseErrorAction)
        {
            return Fail(stderr, ExitCodes.Usage, string.Join("; ", parsed.Errors.Select(e => e.Message).Distinct()));
        }

        try
        {
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
        catch (UsageException e)
        {
            return Fail(stderr, ExitCodes.Usage, e.Message);
        }
        catch (Exception e)
        {
            // Whatever the library or the file system throws ends as one line: the contract forbids stack traces.
            return Fail(stderr, ExitCodes.Failure, ErrorText.Of(e));
        }
    }

    private static RootCommand BuildRoot(CliContext context)
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
            "laxscan verify bundle/",
            "laxscan random split --help");
        CliHelp.Install(root);
        root.Subcommands.Add(RunCommand.Create(context));
        root.Subcommands.Add(ParamsCommand.Create(context));
        root.Subcommands.Add(RandomCommand.Create(context));
        root.Subcommands.Add(InitCommand.Create(context));
        root.Subcommands.Add(VerifyCommand.Create(context));
        return root;
    }

    private static int Fail(TextWriter stderr, int exitCode, string message)
    {
        stderr.Write("error: ");
        stderr.Write(ErrorText.OneLine(message));
        stderr.Write('\n');
        stderr.Flush();
        return exitCode;
    }
}

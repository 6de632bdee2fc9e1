using System.CommandLine;
using LaxScan.Cli.Output;
using LaxScan.Cli.Parsing;
using LaxScan.Cli.Progress;

namespace LaxScan.Cli.Commands;

/// <summary>
/// The options <c>run</c> has beyond cli.md: <c>--threads</c>, <c>--trace</c>, <c>--progress</c> and <c>--no-progress</c>.
/// In a file of their own so that <c>RunCommand</c> stays a short list of the contract's options.
/// </summary>
internal sealed class RunExtras
{
    private RunExtras(Command command, string? traceDescription)
    {
        Threads = CliOptions.Create<int>(
            "--threads",
            "N",
            "Threads per step: 0 picks by size (one thread below H = 256), 1 runs on one thread, N splits each step N ways; at most one per processor. The result is the same bits for every N. [default: 0]",
            CliValues.TryParseInt32);
        Trace = CliOptions.OutputPath(
            "--trace",
            "FILE.npy",
            traceDescription ?? "Also write every state, step 0 = tanh(x @ W) then each of the T steps, as float32 of shape (T + 1, H) (or (T + 1, B, H)), streamed to disk as the run goes; complete or not at all (a FIFO, a device or /dev/stdout receives it as it goes). The free disk space is checked first.");
        Progress = new Option<bool>("--progress") { Description = "Show the progress line on standard error even when it is not a terminal. [default: only on a terminal, for runs over a second]" };
        NoProgress = new Option<bool>("--no-progress") { Description = "Never show the progress line." };
        command.Options.Add(Threads);
        command.Options.Add(Trace);
        command.Options.Add(Progress);
        command.Options.Add(NoProgress);
        command.Validators.Add(result =>
        {
            if (result.GetValue(Progress) && result.GetValue(NoProgress))
            {
                result.AddError("--progress and --no-progress contradict each other; use one of them");
            }
        });
    }

    /// <summary><c>--threads N</c>.</summary>
    public Option<int?> Threads { get; }

    /// <summary><c>--trace FILE.npy</c>.</summary>
    public OutputPathOption Trace { get; }

    /// <summary><c>--progress</c>.</summary>
    public Option<bool> Progress { get; }

    /// <summary><c>--no-progress</c>.</summary>
    public Option<bool> NoProgress { get; }

    /// <summary>Adds the options to <paramref name="command"/>; <paramref name="traceDescription"/> says what its trace holds (default: run's states).</summary>
    public static RunExtras AddTo(Command command, string? traceDescription = null) => new(command, traceDescription);

    /// <summary>The thread count; negative values reach the library, which names the rule.</summary>
    public int GetThreads(ParseResult result) => result.GetValue(Threads) ?? 0;

    /// <summary>The trace path, or null.</summary>
    public string? GetTrace(ParseResult result) => result.GetValue(Trace);

    /// <summary>The progress choice.</summary>
    public ProgressMode GetProgress(ParseResult result) =>
        result.GetValue(Progress) ? ProgressMode.On : result.GetValue(NoProgress) ? ProgressMode.Off : ProgressMode.Auto;
}

namespace LaxScan.Cli;

/// <summary>The process exit codes of the <c>laxscan</c> contract.</summary>
internal static class ExitCodes
{
    /// <summary>The command ran and printed its result.</summary>
    public const int Success = 0;

    /// <summary>The command line was well formed but the command failed (an invalid value for the computation, memory, I/O).</summary>
    public const int Failure = 1;

    /// <summary>The command line could not be understood: unknown command or option, missing value, malformed number.</summary>
    public const int Usage = 2;

    /// <summary>The command was interrupted (Ctrl-C, SIGTERM): 128 + SIGINT, what shells report for a process Ctrl-C stopped.</summary>
    public const int Interrupted = 130;
}

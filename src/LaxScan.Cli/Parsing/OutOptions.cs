using System.CommandLine;
using LaxScan.Cli.Output;

namespace LaxScan.Cli.Parsing;

/// <summary>What a command was asked to do with its result: the <c>--out</c> file, and whether <c>--quiet</c> leaves the values out of the JSON.</summary>
internal readonly record struct OutRequest(string? Path, bool Quiet);

/// <summary>
/// <c>--out FILE</c> and <c>--quiet</c>, which every command with a result has: the file, and with <c>--quiet</c> a
/// one-line summary on standard output instead of the values, for results too large to print.
/// </summary>
internal sealed class OutOptions
{
    private OutOptions(Command command, string description)
    {
        Out = CliOptions.OutputPath("--out", "FILE.npy", description);
        Quiet = new Option<bool>("--quiet")
        {
            Description = "With --out: print only a summary, {\"out\":FILE,\"dtype\":...,\"shape\":[...]}, instead of the values (which can be gigabytes of JSON).",
        };
        command.Options.Add(Out);
        command.Options.Add(Quiet);
        command.Validators.Add(result =>
        {
            if (result.GetValue(Quiet) && result.GetResult(Out) is null)
            {
                result.AddError("--quiet leaves the values out of standard output, so it needs --out FILE to save them");
            }
        });
    }

    /// <summary><c>--out</c>.</summary>
    public OutputPathOption Out { get; }

    /// <summary><c>--quiet</c>.</summary>
    public Option<bool> Quiet { get; }

    /// <summary>Adds <c>--out</c> (writing <paramref name="what"/> to a .npy file) and <c>--quiet</c> to <paramref name="command"/>.</summary>
    public static OutOptions AddTo(Command command, string what) =>
        new(command, $"Also write {what} to this NumPy .npy file (complete or not at all; a FIFO or device is written in place, /dev/stdout takes the place of the JSON).");

    /// <summary>Adds <c>--out</c> with its own description, and <c>--quiet</c>.</summary>
    public static OutOptions AddWithDescription(Command command, string description) => new(command, description);

    /// <summary>The request as parsed.</summary>
    public OutRequest Get(ParseResult result) => new(result.GetValue(Out), result.GetValue(Quiet));
}

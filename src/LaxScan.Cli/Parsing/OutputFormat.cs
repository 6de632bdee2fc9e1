using System.CommandLine;

namespace LaxScan.Cli.Parsing;

/// <summary>What a command writes to <c>--out</c> when it can write either: a .npy array or a Flax checkpoint.</summary>
internal enum OutputFormat
{
    /// <summary>A NumPy .npy file.</summary>
    Npy,

    /// <summary>A Flax checkpoint, <c>flax.serialization.to_bytes</c>.</summary>
    Msgpack,
}

/// <summary>
/// <c>--format npy|msgpack</c>: the format of <c>--out</c> when its name cannot say (a stream such as
/// <c>/dev/stdout</c>, a FIFO); by default a name ending in <c>.msgpack</c> is a checkpoint and any other a .npy file.
/// </summary>
internal static class OutputFormats
{
    /// <summary>Adds <c>--format</c> with the given formats to <paramref name="command"/>; it needs <paramref name="output"/>'s <c>--out</c>.</summary>
    public static Option<OutputFormat?> AddTo(Command command, OutOptions output, params (string Word, OutputFormat Value)[] formats)
    {
        Option<OutputFormat?> format = CliOptions.Choice(
            "--format",
            "The format of --out, for a path whose name does not say it (/dev/stdout, a FIFO). [default: by the name: .msgpack is a Flax checkpoint, anything else .npy]",
            formats);
        command.Options.Add(format);
        command.Validators.Add(result =>
        {
            if (result.GetResult(format) is not null && result.GetResult(output.Out) is null)
            {
                result.AddError("--format says how to write --out, so it needs --out FILE");
            }
        });
        return format;
    }

    /// <summary>The format of <paramref name="path"/>: <paramref name="given"/>, else by its name.</summary>
    public static OutputFormat Of(string path, OutputFormat? given) =>
        given ?? (path.EndsWith(".msgpack", StringComparison.OrdinalIgnoreCase) ? OutputFormat.Msgpack : OutputFormat.Npy);
}

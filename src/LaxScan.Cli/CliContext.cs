using LaxScan.Cli.Io;
using LaxScan.Cli.Output;

namespace LaxScan.Cli;

/// <summary>Where a command's result goes: standard output for JSON, standard error for diagnostics, and the array files.</summary>
internal sealed class CliContext(TextWriter stdout, TextWriter stderr, IArrayFiles files)
{
    /// <summary>Standard output: the JSON result and nothing else.</summary>
    public TextWriter Out { get; } = stdout;

    /// <summary>Standard error: the one <c>error:</c> line of a failure.</summary>
    public TextWriter Error { get; } = stderr;

    /// <summary>The .npy reader and writer.</summary>
    public IArrayFiles Files { get; } = files;

    /// <summary>
    /// Finishes a command: writes <paramref name="array"/> to <paramref name="outPath"/> when given, then the array
    /// as JSON. The file comes first so that a failure to write it leaves standard output empty.
    /// </summary>
    public int Emit<T>(NDArray<T> array, string? outPath)
        where T : unmanaged, ISpanFormattable
    {
        if (outPath is not null)
        {
            Files.Write(outPath, array);
        }

        var json = new JsonOutput(Out);
        json.WriteArray(array);
        json.End();
        return ExitCodes.Success;
    }

    /// <summary>Finishes a command whose result is a Flax variables tree.</summary>
    public int EmitVariables(Linen.Variables variables)
    {
        var json = new JsonOutput(Out);
        json.WriteVariables(variables);
        json.End();
        return ExitCodes.Success;
    }
}

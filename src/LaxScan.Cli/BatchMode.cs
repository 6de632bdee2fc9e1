using System.Text;
using System.Text.Json;
using LaxScan.Cli.Cancellation;
using LaxScan.Cli.Io;

namespace LaxScan.Cli;

/// <summary>
/// <c>laxscan __batch</c>, not a command for users (it is in no help): runs many command lines in one process, for the
/// tests that run every command under each JIT and SIMD environment (<c>CrossEnvironmentDeterminismTests</c>), where a
/// process per command line spent the time on start-up. Standard input holds one command line per line, as a JSON
/// array of strings; standard output gets one JSON object per line, <c>{"exit":0,"stdout":"...","stderr":"..."}</c>,
/// in order. Each command line runs exactly as <see cref="LaxScanCli.Run(IReadOnlyList{string}, TextWriter, TextWriter)"/>
/// runs it in-process, with its own output writers.
/// </summary>
internal static class BatchMode
{
    /// <summary>The one argument that selects this mode.</summary>
    public const string Argument = "__batch";

    /// <summary>Runs every command line of <paramref name="input"/>, writing one result line each to <paramref name="output"/>.</summary>
    /// <returns>0 when every line was a JSON array of strings, 2 at the first that is not (with an <c>error:</c> line).</returns>
    public static int Run(TextReader input, Stream output, TextWriter error)
    {
        string? line;
        while ((line = input.ReadLine()) is not null)
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (!TryParse(line, out string[] args))
            {
                error.Write($"error: {Argument} expects one JSON array of strings per line, but got '{line}'\n");
                error.Flush();
                return ExitCodes.Usage;
            }

            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            using InterruptSignal interrupt = InterruptSignal.Manual();
            int exitCode = LaxScanCli.Run(args, stdout, stderr, ArrayFiles.Default, interrupt: interrupt);
            using (var json = new Utf8JsonWriter(output))
            {
                json.WriteStartObject();
                json.WriteNumber("exit", exitCode);
                json.WriteString("stdout", stdout.ToString());
                json.WriteString("stderr", stderr.ToString());
                json.WriteEndObject();
            }

            output.WriteByte((byte)'\n');
            output.Flush();
        }

        return ExitCodes.Success;
    }

    private static bool TryParse(string line, out string[] args)
    {
        args = [];
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(line));
        var items = new List<string>();
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.String)
                {
                    return false;
                }

                items.Add(reader.GetString()!);
            }

            if (reader.TokenType != JsonTokenType.EndArray || reader.Read())
            {
                return false;
            }
        }
        catch (JsonException)
        {
            return false;
        }

        args = [.. items];
        return true;
    }
}

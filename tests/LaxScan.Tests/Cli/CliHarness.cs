using System.Text.Json;
using LaxScan.Cli;
using LaxScan.Cli.Io;

namespace LaxScan.Tests.Cli;

/// <summary>One run of the command line: exit code and the two streams.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The stdout document, after checking it is the whole of stdout: one JSON value and one newline.</summary>
    public JsonElement Json
    {
        get
        {
            Assert.True(ExitCode == 0, $"exit {ExitCode}, stderr: {Stderr}");
            Assert.Equal(string.Empty, Stderr);
            Assert.EndsWith("\n", Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', Stdout[..^1]);
            return JsonDocument.Parse(Stdout).RootElement.Clone();
        }
    }

    /// <summary>The JSON text without its newline.</summary>
    public string Text => Stdout.TrimEnd('\n');
}

/// <summary>Runs <c>laxscan</c> in-process through <see cref="LaxScanCli.Run(IReadOnlyList{string}, TextWriter, TextWriter)"/>.</summary>
internal static class CliHarness
{
    public static CliRun Run(params string[] args) => Run(new NpyArrayFiles(), args);

    public static CliRun Run(IArrayFiles files, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exitCode = LaxScanCli.Run(args, stdout, stderr, files);
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Asserts the contract of a failure: the exit code, empty stdout, exactly one <c>error: </c> line.</summary>
    public static string AssertFails(CliRun run, int exitCode)
    {
        Assert.True(run.ExitCode == exitCode, $"expected exit {exitCode}, got {run.ExitCode}; stdout: {run.Stdout}; stderr: {run.Stderr}");
        Assert.Equal(string.Empty, run.Stdout);
        Assert.StartsWith("error: ", run.Stderr, StringComparison.Ordinal);
        Assert.EndsWith("\n", run.Stderr, StringComparison.Ordinal);
        Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
        return run.Stderr["error: ".Length..^1];
    }

    /// <summary>Reads a JSON float as the CLI writes it: a number, or one of the strings for NaN and the infinities.</summary>
    public static float Float(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => float.Parse(element.GetRawText(), System.Globalization.CultureInfo.InvariantCulture),
        JsonValueKind.String => element.GetString() switch
        {
            "NaN" => float.NaN,
            "Infinity" => float.PositiveInfinity,
            "-Infinity" => float.NegativeInfinity,
            var s => throw new FormatException($"not a float: {s}"),
        },
        _ => throw new FormatException($"not a float: {element}"),
    };

    /// <summary>Asserts the JSON is <paramref name="expected"/>: the same nesting as its shape and the same float32 bits (any NaN for NaN).</summary>
    public static void AssertSameArray(NDArray<float> expected, JsonElement json)
    {
        var values = new List<float>();
        Flatten(json, expected.Shape.Dimensions, values);
        Assert.Equal(expected.Length, values.Count);
        for (int i = 0; i < values.Count; i++)
        {
            float e = expected.Data[i];
            Assert.True(
                float.IsNaN(e) ? float.IsNaN(values[i]) : BitConverter.SingleToUInt32Bits(e) == BitConverter.SingleToUInt32Bits(values[i]),
                $"element {i}: expected {e:R}, got {values[i]:R}");
        }
    }

    public static float[] Floats(JsonElement array) => [.. array.EnumerateArray().Select(Float)];

    private static void Flatten(JsonElement json, ReadOnlySpan<int> dimensions, List<float> values)
    {
        if (dimensions.IsEmpty)
        {
            values.Add(Float(json));
            return;
        }

        Assert.Equal(JsonValueKind.Array, json.ValueKind);
        Assert.Equal(dimensions[0], json.GetArrayLength());
        foreach (JsonElement item in json.EnumerateArray())
        {
            Flatten(item, dimensions[1..], values);
        }
    }

    public static ulong[] Integers(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetUInt64())];
}

/// <summary>A fresh directory under the system's temporary folder, deleted with everything in it on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"laxscan-cli-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string this[string name] => System.IO.Path.Combine(Path, name);

    /// <summary>The names of the files in the directory, sorted: temporary files left behind show up here too.</summary>
    public string[] Files() => [.. Directory.EnumerateFileSystemEntries(Path).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal)!];

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>An <see cref="IArrayFiles"/> that keeps what was written, or fails when asked to.</summary>
internal sealed class RecordingArrayFiles(Exception? failure = null) : IArrayFiles
{
    public Dictionary<string, INDArray> Written { get; } = [];

    public Dictionary<string, NDArray<float>> Readable { get; } = [];

    // Writes nowhere, so there is no file for the output checks to look at.
    public LaxScan.Io.OutputTarget? ResolveOutput(string path) => null;

    public void Write<T>(string path, NDArray<T> array, CancellationToken cancellationToken)
        where T : unmanaged
    {
        if (failure is not null)
        {
            throw failure;
        }

        Written[path] = array;
    }

    public NDArray<float> ReadFloat32(string path) =>
        Readable.TryGetValue(path, out NDArray<float>? array) ? array : throw new FileNotFoundException($"no such file: '{path}'", path);

    public Dictionary<string, LaxScan.Linen.Variables> WrittenVariables { get; } = [];

    public void WriteVariables(string path, LaxScan.Linen.Variables variables, CancellationToken cancellationToken)
    {
        if (failure is not null)
        {
            throw failure;
        }

        WrittenVariables[path] = variables;
    }

    public LaxScan.Linen.Variables ReadVariables(string path) =>
        WrittenVariables.TryGetValue(path, out LaxScan.Linen.Variables? variables) ? variables : throw new FileNotFoundException($"no such file: '{path}'", path);
}

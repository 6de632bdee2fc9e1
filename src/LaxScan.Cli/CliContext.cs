using System.Runtime.ExceptionServices;
using LaxScan.Cli.Cancellation;
using LaxScan.Cli.Io;
using LaxScan.Cli.Output;
using LaxScan.Cli.Parsing;
using LaxScan.Io;
using LaxScan.Linen;

namespace LaxScan.Cli;

/// <summary>
/// What a command works with: standard output for JSON, standard error for diagnostics, the array files, the
/// cancellation that Ctrl-C and SIGTERM trigger, and the checked outputs. Every write of a result goes through here,
/// so each command gets the same guarantees (see docs/reliability.md) without code of its own.
/// </summary>
/// <remarks>
/// A command's part: declare its outputs as <see cref="OutputPathOption"/>s (<see cref="OutOptions"/> for
/// <c>--out</c>), pass <see cref="Cancellation"/> to library calls that take a token, wrap calls that take none in
/// <see cref="Compute{T}"/>, and write through <see cref="WriteArray{T}"/>, <see cref="WriteVariables"/>,
/// <see cref="WriteBytes"/>, <see cref="CreateStream{T}(string, Shape)"/> and <see cref="Emit{T}(NDArray{T}, OutRequest)"/>.
/// </remarks>
internal sealed class CliContext(TextWriter stdout, TextWriter stderr, IArrayFiles files, Stream? rawStdout = null)
{
    private InterruptSignal? _interrupt;

    /// <summary>Standard output: the JSON result and nothing else.</summary>
    public TextWriter Out { get; } = stdout;

    /// <summary>Standard error: the one <c>error:</c> line of a failure.</summary>
    public TextWriter Error { get; } = stderr;

    /// <summary>The .npy reader and writer.</summary>
    public IArrayFiles Files { get; } = files;

    /// <summary>Cancelled by the first SIGINT or SIGTERM while the command runs.</summary>
    public CancellationToken Cancellation => _interrupt?.Token ?? CancellationToken.None;

    /// <summary>The command line's outputs, checked before the command started.</summary>
    public CliOutputs Outputs { get; private set; } = CliOutputs.None;

    /// <summary>Called by <see cref="LaxScanCli"/> before the command's action: its interrupt and checked outputs.</summary>
    public void Begin(InterruptSignal interrupt, CliOutputs outputs)
    {
        _interrupt = interrupt;
        Outputs = outputs;
    }

    /// <summary>
    /// Runs library work that takes no cancellation token on a background thread and waits for it, so Ctrl-C ends the
    /// command at once (<see cref="OperationCanceledException"/>) instead of after the work. The abandoned work writes
    /// no file (results are written afterwards, here), and the process exits without waiting for it.
    /// </summary>
    public T Compute<T>(Func<T> work)
    {
        CancellationToken token = Cancellation;
        token.ThrowIfCancellationRequested();
        Task<T> task = Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
        try
        {
            task.Wait(token);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        return task.Result;
    }

    /// <summary>Writes <paramref name="array"/> as a .npy file to an output path (to standard output when that is where it points).</summary>
    public void WriteArray<T>(string path, NDArray<T> array)
        where T : unmanaged =>
        Writing(path, () =>
        {
            if (Outputs.IsStandardOutput(path))
            {
                using OutputFile file = OpenStandardOutput();
                NpyWriter.Write(file.Stream, array, Cancellation);
                file.Commit();
                return;
            }

            Files.Write(path, array, Cancellation);
        });

    /// <summary>Writes variables as a Flax checkpoint to an output path.</summary>
    public void WriteVariables(string path, Variables variables)
    {
        if (Outputs.IsStandardOutput(path))
        {
            WriteBytes(path, FlaxSerialization.ToBytes(variables));
            return;
        }

        Writing(path, () => Files.WriteVariables(path, variables, Cancellation));
    }

    /// <summary>Writes whole content (a PNG, say) to an output path.</summary>
    public void WriteBytes(string path, ReadOnlySpan<byte> bytes)
    {
        byte[] content = bytes.ToArray();
        Writing(path, () =>
        {
            using OutputFile file = Outputs.IsStandardOutput(path) ? OpenStandardOutput() : OutputFile.Create(path, Cancellation);
            file.Write(content, Cancellation);
            file.Commit();
        });
    }

    /// <summary>Starts a .npy file written row by row (a trace) at an output path.</summary>
    public NpyStreamWriter<T> CreateStream<T>(string path, Shape shape)
        where T : unmanaged =>
        CreateStream<T>(path, shape, 1);

    /// <summary>Starts a .npy file written row by row, its rows indexed by the first <paramref name="rowAxes"/> axes.</summary>
    public NpyStreamWriter<T> CreateStream<T>(string path, Shape shape, int rowAxes)
        where T : unmanaged
    {
        NpyStreamWriter<T>? writer = null;
        Writing(path, () => writer = Outputs.IsStandardOutput(path) ? new NpyStreamWriter<T>(FlushedStandardOutput(), shape, rowAxes) : new NpyStreamWriter<T>(path, shape, rowAxes, Cancellation));
        return writer!;
    }

    /// <summary>
    /// Runs a write to the output <paramref name="path"/>; a failure of the file system (a FIFO's reader gone, a full
    /// device, no permission) becomes an error naming the option and the path (<see cref="CliOutputs.WriteFailure"/>).
    /// Standard output's own failures already name it and pass through.
    /// </summary>
    public void Writing(string path, Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && !Outputs.IsStandardOutput(path))
        {
            throw Outputs.WriteFailure(path, e);
        }
    }

    /// <summary>
    /// Finishes a command: writes <paramref name="array"/> to <c>--out</c> when given, then the array as JSON (or its
    /// summary with <c>--quiet</c>, or nothing when an output took standard output's place). The file comes first so
    /// that a failure to write it leaves standard output empty.
    /// </summary>
    public int Emit<T>(NDArray<T> array, OutRequest output)
        where T : unmanaged, ISpanFormattable
    {
        if (output.Path is { } path)
        {
            WriteArray(path, array);
        }

        if (Outputs.ReplacesJson)
        {
            return ExitCodes.Success;
        }

        var json = new JsonOutput(Out, Cancellation);
        if (output.Quiet)
        {
            json.WriteSummary(output.Path!, array);
        }
        else
        {
            json.WriteArray(array);
        }

        json.End();
        return ExitCodes.Success;
    }

    /// <summary>Finishes a command with an <c>--out</c> path and no <c>--quiet</c>, as <see cref="Emit{T}(NDArray{T}, OutRequest)"/> does.</summary>
    public int Emit<T>(NDArray<T> array, string? outPath)
        where T : unmanaged, ISpanFormattable =>
        Emit(array, new OutRequest(outPath, Quiet: false));

    /// <summary>Finishes a command whose result is a Flax variables tree (already written to <c>--out</c>).</summary>
    public int EmitVariables(Variables variables, OutRequest output)
    {
        if (Outputs.ReplacesJson)
        {
            return ExitCodes.Success;
        }

        var json = new JsonOutput(Out, Cancellation);
        if (output.Quiet)
        {
            json.WriteSummary(output.Path!, variables);
        }
        else
        {
            json.WriteVariables(variables);
        }

        json.End();
        return ExitCodes.Success;
    }

    /// <summary>Finishes a command whose result is a Flax variables tree, printing the whole tree.</summary>
    public int EmitVariables(Variables variables) => EmitVariables(variables, default);

    private OutputFile OpenStandardOutput() => OutputFile.InPlace(FlushedStandardOutput());

    // Only reached when CliOutputs found an output on standard output, which it does only when there is a raw stream.
    private Stream FlushedStandardOutput()
    {
        Out.Flush();
        return rawStdout!;
    }
}

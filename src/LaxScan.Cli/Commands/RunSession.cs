using LaxScan.Cli.Cancellation;
using LaxScan.Cli.Io;
using LaxScan.Cli.Progress;
using LaxScan.Io;
using LaxScan.Models;

namespace LaxScan.Cli.Commands;

/// <summary>
/// What <c>run</c> keeps around its computation: Ctrl-C handling, the progress line and the <c>--trace</c> file. Each is
/// set up before W is allocated, so a trace that cannot fit fails first, and torn down in <see cref="Dispose"/>, so an
/// interrupted or failed run leaves neither a progress line nor a partial trace behind.
/// </summary>
internal sealed class RunSession : IDisposable
{
    private readonly InterruptSignal _interrupt;
    private readonly StepProgress? _progress;
    private readonly NpyStreamWriter<float>? _trace;

    private RunSession(InterruptSignal interrupt, StepProgress? progress, NpyStreamWriter<float>? trace)
    {
        _interrupt = interrupt;
        _progress = progress;
        _trace = trace;
    }

    /// <summary>Whether SIGINT or SIGTERM stopped the run.</summary>
    public bool Interrupted => _interrupt.Raised;

    /// <summary>Reads <c>--x-file</c>, turning .NET's messages for a missing file or a directory into ones that name the option.</summary>
    public static NDArray<float> ReadXFile(IArrayFiles files, string path)
    {
        // Checked first because opening a directory reports "Access to the path is denied", which sends the user looking at permissions.
        if (Directory.Exists(path))
        {
            throw new IOException($"--x-file '{path}': is a directory, not a .npy file");
        }

        try
        {
            return files.ReadFloat32(path);
        }
        catch (FileNotFoundException)
        {
            throw new IOException($"--x-file '{path}': no such file");
        }
        catch (DirectoryNotFoundException)
        {
            throw new IOException($"--x-file '{path}': no such file (its directory does not exist)");
        }
        catch (UnauthorizedAccessException)
        {
            throw new IOException($"--x-file '{path}': permission denied");
        }
    }

    /// <summary>
    /// Runs <paramref name="compute"/> inside a session: returns its result with the trace complete, or null when
    /// Ctrl-C or SIGTERM stopped it (the trace deleted, the progress line erased).
    /// </summary>
    public static NDArray<float>? Run(CliContext context, long steps, Shape xShape, string? tracePath, ProgressMode progress, Func<RunSession, NDArray<float>> compute) =>
        RunTraced(context, steps, tracePath is null ? null : TraceShape(tracePath, steps, xShape), 1, tracePath, progress, compute);

    /// <summary>
    /// <see cref="Run(CliContext, long, Shape, string?, ProgressMode, Func{RunSession, NDArray{float}})"/> for any command
    /// whose run reports <paramref name="progressSteps"/> steps and traces <paramref name="traceShape"/>, whose first
    /// <paramref name="traceRowAxes"/> axes index the rows written, in order, through <see cref="Observe"/>.
    /// </summary>
    public static T? RunTraced<T>(CliContext context, long progressSteps, Shape? traceShape, int traceRowAxes, string? tracePath, ProgressMode progress, Func<RunSession, T> compute)
        where T : class
    {
        using RunSession session = StartSession(context, progressSteps, traceShape, tracePath, progress, traceRowAxes);
        try
        {
            T result = compute(session);
            session.Complete();
            return result;
        }
        catch (OperationCanceledException) when (session.Interrupted)
        {
            return null;
        }
    }

    /// <summary>Cancelled by Ctrl-C or SIGTERM.</summary>
    public CancellationToken Token => _interrupt.Token;

    /// <summary>Reports a finished step: its trace row (when tracing) and the progress count.</summary>
    public void Observe(long step, ReadOnlySpan<float> traceRow)
    {
        _trace?.WriteRow(traceRow);
        _progress?.Report(step);
    }

    /// <summary>Whether <see cref="Observe"/> writes trace rows, so a caller can skip building them.</summary>
    public bool Tracing => _trace is not null;

    /// <summary>Writes the one error line of an interrupted run and returns its exit code.</summary>
    public static int ReportInterrupted(CliContext context)
    {
        context.Error.Write($"error: {InterruptSignal.Message}\n");
        context.Error.Flush();
        return ExitCodes.Interrupted;
    }

    /// <summary>Starts listening for Ctrl-C, the progress line, and the trace file (after checking it fits on its disk).</summary>
    /// <param name="context">Where the progress line goes.</param>
    /// <param name="steps">T, already checked to be &gt;= 0.</param>
    /// <param name="xShape">The shape of x: each trace row is one state of that shape.</param>
    /// <param name="tracePath"><c>--trace</c>, or null.</param>
    /// <param name="progress">The <c>--progress</c>/<c>--no-progress</c> choice.</param>
    public static RunSession Start(CliContext context, long steps, Shape xShape, string? tracePath, ProgressMode progress) =>
        StartSession(context, steps, tracePath is null ? null : TraceShape(tracePath, steps, xShape), tracePath, progress);

    private static RunSession StartSession(CliContext context, long steps, Shape? traceShape, string? tracePath, ProgressMode progress, int rowAxes = 1)
    {
        NpyStreamWriter<float>? trace = tracePath is null ? null : CreateTrace(tracePath, traceShape!, rowAxes);
        InterruptSignal? interrupt = null;
        try
        {
            interrupt = InterruptSignal.Listen();
            return new RunSession(interrupt, StepProgress.Start(progress, context.Error, steps), trace);
        }
        catch
        {
            interrupt?.Dispose();
            trace?.Dispose();
            throw;
        }
    }

    /// <summary><paramref name="options"/> with this session's cancellation, and its step observer added to any already there.</summary>
    public LaxScanOptions Configure(LaxScanOptions options)
    {
        StepObserver? observer = (_trace, _progress) switch
        {
            (null, null) => null,
            (null, { } p) => (step, _) => p.Report(step),
            ({ } t, null) => (_, state) => t.WriteRow(state),
            ({ } t, { } p) => (step, state) =>
            {
                t.WriteRow(state);
                p.Report(step);
            },
        };
        // Combined, not replaced: another feature (--plot) may already observe the steps.
        return options with { CancellationToken = _interrupt.Token, OnStep = options.OnStep + observer };
    }

    /// <summary>The run finished: moves the trace under its name.</summary>
    public void Complete() => _trace?.Complete();

    /// <summary>Erases the progress line, deletes an incomplete trace, and stops intercepting Ctrl-C.</summary>
    public void Dispose()
    {
        _progress?.Dispose();
        _trace?.Dispose();
        _interrupt.Dispose();
    }

    /// <summary>run's trace: T + 1 states of x's shape.</summary>
    private static Shape TraceShape(string path, long steps, Shape xShape)
    {
        // A .npy dimension here is an int32, so T + 1 rows must fit one.
        if (steps >= int.MaxValue)
        {
            throw new ArgumentException($"--trace '{path}' would hold T + 1 = {steps + 1:N0} states, more than the {int.MaxValue:N0} rows a trace can have; trace at most {int.MaxValue - 1:N0} steps");
        }

        return new Shape([(int)(steps + 1), .. xShape.Dimensions]);
    }

    private static NpyStreamWriter<float> CreateTrace(string path, Shape shape, int rowAxes)
    {
        UInt128 bytes = (UInt128)(ulong)shape.Size * sizeof(float);
        string full = Path.GetFullPath(path);
        string? directory = Path.GetDirectoryName(full);
        if (directory is not null && Directory.Exists(directory))
        {
            long free = new DriveInfo(directory).AvailableFreeSpace;
            if (bytes > (ulong)free)
            {
                string size = bytes > long.MaxValue ? $"{bytes:N0} bytes" : ArraySize.FormatBytes((long)bytes);
                throw new IOException($"--trace '{path}' needs {size} for {shape} float32 states, but only {ArraySize.FormatBytes(free)} is free on the disk holding {directory}");
            }
        }

        return new NpyStreamWriter<float>(path, shape, rowAxes);
    }
}

using LaxScan.Cli.Progress;
using LaxScan.Io;
using LaxScan.Models;

namespace LaxScan.Cli.Commands;

/// <summary>
/// What <c>run</c> keeps around its computation: the progress line and the <c>--trace</c> file. Each is set up before
/// W is allocated, so a trace that cannot fit fails first, and torn down in <see cref="Dispose"/>, so an interrupted
/// or failed run leaves neither a progress line nor a partial trace behind. Ctrl-C itself is the command line's
/// (<see cref="CliContext.Cancellation"/>), which the library checks between steps.
/// </summary>
internal sealed class RunSession : IDisposable
{
    private readonly CliContext _context;
    private readonly CancellationToken _cancellation;
    private readonly StepProgress? _progress;
    private readonly NpyStreamWriter<float>? _trace;
    private readonly string? _tracePath;

    private RunSession(CliContext context, StepProgress? progress, NpyStreamWriter<float>? trace, string? tracePath)
    {
        _context = context;
        _cancellation = context.Cancellation;
        _progress = progress;
        _trace = trace;
        _tracePath = tracePath;
    }

    /// <summary>
    /// Runs <paramref name="compute"/> inside a session and returns its result with the trace complete. Ctrl-C ends
    /// it with <see cref="OperationCanceledException"/> after the trace is deleted and the progress line erased.
    /// </summary>
    public static NDArray<float> Run(CliContext context, long steps, Shape xShape, string? tracePath, ProgressMode progress, Func<RunSession, NDArray<float>> compute)
    {
        using RunSession session = Start(context, steps, xShape, tracePath, progress);
        NDArray<float> state = compute(session);
        session.Complete();
        return state;
    }

    /// <summary>
    /// <see cref="Run"/> for any command whose run reports <paramref name="progressSteps"/> steps and traces
    /// <paramref name="traceShape"/>, whose first <paramref name="traceRowAxes"/> axes index the rows written, in order,
    /// through <see cref="Observe"/>. Ctrl-C ends it with <see cref="OperationCanceledException"/> as for run.
    /// </summary>
    public static T RunTraced<T>(CliContext context, long progressSteps, Shape traceShape, int traceRowAxes, string? tracePath, ProgressMode progress, Func<RunSession, T> compute)
    {
        NpyStreamWriter<float>? trace = tracePath is null ? null : CreateTrace(context, tracePath, traceShape, traceRowAxes);
        RunSession session;
        try
        {
            session = new RunSession(context, StepProgress.Start(progress, context.Error, progressSteps), trace, tracePath);
        }
        catch
        {
            trace?.Dispose();
            throw;
        }

        using (session)
        {
            T result = compute(session);
            session.Complete();
            return result;
        }
    }

    /// <summary>The command's cancellation (Ctrl-C, SIGTERM), for the library call the session wraps.</summary>
    public CancellationToken Token => _cancellation;

    /// <summary>Whether <see cref="Observe"/> writes trace rows, so a caller can skip building them.</summary>
    public bool Tracing => _trace is not null;

    /// <summary>Reports a finished step: its trace row (when tracing) and the progress count.</summary>
    public void Observe(long step, ReadOnlySpan<float> traceRow)
    {
        WriteTraceRow(traceRow);
        _progress?.Report(step);
    }

    /// <summary>Starts the progress line and the trace file (after checking it fits on its disk).</summary>
    /// <param name="context">Where the progress line goes, the cancellation, and how the trace is opened.</param>
    /// <param name="steps">T, already checked to be &gt;= 0.</param>
    /// <param name="xShape">The shape of x: each trace row is one state of that shape.</param>
    /// <param name="tracePath"><c>--trace</c>, or null.</param>
    /// <param name="progress">The <c>--progress</c>/<c>--no-progress</c> choice.</param>
    public static RunSession Start(CliContext context, long steps, Shape xShape, string? tracePath, ProgressMode progress)
    {
        NpyStreamWriter<float>? trace = tracePath is null ? null : CreateTrace(context, tracePath, steps, xShape);
        try
        {
            return new RunSession(context, StepProgress.Start(progress, context.Error, steps), trace, tracePath);
        }
        catch
        {
            trace?.Dispose();
            throw;
        }
    }

    /// <summary><paramref name="options"/> with this session's step observer added to any already there (the cancellation is <see cref="Token"/>).</summary>
    public LaxScanOptions Configure(LaxScanOptions options)
    {
        StepObserver? observer = (_trace, _progress) switch
        {
            (null, null) => null,
            (null, { } p) => (step, _) => p.Report(step),
            ({ }, null) => (_, state) => WriteTraceRow(state),
            ({ }, { } p) => (step, state) =>
            {
                WriteTraceRow(state);
                p.Report(step);
            },
        };
        // Combined, not replaced: another feature (--plot) may already observe the steps.
        return options with { OnStep = options.OnStep + observer };
    }

    /// <summary>The run finished: moves the trace under its name.</summary>
    public void Complete()
    {
        if (_trace is not null)
        {
            _context.Writing(_tracePath!, _trace.Complete);
        }
    }

    // A row that cannot be written (a FIFO's reader gone, a full disk) names --trace and its path.
    private void WriteTraceRow(ReadOnlySpan<float> row)
    {
        try
        {
            _trace?.WriteRow(row);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && !_context.Outputs.IsStandardOutput(_tracePath!))
        {
            throw _context.Outputs.WriteFailure(_tracePath!, e);
        }
    }

    /// <summary>Erases the progress line and deletes an incomplete trace.</summary>
    public void Dispose()
    {
        _progress?.Dispose();
        _trace?.Dispose();
    }

    private static NpyStreamWriter<float> CreateTrace(CliContext context, string path, long steps, Shape xShape)
    {
        // A .npy dimension here is an int32, so T + 1 rows must fit one. T + 1 is counted unsigned: T may be long.MaxValue.
        ulong rows = (ulong)steps + 1;
        if (rows > int.MaxValue)
        {
            throw new ArgumentException($"--trace '{path}' would hold T + 1 = {rows:N0} states, more than the {int.MaxValue:N0} rows a trace can have; trace at most {int.MaxValue - 1:N0} steps");
        }

        return CreateTrace(context, path, new Shape([(int)rows, .. xShape.Dimensions]), 1);
    }

    private static NpyStreamWriter<float> CreateTrace(CliContext context, string path, Shape shape, int rowAxes)
    {
        UInt128 bytes = (UInt128)(ulong)shape.Size * sizeof(float);
        string full = Path.GetFullPath(path);
        string? directory = Path.GetDirectoryName(full);

        // A FIFO, a device or standard output holds no bytes of its own, so its "disk" says nothing.
        if (!context.Outputs.IsWrittenInPlace(path) && directory is not null && Directory.Exists(directory))
        {
            long free = new DriveInfo(directory).AvailableFreeSpace;
            if (bytes > (ulong)free)
            {
                string size = bytes > long.MaxValue ? $"{bytes:N0} bytes" : ArraySize.FormatBytes((long)bytes);
                throw new IOException($"--trace '{path}' needs {size} for {shape} float32 states, but only {ArraySize.FormatBytes(free)} is free on the disk holding {directory}");
            }
        }

        return context.CreateStream<float>(path, shape, rowAxes);
    }
}

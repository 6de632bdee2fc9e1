using LaxScan.Threading;

namespace LaxScan.Models;

/// <summary>
/// How one <see cref="LaxScanModule"/> call runs: threads and the step observer. They belong to the call, not to the
/// module (which holds hyperparameters only), so one module can serve many callers at once, each with its own
/// options. Cancellation is the call's <see cref="CancellationToken"/> parameter, as everywhere in LaxScan.
/// </summary>
public sealed record LaxScanRunOptions
{
    /// <summary>Automatic threads, no observer.</summary>
    public static LaxScanRunOptions Default { get; } = new();

    /// <summary>
    /// How many threads each step may use: 0 picks by size and by measuring (one thread below 2^16 multiply-adds per
    /// step; above, the team or the caller alone, whichever is faster as the run goes), 1 keeps to the calling thread;
    /// capped at the processor count. The bits are the same either way.
    /// </summary>
    public int Threads { get; init; }

    /// <summary>
    /// Called with the carry after <c>tanh(x @ W)</c> (step 0) and after each scan step (1..T): the scan's per-step
    /// states, shape (T + 1, ...), without holding them in memory.
    /// </summary>
    public StepObserver? OnStep { get; init; }

    /// <summary>A thread team its creator shares between calls (init then apply), so the workers start once.</summary>
    internal StepTeam? Team { get; init; }
}

/// <summary>Sees one state of a scan: <paramref name="step"/> 0 is the initial carry, then 1..T.</summary>
/// <param name="step">The step number.</param>
/// <param name="state">The carry after that step; valid only during the call.</param>
public delegate void StepObserver(long step, ReadOnlySpan<float> state);

using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace LaxScan.Threading;

/// <summary>A job a <see cref="StepTeam"/> runs: <see cref="StepTeam.Parts"/> parts, each run exactly once per call.</summary>
internal interface IStepJob
{
    /// <summary>Does part <paramref name="part"/>; may run on any thread of the team.</summary>
    void RunPart(int part);
}

/// <summary>
/// A fixed team of threads for a short job repeated many times (one step of a recurrence): the calling thread and
/// <see cref="Threads"/> - 1 workers. The job is cut into <see cref="Parts"/> parts and each thread owns a fixed share
/// of them, so from call to call a core reads the same part of W and keeps it in its own cache. A thread runs its
/// own share first and only then takes parts that nobody has started, so a worker that the OS has descheduled costs
/// the speed-up but never the result or a hang: the caller does its parts.
/// </summary>
/// <remarks>
/// <para>
/// Each part is claimed by a compare-and-swap of its claim word from the previous call's number to the current one,
/// so it runs exactly once per call, on whichever thread claims it, and a worker still finishing an earlier call can
/// never claim a part of the wrong call (the caller waits until every part of a call is done before starting the
/// next, so all claim words then hold that call's number). Completions are counted cumulatively and never reset.
/// </para>
/// <para>
/// An exception in a part, on a worker or on the caller, is caught, the part still counts as done, and the first
/// exception is rethrown on the caller once every part has finished, so the team stays usable. Workers spin with a
/// growing pause for a short while after each call (a step takes microseconds, a wake-up far longer), then block, so
/// an idle team costs no CPU. A call on a team that is already running a call throws
/// <see cref="InvalidOperationException"/> instead of mixing the two.
/// </para>
/// </remarks>
internal sealed class StepTeam : IDisposable
{
    // How long a worker spins after its last part before it blocks: long enough to cover the gap between two steps
    // of a recurrence (the caller's own share and its per-step work), short enough that a team between runs is idle.
    private static readonly long SpinTicks = Stopwatch.Frequency / 20_000;   // 50 us

    // Claim words one per cache line, so two threads claiming different parts do not share a line.
    private const int ClaimStride = 8;

    private readonly Thread[] _workers;
    private readonly long[] _claims;
    private readonly long[] _ranBy;
    private readonly object _gate = new();
    private readonly int _partsPerThread;

    // The current call, published by the release write of _generation.
    private IStepJob? _job;
    private long _generation;

    // Completed parts over all calls; the caller waits for _target.
    private long _completed;
    private long _target;

    private Exception? _failure;
    private int _running;
    private int _sleepers;
    private volatile bool _disposed;

    /// <summary>Starts <paramref name="threads"/> - 1 workers (pinned one per CPU where the OS allows it).</summary>
    /// <param name="threads">Threads including the caller; at least 2 and at most the processor count.</param>
    /// <param name="partsPerThread">How many parts each thread owns; more parts make stealing finer.</param>
    /// <param name="startWorkers">False only in tests: the workers never run, as if the OS never scheduled them.</param>
    public StepTeam(int threads, int partsPerThread = 1, bool startWorkers = true)
    {
        if (threads < 2 || threads > Environment.ProcessorCount)
        {
            throw new ArgumentOutOfRangeException(nameof(threads), $"a step team has 2 to {Environment.ProcessorCount} threads (the processor count), not {threads}");
        }

        Threads = threads;
        _partsPerThread = Math.Max(1, partsPerThread);
        Parts = threads * _partsPerThread;
        _claims = new long[Parts * ClaimStride];
        _ranBy = new long[threads * ClaimStride];
        int[] cpus = ThreadAffinity.AllowedCpus();
        _workers = new Thread[threads - 1];
        for (int t = 0; t < _workers.Length; t++)
        {
            int index = t + 1;

            // Worker t takes the t-th allowed CPU after the first, which the caller is most likely to run on.
            int cpu = cpus.Length > index ? cpus[index] : -1;
            _workers[t] = new Thread(() => Loop(index, cpu)) { IsBackground = true, Name = $"LaxScan step worker {index}" };
            if (startWorkers)
            {
                _workers[t].Start();
            }
        }

        t_created++;
    }

    /// <summary>How many teams the current thread has created (for a test that checks a run starts one team only).</summary>
    internal static int CreatedOnThisThread => t_created;

    [ThreadStatic]
    private static int t_created;

    /// <summary>How many parts thread <paramref name="thread"/> (0: the caller) has run, its own or taken over.</summary>
    internal long PartsRunBy(int thread) => Volatile.Read(ref _ranBy[thread * ClaimStride]);

    /// <summary>How many workers are blocked waiting for work (an idle team's workers all end up here).</summary>
    internal int SleepingWorkers => Volatile.Read(ref _sleepers);

    /// <summary>Threads including the caller.</summary>
    public int Threads { get; }

    /// <summary>How many parts every call runs.</summary>
    public int Parts { get; }

    /// <summary>How many workers pinned themselves to a CPU (0 where the OS does not allow it).</summary>
    public int PinnedWorkers => Volatile.Read(ref _pinned);

    private int _pinned;

    /// <summary>
    /// Runs every part of <paramref name="job"/> once, on the caller and whichever workers are awake, and returns when
    /// all are done. Rethrows the first exception a part threw, after every part has finished.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another call on this team is running, or the team is disposed.</exception>
    public void Run(IStepJob job)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Interlocked.CompareExchange(ref _running, 1, 0) != 0)
        {
            throw new InvalidOperationException("a LaxScan step team runs one call at a time, but a second call entered while another was running; give each calling thread its own operator");
        }

        try
        {
            _job = job;
            _target += Parts;
            long generation = _generation + 1;

            // The full fence publishes the job before any worker can see the new number.
            Interlocked.Exchange(ref _generation, generation);
            if (Volatile.Read(ref _sleepers) > 0)
            {
                lock (_gate)
                {
                    Monitor.PulseAll(_gate);
                }
            }

            Work(0, generation);
            WaitForCompletion();
            _job = null;
            Exception? failure = Interlocked.Exchange(ref _failure, null);
            if (failure is not null)
            {
                ExceptionDispatchInfo.Throw(failure);
            }
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    /// <summary>Own share first, in order; then, from the end, the parts of the others that nobody has claimed yet.</summary>
    private void Work(int thread, long generation)
    {
        int own = thread * _partsPerThread;
        for (int p = own; p < own + _partsPerThread; p++)
        {
            TryRun(thread, p, generation);
        }

        for (int other = 1; other < Threads; other++)
        {
            int first = ((thread + other) % Threads) * _partsPerThread;
            for (int p = first + _partsPerThread - 1; p >= first; p--)
            {
                TryRun(thread, p, generation);
            }
        }
    }

    private void TryRun(int thread, int part, long generation)
    {
        ref long claim = ref _claims[part * ClaimStride];
        if (Volatile.Read(ref claim) != generation - 1 || Interlocked.CompareExchange(ref claim, generation, generation - 1) != generation - 1)
        {
            return;
        }

        // Each thread counts in its own cache line: no contention, read only by benchmarks and tests.
        _ranBy[thread * ClaimStride]++;

        try
        {
            _job!.RunPart(part);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _failure, e, null);
        }
        finally
        {
            Interlocked.Increment(ref _completed);
        }
    }

    /// <summary>Spins while the other parts are short, then yields, so a descheduled worker gets the core back.</summary>
    private void WaitForCompletion()
    {
        int spins = 0;
        while (Volatile.Read(ref _completed) != _target)
        {
            if (spins < 2_000)
            {
                Thread.SpinWait(1);
            }
            else if (spins < 4_000)
            {
                Thread.Yield();
            }
            else
            {
                Thread.Sleep(spins < 6_000 ? 0 : 1);
            }

            spins++;
        }
    }

    private void Loop(int thread, int cpu)
    {
        if (cpu >= 0 && ThreadAffinity.TryPinCurrentThread(cpu))
        {
            Interlocked.Increment(ref _pinned);
        }

        long seen = 0;
        while (true)
        {
            seen = WaitForWork(seen);
            if (_disposed)
            {
                return;
            }

            Work(thread, seen);
        }
    }

    /// <summary>Waits for a call newer than <paramref name="seen"/>: short pauses, then longer ones, then blocks.</summary>
    private long WaitForWork(long seen)
    {
        long deadline = 0;
        int pause = 1;
        for (int i = 0; ; i++)
        {
            long generation = Volatile.Read(ref _generation);
            if (generation != seen || _disposed)
            {
                return generation;
            }

            // The next step of a recurrence usually follows within microseconds: one pause between looks for the
            // first 256 looks, then longer pauses until the deadline.
            Thread.SpinWait(pause);
            if (i >= 256)
            {
                pause = Math.Min(pause * 2, 16);
            }

            if ((i & 15) == 15)
            {
                long now = Stopwatch.GetTimestamp();
                if (deadline == 0)
                {
                    deadline = now + SpinTicks;
                }
                else if (now > deadline)
                {
                    break;
                }
            }
        }

        Interlocked.Increment(ref _sleepers);
        try
        {
            lock (_gate)
            {
                while (Volatile.Read(ref _generation) == seen && !_disposed)
                {
                    Monitor.Wait(_gate);
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _sleepers);
        }

        return Volatile.Read(ref _generation);
    }

    /// <summary>Stops the workers (after the call in progress, if any, on another thread).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }

        foreach (Thread thread in _workers)
        {
            if (thread.IsAlive)
            {
                thread.Join();
            }
        }
    }
}

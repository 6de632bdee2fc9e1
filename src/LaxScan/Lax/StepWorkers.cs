namespace LaxScan;

/// <summary>
/// A fixed team of threads that share a short, repeated job cut into chunks: every thread, the caller included,
/// takes the next chunk from a shared counter until none is left. A worker that the OS has descheduled or put to
/// sleep then costs nothing but its share of the speed-up: the caller does its chunks. Workers spin briefly between
/// calls (a step of the recurrence takes microseconds, far less than a thread wake-up), then sleep, so an idle team
/// costs no CPU.
/// </summary>
internal sealed class StepWorkers : IDisposable
{
    private const int SpinsBeforeSleep = 20_000;

    private readonly Action<int> _work;
    private readonly int _chunks;
    private readonly Thread[] _threads;
    private readonly object _gate = new();

    // The call's generation in the high 32 bits and the next chunk to take in the low 32. A chunk is taken by a
    // compare-and-swap on the whole word, so it always belongs to the call that is current: a worker still draining
    // an earlier call can only take chunks of the new one, for which it then counts.
    private long _state;

    // Completed chunks over all calls, never reset (a reset could wipe a count that lands just before it).
    private long _completed;

    // Caller only: the generation of the current call, and the completions it waits for.
    private long _generation;
    private long _target;
    private int _sleepers;
    private volatile bool _disposed;

    /// <summary>Starts <paramref name="threads"/> - 1 workers for a job of <paramref name="chunks"/> chunks.</summary>
    public StepWorkers(int threads, int chunks, Action<int> work)
    {
        _work = work;
        _chunks = chunks;
        _threads = new Thread[threads - 1];
        for (int t = 0; t < _threads.Length; t++)
        {
            _threads[t] = new Thread(Loop) { IsBackground = true, Name = $"LaxScan GEMV worker {t + 1}" };
            _threads[t].Start();
        }
    }

    /// <summary>Runs every chunk once, on the caller and whichever workers are awake, and returns when all are done.</summary>
    public void Run()
    {
        _generation++;
        _target += _chunks;

        // Publishing the new generation (a full fence) also publishes the caller's operands, written before Run.
        Interlocked.Exchange(ref _state, _generation << 32);
        if (Volatile.Read(ref _sleepers) > 0)
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        }

        Drain();
        var spin = default(SpinWait);
        while (Volatile.Read(ref _completed) != _target)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    private void Drain()
    {
        while (true)
        {
            long state = Volatile.Read(ref _state);
            int chunk = (int)(state & 0xFFFF_FFFF);
            if (chunk >= _chunks)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _state, state + 1, state) == state)
            {
                _work(chunk);
                Interlocked.Increment(ref _completed);
            }
        }
    }

    private void Loop()
    {
        long seen = 0;
        while (true)
        {
            seen = WaitForWork(seen);
            if (_disposed)
            {
                return;
            }

            Drain();
        }
    }

    private long WaitForWork(long seen)
    {
        for (int i = 0; i < SpinsBeforeSleep; i++)
        {
            long generation = Volatile.Read(ref _state) >> 32;
            if (generation != seen || _disposed)
            {
                return generation;
            }

            Thread.SpinWait(1);
        }

        Interlocked.Increment(ref _sleepers);
        try
        {
            lock (_gate)
            {
                while (Volatile.Read(ref _state) >> 32 == seen && !_disposed)
                {
                    Monitor.Wait(_gate);
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _sleepers);
        }

        return Volatile.Read(ref _state) >> 32;
    }

    public void Dispose()
    {
        _disposed = true;
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }

        foreach (Thread thread in _threads)
        {
            thread.Join();
        }
    }
}

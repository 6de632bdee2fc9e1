namespace LaxScan;

/// <summary>
/// A fixed team of threads that each run one part of a short, repeated job: the caller runs part 0 and waits for
/// the others. Workers spin briefly between calls (a step of the recurrence takes microseconds, far less than a
/// thread wake-up), then sleep, so an idle team costs no CPU.
/// </summary>
internal sealed class StepWorkers : IDisposable
{
    private const int SpinsBeforeSleep = 20_000;

    private readonly Action<int> _work;
    private readonly Thread[] _threads;
    private readonly long[] _done;
    private readonly object _gate = new();
    private long _generation;
    private int _sleepers;
    private volatile bool _disposed;

    public StepWorkers(int parts, Action<int> work)
    {
        _work = work;
        _done = new long[parts * 16];   // one cache line per part, so workers don't share lines
        _threads = new Thread[parts - 1];
        for (int p = 1; p < parts; p++)
        {
            int part = p;
            _threads[p - 1] = new Thread(() => Loop(part)) { IsBackground = true, Name = $"LaxScan GEMV worker {part}" };
            _threads[p - 1].Start();
        }
    }

    public void Run()
    {
        long generation = Interlocked.Increment(ref _generation);
        if (Volatile.Read(ref _sleepers) > 0)
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        }

        _work(0);
        for (int p = 1; p <= _threads.Length; p++)
        {
            var spin = default(SpinWait);
            while (Volatile.Read(ref _done[p * 16]) != generation)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }
        }
    }

    private void Loop(int part)
    {
        long seen = 0;
        while (true)
        {
            long generation = WaitForWork(seen);
            if (_disposed)
            {
                return;
            }

            _work(part);
            seen = generation;
            Volatile.Write(ref _done[part * 16], generation);
        }
    }

    private long WaitForWork(long seen)
    {
        for (int i = 0; i < SpinsBeforeSleep; i++)
        {
            long generation = Volatile.Read(ref _generation);
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

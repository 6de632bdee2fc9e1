using LaxScan.Kernels;
using LaxScan.Threading;

namespace LaxScan.Tests.Threading;

/// <summary>
/// The thread team: every part of every call runs exactly once, a call returns only when all are done, an exception
/// anywhere reaches the caller and leaves the team usable, a worker that never runs cannot hang it, and a second
/// caller is refused instead of mixed in.
/// </summary>
public class StepTeamTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// <summary>Counts how often each part ran and on which thread, and optionally throws or blocks.</summary>
    private sealed class CountingJob(int parts) : IStepJob
    {
        public readonly int[] Runs = new int[parts];
        public readonly int[] Threads = new int[parts];

        public Func<int, Exception?> Fail { get; init; } = _ => null;

        public Action<int>? During { get; init; }

        public void RunPart(int part)
        {
            Interlocked.Increment(ref Runs[part]);
            Threads[part] = Environment.CurrentManagedThreadId;
            During?.Invoke(part);
            if (Fail(part) is { } e)
            {
                throw e;
            }
        }
    }

    private static void Busy(TimeSpan span)
    {
        long end = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(span.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        while (System.Diagnostics.Stopwatch.GetTimestamp() < end)
        {
            Thread.SpinWait(1);
        }
    }

    private static float[] Cos(int n, float phase) => [.. Enumerable.Range(0, n).Select(i => MathF.Cos((i * 0.37f) + phase))];

    [Fact]
    public async Task Many_short_calls_on_two_threads_give_every_result_in_full()
    {
        // Short steps make a worker still draining one call meet the next. Two inputs take turns and y is poisoned
        // with NaN before every call, so a call that returned before its parts finished (a stale or half-written y)
        // fails at that call, not only at the last one. Busy threads oversubscribe the cores, so the OS preempts the
        // team at arbitrary points, as on a loaded CI machine.
        Assert.SkipUnless(Environment.ProcessorCount > 1, "needs two CPUs for a two-thread team");
        const int h = 300;
        var w = new NDArray<float>(new Shape(h, h), [.. Enumerable.Range(0, h * h).Select(i => MathF.Sin(i) * 0.05f)]);
        float[][] inputs = [Cos(h, 0), Cos(h, 1)];
        float[][] expected = [new float[h], new float[h]];
        using (var single = new GemvOperator(w, 1))
        {
            single.MultiplyTanh(inputs[0], expected[0]);
            single.MultiplyTanh(inputs[1], expected[1]);
        }

        Assert.NotEqual(expected[0].Select(Bits.Of), expected[1].Select(Bits.Of));
        using var op = new GemvOperator(w, 2);
        Assert.Equal(2, op.Threads);
        using var stop = new CancellationTokenSource();
        Thread[] noise = [.. Enumerable.Range(0, 2).Select(_ => new Thread(() => { while (!stop.IsCancellationRequested) { Thread.SpinWait(100); } }) { IsBackground = true })];
        foreach (Thread t in noise)
        {
            t.Start();
        }

        string? failure = null;
        var run = Task.Run(() =>
        {
            float[] y = new float[h];
            for (int i = 0; i < 30_000 && failure is null; i++)
            {
                Array.Fill(y, float.NaN);
                op.MultiplyTanh(inputs[i % 2], y);
                if (!y.AsSpan().SequenceEqual(expected[i % 2]))
                {
                    failure = $"call {i} returned a y that is not its input's";
                }
            }
        });
        try
        {
            await run.WaitAsync(Patience, TestContext.Current.CancellationToken);
        }
        finally
        {
            stop.Cancel();
        }

        Assert.Null(failure);
    }

    [Fact]
    public async Task Every_part_runs_exactly_once_per_call()
    {
        Assert.SkipUnless(Environment.ProcessorCount > 1, "needs two CPUs");
        using var team = new StepTeam(2, partsPerThread: 3);
        var job = new CountingJob(team.Parts);
        const int calls = 20_000;
        await Task.Run(() =>
        {
            for (int i = 0; i < calls; i++)
            {
                team.Run(job);
                if (job.Runs.Any(r => r != i + 1))
                {
                    throw new InvalidOperationException($"after call {i}: part runs {string.Join(',', job.Runs)}");
                }
            }
        }).WaitAsync(Patience, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_worker_that_never_runs_costs_only_its_share_the_caller_takes_its_parts()
    {
        // The workers are created but never started: as if the OS never scheduled them. Each call must still finish,
        // every part run once, all on the caller.
        using var team = new StepTeam(2, partsPerThread: 2, startWorkers: false);
        var job = new CountingJob(team.Parts);
        await Task.Run(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                team.Run(job);
            }
        }).WaitAsync(Patience, TestContext.Current.CancellationToken);
        Assert.All(job.Runs, r => Assert.Equal(100, r));
    }

    [Fact]
    public async Task An_exception_in_a_worker_reaches_the_caller_and_the_team_stays_usable()
    {
        // Before the fix an exception on a worker thread was unhandled and killed the process.
        Assert.SkipUnless(Environment.ProcessorCount > 1, "needs two CPUs");
        using var team = new StepTeam(2);
        int seenOnWorker = 0;
        await Task.Run(() =>
        {
            int me = Environment.CurrentManagedThreadId;
            // Each part takes a few microseconds, so the worker (spinning between calls) claims its own part before
            // the caller, done with its own, would take it over.
            var failing = new CountingJob(team.Parts)
            {
                During = _ => Busy(TimeSpan.FromMicroseconds(5)),
                Fail = _ => Environment.CurrentManagedThreadId != me ? new ArithmeticException("worker part failed") : null,
            };
            for (int i = 0; i < 20_000 && seenOnWorker < 20; i++)
            {
                try
                {
                    team.Run(failing);
                }
                catch (ArithmeticException e) when (e.Message == "worker part failed")
                {
                    seenOnWorker++;
                }
            }

            var ok = new CountingJob(team.Parts);
            team.Run(ok);
            Assert.All(ok.Runs, r => Assert.Equal(1, r));
        }).WaitAsync(Patience, TestContext.Current.CancellationToken);
        Assert.True(seenOnWorker > 0, "no part ever ran on the worker in 20,000 calls");
    }

    [Fact]
    public async Task An_exception_on_the_calling_thread_leaves_the_next_call_working()
    {
        // Before the fix, an exception in the caller's own part left the completion count short: the next call hung.
        using var team = new StepTeam(2, startWorkers: false);
        var failing = new CountingJob(team.Parts) { Fail = p => p == 0 ? new FormatException("caller part failed") : null };
        Assert.Throws<FormatException>(() => team.Run(failing));
        Assert.All(failing.Runs, r => Assert.Equal(1, r));   // the other parts still ran before the rethrow

        var ok = new CountingJob(team.Parts);
        await Task.Run(() => team.Run(ok)).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.All(ok.Runs, r => Assert.Equal(1, r));
    }

    [Fact]
    public async Task A_second_caller_is_refused_while_a_call_runs()
    {
        using var team = new StepTeam(2, startWorkers: false);
        using var inside = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var blocking = new CountingJob(team.Parts)
        {
            During = p =>
            {
                if (p == 0)
                {
                    inside.Set();
                    release.Wait();
                }
            },
        };
        Task first = Task.Run(() => team.Run(blocking));
        Assert.True(inside.Wait(Patience));
        var e = Assert.Throws<InvalidOperationException>(() => team.Run(new CountingJob(team.Parts)));
        Assert.Contains("one call at a time", e.Message, StringComparison.Ordinal);
        release.Set();
        await first.WaitAsync(Patience, TestContext.Current.CancellationToken);
        Assert.All(blocking.Runs, r => Assert.Equal(1, r));
    }

    [Fact]
    public async Task An_idle_team_s_workers_block_instead_of_spinning()
    {
        Assert.SkipUnless(Environment.ProcessorCount > 1, "needs two CPUs");
        using var team = new StepTeam(2);
        team.Run(new CountingJob(team.Parts));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (team.SleepingWorkers < team.Threads - 1 && clock.Elapsed < Patience)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.Equal(team.Threads - 1, team.SleepingWorkers);

        // And a blocked worker wakes for the next call.
        var again = new CountingJob(team.Parts);
        await Task.Run(() => team.Run(again)).WaitAsync(Patience, TestContext.Current.CancellationToken);
        Assert.All(again.Runs, r => Assert.Equal(1, r));
    }

    [Fact]
    public void Teams_never_have_more_threads_than_processors()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepTeam(Environment.ProcessorCount + 1));
        Assert.Equal(Math.Min(2, Environment.ProcessorCount), GemvOperator.PickThreads(2, 600, 600, 5, 1));
        Assert.True(GemvOperator.PickThreads(16, 600, 600, 5, 1) <= Environment.ProcessorCount);
        Assert.True(GemvOperator.PickThreads(0, 4096, 4096, 32, 1) <= Environment.ProcessorCount);
        Assert.Equal(1, GemvOperator.PickThreads(0, 64, 64, 1, 1));
        var w = new NDArray<float>(new Shape(600, 600));
        using var op = new GemvOperator(w, threads: 64);
        Assert.InRange(op.Threads, 1, Environment.ProcessorCount);
    }

    [Fact]
    public void Pinning_degrades_to_nothing_where_it_cannot_be_done()
    {
        Assert.False(ThreadAffinity.TryPinCurrentThread(-1));
        Assert.False(ThreadAffinity.TryPinCurrentThread(1 << 20));
        int[] cpus = ThreadAffinity.AllowedCpus();
        if (OperatingSystem.IsLinux())
        {
            Assert.NotEmpty(cpus);
        }

        // A team starts and computes whether or not its workers could be pinned.
        Assert.SkipUnless(Environment.ProcessorCount > 1, "needs two CPUs");
        using var team = new StepTeam(2);
        var job = new CountingJob(team.Parts);
        team.Run(job);
        Assert.All(job.Runs, r => Assert.Equal(1, r));
        Assert.InRange(team.PinnedWorkers, 0, 1);
    }
}

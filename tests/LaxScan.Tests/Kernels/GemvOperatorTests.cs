using LaxScan.Kernels;
using LaxScan.Numerics;

namespace LaxScan.Tests.Kernels;

/// <summary>The operator's layouts, thread splits, tiny-value tracking, concurrency guard and batch cancellation.</summary>
public class GemvOperatorTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private static float[] Values(System.Random rng, int n, double scale = 1) =>
        [.. Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2 - 1) * scale))];

    private static float[] Expected(float[] x, float[] w, int rows, int k, int n)
    {
        float[] y = new float[rows * n];
        for (int r = 0; r < rows; r++)
        {
            Gemv.Reference<GemvEpilogues.Tanh>(x.AsSpan(r * k, k), w, default, y.AsSpan(r * n, n));
        }

        return y;
    }

    [Theory]
    [InlineData(64)]
    [InlineData(300)]
    [InlineData(1000)]
    public void W_is_laid_out_in_64_byte_aligned_panels(int h)
    {
        using var op = new GemvOperator(new NDArray<float>(new Shape(h, h)), 1);
        Assert.True(op.UsesPanels);
        Assert.True(op.IsAligned);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    [InlineData(1, false)]
    [InlineData(2, false)]
    public void Layout_threads_and_batch_size_never_change_a_bit(int threads, bool panels)
    {
        // Row splits (fewer panels than threads) and column splits, single vectors and batches, panels and row-major.
        var rng = new System.Random(41);
        foreach ((int k, int n) in new[] { (37, 37), (100, 129), (300, 300), (64, 520) })
        {
            var w = new NDArray<float>(new Shape(k, n), Values(rng, k * n, 0.2));
            using var op = new GemvOperator(w, threads, null, team: null, panels, batchHint: 8);
            Assert.Equal(panels, op.UsesPanels);
            foreach (int rows in new[] { 1, 2, 7, 13 })
            {
                float[] x = Values(rng, rows * k);
                float[] y = new float[rows * n];
                Array.Fill(y, float.NaN);
                op.MultiplyTanh(x, y, rows);
                Bits.Equal(Expected(x, w.Data, rows, k, n), y, $"k={k} n={n} rows={rows} threads={op.Threads} panels={panels}");
            }
        }
    }

    public static TheoryData<SimdTier, int> TiersAndThreads()
    {
        var data = new TheoryData<SimdTier, int>();
        foreach (SimdTier tier in new[] { SimdTier.Scalar, SimdTier.Vector128, SimdTier.Vector256, SimdTier.Vector512 })
        {
            data.Add(tier, 1);
            data.Add(tier, 2);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TiersAndThreads))]
    public void Panels_at_every_tier_give_the_reference_bits_for_every_epilogue(SimdTier tier, int threads)
    {
        TestTiers.Require(tier);
        var rng = new System.Random(45);
        foreach ((int k, int n) in new[] { (33, 37), (70, 300) })
        {
            var w = new NDArray<float>(new Shape(k, n), Values(rng, k * n, 0.2));
            using var op = new GemvOperator(w, threads, tier);
            foreach (int rows in new[] { 1, 7 })
            {
                float[] x = Values(rng, rows * k);
                float[] b = Values(rng, rows * n);
                Check<GemvEpilogues.Tanh>(op, x, w.Data, null, rows, k, n, $"tier={tier}");
                Check<GemvEpilogues.Addend>(op, x, w.Data, b, rows, k, n, $"tier={tier}");
                Check<GemvEpilogues.AddAfterTanh>(op, x, w.Data, b, rows, k, n, $"tier={tier}");
            }
        }
    }

    private static void Check<TE>(GemvOperator op, float[] x, float[] w, float[]? b, int rows, int k, int n, string what)
        where TE : struct, IGemvEpilogue
    {
        float[] y = new float[rows * n];
        Array.Fill(y, float.NaN);
        op.Multiply<TE>(x, y, b, rows);
        for (int r = 0; r < rows; r++)
        {
            float[] expected = new float[n];
            Gemv.Reference<TE>(x.AsSpan(r * k, k), w, b is null ? default : b.AsSpan(r * n, n), expected);
            Bits.Equal(expected, y.AsSpan(r * n, n), $"{typeof(TE).Name} {what} k={k} n={n} row {r} threads={op.Threads}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_call_allocates_nothing(int threads)
    {
        // Measured on the calling thread, after a first call of each kind has grown the scratch buffers once.
        var rng = new System.Random(46);
        const int h = 300;
        var w = new NDArray<float>(new Shape(h, h), Values(rng, h * h, 0.1));
        float[] x = Values(rng, 4 * h);
        float[] y = new float[4 * h];
        float[] b = Values(rng, h);
        using var op = new GemvOperator(w, threads);
        float[] x1 = x[..h];
        float[] y1 = y[..h];
        x[5] = 1e-30f;   // the batch goes through the flushing kernel and its scratch copy
        for (int round = 0; round < 2; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100; i++)
            {
                op.MultiplyTanh(x1, y1);
                op.Multiply(x1, y1);
                op.Multiply<GemvEpilogues.AddendTanh>(x1, y1, b);
                op.MultiplyTanh(x, y, 4);
                op.Multiply<GemvEpilogues.AddAfter>(x, y, b, 4);
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (round == 1)
            {
                Assert.Equal(0, allocated);
            }
        }
    }

    [Fact]
    public void Automatic_threads_measure_both_ways_and_every_call_keeps_its_bits()
    {
        Assert.SkipUnless(Environment.ProcessorCount > 1, "needs two CPUs for a team");
        var rng = new System.Random(47);
        const int h = 300;   // 90,000 multiply-adds: a team, and a choice made by measuring
        var w = new NDArray<float>(new Shape(h, h), Values(rng, h * h, 0.05));
        float[][] inputs = [Values(rng, h), Values(rng, h)];
        float[][] expected = [.. inputs.Select(x => Expected(x, w.Data, 1, h, h))];
        using var op = new GemvOperator(w);
        Assert.Equal(2, op.Threads);
        float[] y = new float[h];
        for (int i = 0; i < 3000; i++)
        {
            Array.Fill(y, float.NaN);
            op.MultiplyTanh(inputs[i % 2], y);
            Bits.Equal(expected[i % 2], y, $"call {i}");
        }

        (long team, long solo) = op.Placement;
        Assert.Equal(3000, team + solo);
        Assert.True(team > 0 && solo > 0, $"team {team}, solo {solo}: both ways must have been measured");
        using var fixedTwo = new GemvOperator(w, 2);
        Assert.Equal((0L, 0L), fixedTwo.Placement);   // an explicit count is used as given
    }

    [Fact]
    public void The_kernel_reports_tiny_outputs_so_the_next_step_can_skip_scanning_them()
    {
        // W scales by 2^-30 per step: after two steps of an x near 1 the state is tiny (below 2^-40), then subnormal.
        const int h = 20;
        float[] wValues = new float[h * h];
        for (int i = 0; i < h; i++)
        {
            wValues[(i * h) + i] = MathF.Pow(2, -30);
        }

        var w = new NDArray<float>(new Shape(h, h), wValues);
        using var op = new GemvOperator(w, 1);
        float[] carry = [.. Enumerable.Range(0, h).Select(i => 0.5f + (i * 0.01f))];
        float[] next = new float[h];
        bool tiny = op.Run<GemvEpilogues.Tanh>(carry, next, null, 1, xClean: false, default);
        int step = 1;
        var flags = new List<bool> { tiny };
        float[] reference = (float[])carry.Clone();
        for (; step <= 6; step++)
        {
            // The reference recurrence with its own scan of x every step.
            float[] r = new float[h];
            Gemv.Reference<GemvEpilogues.Tanh>(reference, wValues, default, r);
            reference = r;
            Bits.Equal(reference, next, $"step {step}");
            Assert.Equal(Gemv.NeedsFlush(next), tiny);
            (carry, next) = (next, carry);
            tiny = op.Run<GemvEpilogues.Tanh>(carry, next, null, 1, xClean: !tiny, default);
            flags.Add(tiny);
        }

        Assert.Contains(true, flags);
        Assert.Contains(false, flags);
    }

    [Fact]
    public async Task A_second_thread_entering_a_running_operator_is_refused_and_the_first_call_is_unharmed()
    {
        // Before the fix two threads on one operator got wrong results, a NullReferenceException or a livelock.
        var rng = new System.Random(42);
        const int h = 512;
        const int rows = 3000;
        var w = new NDArray<float>(new Shape(h, h), Values(rng, h * h, 0.05));
        float[] x = Values(rng, rows * h);
        float[] y = new float[rows * h];
        using var op = new GemvOperator(w, 1);
        using var started = new ManualResetEventSlim();
        Task first = Task.Run(() =>
        {
            started.Set();
            op.MultiplyTanh(x, y, rows);
        });
        started.Wait(TestContext.Current.CancellationToken);
        int refused = 0;
        float[] small = new float[h];
        float[] smallY = new float[h];
        while (!first.IsCompleted)
        {
            try
            {
                op.MultiplyTanh(small, smallY);
            }
            catch (InvalidOperationException e)
            {
                Assert.Contains("one call at a time", e.Message, StringComparison.Ordinal);
                refused++;
            }
        }

        await first.WaitAsync(Patience, TestContext.Current.CancellationToken);
        Assert.True(refused > 0, "the long call finished before a second call could meet it");
        for (int r = 0; r < rows; r += 499)
        {
            float[] single = new float[h];
            Gemv.Reference<GemvEpilogues.Tanh>(x.AsSpan(r * h, h), w.Span, default, single);
            Bits.Equal(single, y.AsSpan(r * h, h), $"row {r}");
        }
    }

    [Fact]
    public async Task Threads_sharing_one_operator_get_right_bits_or_a_clear_refusal_never_a_hang()
    {
        var rng = new System.Random(43);
        const int h = 300;
        var w = new NDArray<float>(new Shape(h, h), Values(rng, h * h, 0.05));
        float[][] inputs = [Values(rng, h), Values(rng, h)];
        float[][] expected = [.. inputs.Select(x => Expected(x, w.Data, 1, h, h))];
        using var op = new GemvOperator(w, Math.Min(2, Environment.ProcessorCount));
        int refused = 0;
        int done = 0;
        Task[] callers = [.. Enumerable.Range(0, 2).Select(c => Task.Run(() =>
        {
            float[] y = new float[h];
            for (int i = 0; i < 5_000; i++)
            {
                Array.Fill(y, float.NaN);
                try
                {
                    op.MultiplyTanh(inputs[c], y);
                }
                catch (InvalidOperationException)
                {
                    Interlocked.Increment(ref refused);
                    continue;
                }

                Bits.Equal(expected[c], y, $"caller {c} call {i}");
                Interlocked.Increment(ref done);
            }
        }))];
        await Task.WhenAll(callers).WaitAsync(Patience, TestContext.Current.CancellationToken);
        Assert.Equal(10_000, done + refused);
        Assert.True(done > 0);
    }

    [Fact]
    public async Task A_large_batch_stops_between_blocks_of_rows_when_cancelled()
    {
        // Before the fix a batch step ran to its end whatever the token said (a 50,000,000 x 4 run ignored Ctrl-C).
        const int h = 64;
        const int rows = 40_000;
        var rng = new System.Random(44);
        var w = new NDArray<float>(new Shape(h, h), Values(rng, h * h, 0.1));
        float[] x = Values(rng, rows * h);
        float[] y = new float[rows * h];
        Array.Fill(y, float.NaN);
        using var op = new GemvOperator(w, 1) { BlockMultiplyAdds = h * h };   // one row per block
        using var cts = new CancellationTokenSource();
        Task cancelAfterFirstRow = Task.Run(() =>
        {
            while (float.IsNaN(Volatile.Read(ref y[h - 1])))
            {
                Thread.SpinWait(10);
            }

            cts.Cancel();
        });
        Assert.Throws<OperationCanceledException>(() => op.Multiply<GemvEpilogues.Tanh>(x, y, null, rows, cts.Token));
        await cancelAfterFirstRow.WaitAsync(Patience, TestContext.Current.CancellationToken);
        Assert.True(float.IsNaN(y[^1]), "the last row was computed: the call did not stop");

        // The operator works normally afterwards.
        float[] one = new float[h];
        op.MultiplyTanh(x.AsSpan(0, h).ToArray(), one);
        Bits.Equal(Expected(x.AsSpan(0, h).ToArray(), w.Data, 1, h, h), one);
    }
}

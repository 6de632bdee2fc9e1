using LaxScan.Kernels;
using LaxScan.Numerics;

namespace LaxScan.Tests.Kernels;

public class GemvTests
{
    public static TheoryData<SimdTier> Tiers => TestTiers.All;

    private static float[] RandomValues(System.Random rng, int n, double scale = 1) =>
        [.. Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2 - 1) * scale))];

    [Fact]
    public void Reference_accumulates_in_order_with_one_rounding_per_term()
    {
        // 1 + 2^-24 + 2^-24: in order with FMA the first 2^-24 is lost (ties to even), then lost again: 1.
        // Any other order or a wider accumulator would give 1 + 2^-23.
        float tiny = MathF.Pow(2, -24);
        float[] y = new float[1];
        Gemv.Reference([1f, tiny, tiny], [1f, 1f, 1f], y);
        Assert.Equal(1f, y[0]);
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void Every_tier_equals_the_reference_for_all_small_shapes(SimdTier tier)
    {
        TestTiers.Require(tier);
        var rng = new System.Random(11);
        foreach (int k in new[] { 0, 1, 3, 17 })
        {
            for (int n = 0; n <= 300; n += n < 40 ? 1 : 37)
            {
                float[] x = RandomValues(rng, k);
                float[] w = RandomValues(rng, k * n);
                float[] expected = new float[n];
                float[] actual = new float[n];
                Gemv.Reference(x, w, expected);
                Gemv.Multiply(x, w, actual, tier);
                Bits.Equal(expected, actual, $"k={k} n={n}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void Matrices_larger_than_L2_stream_in_memory_order_with_the_same_bits(SimdTier tier)
    {
        TestTiers.Require(tier);
        var rng = new System.Random(14);
        foreach ((int k, int n) in new[] { (450, 611), (600, 600), (300, 1030) })
        {
            float[] x = RandomValues(rng, k);
            float[] w = RandomValues(rng, k * n);
            float[] expected = new float[n];
            float[] actual = new float[n];
            Gemv.Reference(x, w, expected);
            Gemv.Multiply(x, w, actual, tier);
            Bits.Equal(expected, actual, $"k={k} n={n}");

            // The flushing variant, sent there by one tiny input.
            x[1] = 1e-30f;
            Gemv.Reference(x, w, expected);
            Array.Clear(actual);
            Gemv.Multiply(x, w, actual, tier);
            Bits.Equal(expected, actual, $"flushing k={k} n={n}");
        }
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void Tiny_inputs_flush_subnormal_partial_sums_like_XLA(SimdTier tier)
    {
        TestTiers.Require(tier);
        var rng = new System.Random(12);
        for (int n = 1; n <= 70; n += 3)
        {
            int k = 9;
            // Products near 2^-130: partial sums land in the subnormal range, where FTZ/DAZ changes the bits.
            float[] x = RandomValues(rng, k, 1e-20);
            float[] w = RandomValues(rng, k * n, 1e-19);
            x[2] = BitConverter.UInt32BitsToSingle(0x0000_0123);   // a subnormal input counts as zero
            float[] expected = new float[n];
            float[] actual = new float[n];
            Gemv.Reference(x, w, expected);
            Gemv.Multiply(x, w, actual, tier);
            Bits.Equal(expected, actual, $"n={n}");
            Assert.DoesNotContain(actual, XlaMath.IsSubnormal);
        }
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void The_outputs_past_the_last_tile_of_8_start_from_a_plain_product_and_keep_a_negative_zero(SimdTier tier)
    {
        TestTiers.Require(tier);
        // x = [+0, +0] and W all -1: every product is -0. XLA's tiled outputs 0..7 start from fma(-1, +0, +0) = +0;
        // its scalar epilogue (outputs 8 and up when N = 9, or all of them when N < 8) starts from the plain
        // product -0, and -0 + -0 stays -0.
        foreach (int n in new[] { 1, 5, 9, 17, 23 })
        {
            float[] x = [0f, 0f];
            float[] w = [.. Enumerable.Repeat(-1f, 2 * n)];
            float[] y = new float[n];
            Gemv.Multiply(x, w, y, tier);
            for (int j = 0; j < n; j++)
            {
                uint expected = j >= n - (n % 8) ? 0x8000_0000u : 0u;
                Bits.Equal(expected, y[j], $"n={n} output {j}");
            }

            float[] reference = new float[n];
            Gemv.Reference(x, w, reference);
            Bits.Equal(reference, y);
        }
    }

    [Fact]
    public void The_epilogue_rule_holds_in_the_operator_and_in_batches()
    {
        const int n = 13;
        var w = new NDArray<float>(new Shape(n, n), [.. Enumerable.Range(0, n * n).Select(i => i < n ? -0.5f : 0.25f * ((i % 7) - 3))]);
        float[] x = new float[n];
        x[0] = 0f;
        using var op = new GemvOperator(w, 1);
        float[] y = new float[n];
        op.MultiplyTanh(x, y);
        float[] expected = new float[n];
        Gemv.Reference(x, w.Span, expected);
        Bits.Equal([.. expected.Select(XlaMath.Tanh)], y);

        float[] batch = [.. x, .. x, .. x, .. x, .. x];
        float[] ys = new float[5 * n];
        op.MultiplyTanh(batch, ys, 5);
        for (int r = 0; r < 5; r++)
        {
            Bits.Equal(y, ys.AsSpan(r * n, n), $"row {r}");
        }
    }

    [Fact]
    public void The_flush_free_kernel_is_only_skipped_when_no_value_is_tiny()
    {
        Assert.False(Gemv.NeedsFlush([0f, -0f, 1f, MathF.Pow(2, -40), -MathF.Pow(2, -40)]));
        Assert.True(Gemv.NeedsFlush([1f, MathF.Pow(2, -41)]));
        Assert.True(Gemv.NeedsFlush([BitConverter.UInt32BitsToSingle(1)]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_operator_gives_the_reference_bits_at_any_thread_count(int threads)
    {
        var rng = new System.Random(13);
        foreach (int h in new[] { 1, 5, 129, 300, 520 })
        {
            var w = new NDArray<float>(new Shape(h, h), RandomValues(rng, h * h, 0.1));
            float[] x = RandomValues(rng, h);
            float[] expected = new float[h];
            Gemv.Reference(x, w.Span, expected);
            for (int i = 0; i < h; i++)
            {
                expected[i] = XlaMath.Tanh(expected[i]);
            }

            using var op = new GemvOperator(w, threads);
            float[] actual = new float[h];
            for (int repeat = 0; repeat < 3; repeat++)
            {
                op.MultiplyTanh(x, actual);
                Bits.Equal(expected, actual, $"h={h} threads={op.Threads}");
            }
        }
    }

    [Fact]
    public void The_operator_rejects_wrong_lengths_and_aliasing()
    {
        using var op = new GemvOperator(new NDArray<float>(new Shape(3, 3)));
        Assert.Throws<ArgumentException>(() => op.Multiply(new float[2], new float[3]));
        float[] same = new float[3];
        Assert.Throws<ArgumentException>(() => op.Multiply(same, same));
        Assert.Throws<ArgumentException>(() => new GemvOperator(new NDArray<float>(new Shape(3))));
    }
}

public class GemvBatchTests
{
    public static TheoryData<SimdTier> Tiers => TestTiers.All;

    [Theory]
    [MemberData(nameof(Tiers))]
    public void Every_row_of_a_batch_has_the_bits_of_its_single_run(SimdTier tier)
    {
        TestTiers.Require(tier);
        var rng = new System.Random(21);
        foreach ((int b, int k, int n) in new[] { (1, 5, 7), (4, 9, 48), (5, 33, 100), (9, 16, 130), (64, 20, 61) })
        {
            float[] x = [.. Enumerable.Range(0, b * k).Select(_ => (float)(rng.NextDouble() - 0.5))];
            float[] w = [.. Enumerable.Range(0, k * n).Select(_ => (float)(rng.NextDouble() - 0.5))];
            float[] y = new float[b * n];
            Gemv.MultiplyBatch<GemvEpilogues.Identity>(x, w, default, y, b, tier);
            for (int r = 0; r < b; r++)
            {
                float[] single = new float[n];
                Gemv.Reference(x.AsSpan(r * k, k), w, single);
                Bits.Equal(single, y.AsSpan(r * n, n), $"b={b} k={k} n={n} row {r}");
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void The_batched_operator_matches_single_runs_at_any_thread_count(int threads)
    {
        var rng = new System.Random(22);
        int h = 300;
        int b = 6;
        var w = new NDArray<float>(new Shape(h, h), [.. Enumerable.Range(0, h * h).Select(_ => (float)(rng.NextDouble() - 0.5) * 0.1f)]);
        float[] x = [.. Enumerable.Range(0, b * h).Select(_ => (float)(rng.NextDouble() - 0.5))];
        x[h + 3] = 1e-30f;   // one tiny value sends the whole batch through the flushing kernel
        using var op = new GemvOperator(w, threads);
        float[] y = new float[b * h];
        op.MultiplyTanh(x, y, b);
        for (int r = 0; r < b; r++)
        {
            float[] single = new float[h];
            op.MultiplyTanh(x.AsSpan(r * h, h).ToArray(), single);
            Bits.Equal(single, y.AsSpan(r * h, h), $"row {r}");
        }
    }
}

using LaxScan.Kernels;
using LaxScan.Numerics;

namespace LaxScan.Tests.Kernels;

/// <summary>
/// The epilogues: each scalar reference checked by hand on values where the rule decides the bits, then every vector
/// tier, the operator at several thread counts and the batch paths against the reference.
/// </summary>
public class GemvEpilogueTests
{
    public static TheoryData<SimdTier> Tiers => TestTiers.All;

    private static readonly float Ulp1 = MathF.Pow(2, -23);

    private static float[] Values(System.Random rng, int n, double scale = 1) =>
        [.. Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2 - 1) * scale))];

    [Fact]
    public void The_fused_addend_is_the_accumulator_s_first_value_and_the_plain_add_rounds_after_the_dot()
    {
        // W = [1], x = [1 + 2^-23], b = -1: fused, fma(1, 1 + 2^-23, -1) = 2^-23 exactly. After the dot: the dot is
        // 1 + 2^-23, and 1 + 2^-23 - 1 = 2^-23 too. Take x = [2^-24] and b = 1: fused gives fma(1, 2^-24, 1) = 1 (tie to
        // even), after the dot gives rn(2^-24 + 1) = 1 as well; what tells them apart is a product that rounds:
        // x = 1 + 2^-12, W = 1 + 2^-12 (exact product 1 + 2^-11 + 2^-24), b = -1 - 2^-11.
        float v = 1 + MathF.Pow(2, -12);
        float b = -(1 + MathF.Pow(2, -11));
        float[] fused = new float[1];
        float[] after = new float[1];
        Gemv.Reference<GemvEpilogues.Addend>([v], [v], [b], fused);
        Gemv.Reference<GemvEpilogues.AddAfter>([v], [v], [b], after);
        Bits.Equal(MathF.Pow(2, -24), fused[0], "fused: one rounding of the exact 2^-24");
        Bits.Equal(0f, after[0], "after: the product rounds to 1 + 2^-11 first, then cancels exactly");

        // Tanh variants apply XLA's tanh to the same sums.
        float[] t = new float[1];
        Gemv.Reference<GemvEpilogues.AddendTanh>([v], [v], [b], t);
        Bits.Equal(XlaMath.Tanh(fused[0]), t[0]);
        Gemv.Reference<GemvEpilogues.AddAfterTanh>([v], [v], [b], t);
        Bits.Equal(XlaMath.Tanh(after[0]), t[0]);
    }

    [Fact]
    public void With_an_addend_the_last_outputs_keep_the_tiled_rule_and_no_negative_zero_appears()
    {
        // x = [+0, +0], W all -1, b = +0: every product is -0. Without an addend XLA's epilogue outputs (j >= N - N%8)
        // start from the plain product -0; with an addend every output starts from b, and fma(-1, +0, +0) = +0.
        const int n = 11;
        float[] w = [.. Enumerable.Repeat(-1f, 2 * n)];
        float[] b = new float[n];
        float[] y = new float[n];
        Gemv.Reference<GemvEpilogues.Addend>([0f, 0f], w, b, y);
        Assert.All(y, v => Bits.Equal(0u, v));
        Gemv.Reference<GemvEpilogues.Identity>([0f, 0f], w, default, y);
        for (int j = 0; j < n; j++)
        {
            Bits.Equal(j >= 8 ? 0x8000_0000u : 0u, y[j], $"identity output {j}");
        }

        // A -0 addend stays -0 through -0 products: fma(-1, +0, -0) = -0.
        Gemv.Reference<GemvEpilogues.Addend>([0f, 0f], w, [.. Enumerable.Repeat(-0f, n)], y);
        Assert.All(y, v => Bits.Equal(0x8000_0000u, v));
    }

    [Fact]
    public void A_subnormal_addend_counts_as_a_signed_zero()
    {
        float sub = BitConverter.UInt32BitsToSingle(0x0000_0100);
        float[] y = new float[1];
        Gemv.Reference<GemvEpilogues.Addend>([1f], [MathF.Pow(2, -100)], [sub], y);
        Bits.Equal(MathF.Pow(2, -100), y[0]);
        Gemv.Reference<GemvEpilogues.AddAfter>([1f], [1f], [sub], y);
        Bits.Equal(1f, y[0]);

        // The fast path agrees (the tiny addend sends it through the flushing kernel).
        float[] fast = new float[1];
        Gemv.Multiply<GemvEpilogues.Addend>([1f], [MathF.Pow(2, -100)], [sub], fast);
        Bits.Equal(MathF.Pow(2, -100), fast[0]);
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void A_plain_add_of_two_normal_values_that_lands_below_2_to_the_minus_126_flushes(SimdTier tier)
    {
        TestTiers.Require(tier);
        // dot = 1.25 * 2^-126 (normal), b = -2^-126 (normal): the exact sum 0.25 * 2^-126 is subnormal, and XLA's
        // add under FTZ returns +0. Enough outputs for every vector width.
        const int n = 40;
        float[] w = [.. Enumerable.Repeat(1.25f * MathF.Pow(2, -126), n)];
        float[] b = [.. Enumerable.Repeat(-MathF.Pow(2, -126), n)];
        float[] y = new float[n];
        Gemv.Multiply<GemvEpilogues.AddAfter>([1f], w, b, y, tier);
        Assert.All(y, v => Bits.Equal(0u, v));
        Check<GemvEpilogues.AddAfter>([1f], w, b, n, tier, "subnormal sum");
        Check<GemvEpilogues.AddAfterTanh>([1f], w, b, n, tier, "subnormal sum");
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void Every_epilogue_at_every_tier_equals_its_reference(SimdTier tier)
    {
        TestTiers.Require(tier);
        var rng = new System.Random(31);
        foreach (int k in new[] { 0, 1, 5, 40 })
        {
            foreach (int n in new[] { 1, 7, 8, 9, 16, 17, 37, 64, 127, 128, 129, 300 })
            {
                float[] x = Values(rng, k);
                float[] w = Values(rng, k * n, 0.5);
                float[] b = Values(rng, n, 2);
                Check<GemvEpilogues.Identity>(x, w, [], n, tier, $"k={k} n={n}");
                Check<GemvEpilogues.Tanh>(x, w, [], n, tier, $"k={k} n={n}");
                Check<GemvEpilogues.Addend>(x, w, b, n, tier, $"k={k} n={n}");
                Check<GemvEpilogues.AddendTanh>(x, w, b, n, tier, $"k={k} n={n}");
                Check<GemvEpilogues.AddAfter>(x, w, b, n, tier, $"k={k} n={n}");
                Check<GemvEpilogues.AddAfterTanh>(x, w, b, n, tier, $"k={k} n={n}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void Large_matrices_stream_with_every_epilogue(SimdTier tier)
    {
        TestTiers.Require(tier);
        var rng = new System.Random(32);
        (int k, int n) = (300, 333);   // 400 KB: the memory-order streaming kernel
        float[] x = Values(rng, k);
        float[] w = Values(rng, k * n, 0.1);
        float[] b = Values(rng, n);
        Check<GemvEpilogues.Tanh>(x, w, [], n, tier, "stream");
        Check<GemvEpilogues.Addend>(x, w, b, n, tier, "stream");
        Check<GemvEpilogues.AddAfterTanh>(x, w, b, n, tier, "stream");
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void Tiny_values_flush_in_every_epilogue(SimdTier tier)
    {
        TestTiers.Require(tier);
        var rng = new System.Random(33);
        foreach (int n in new[] { 3, 9, 40 })
        {
            float[] x = Values(rng, 9, 1e-20);
            float[] w = Values(rng, 9 * n, 1e-19);
            float[] b = Values(rng, n, 1e-38);
            b[0] = BitConverter.UInt32BitsToSingle(0x8000_0042);
            Check<GemvEpilogues.Addend>(x, w, b, n, tier, "tiny fused");
            Check<GemvEpilogues.AddAfter>(x, w, b, n, tier, "tiny after");
            Check<GemvEpilogues.AddendTanh>(x, w, b, n, tier, "tiny fused tanh");
        }
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void Batches_with_one_addend_or_one_per_row_match_single_rows(SimdTier tier)
    {
        TestTiers.Require(tier);
        var rng = new System.Random(34);
        foreach ((int rows, int k, int n) in new[] { (1, 5, 7), (7, 33, 100), (13, 16, 130), (6, 20, 64) })
        {
            float[] x = Values(rng, rows * k);
            float[] w = Values(rng, k * n, 0.3);
            float[] shared = Values(rng, n);
            float[] perRow = Values(rng, rows * n);
            BatchCheck<GemvEpilogues.Addend>(x, w, shared, rows, k, n, tier);
            BatchCheck<GemvEpilogues.Addend>(x, w, perRow, rows, k, n, tier);
            BatchCheck<GemvEpilogues.AddAfterTanh>(x, w, perRow, rows, k, n, tier);
            BatchCheck<GemvEpilogues.Tanh>(x, w, [], rows, k, n, tier);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_operator_applies_every_epilogue_with_the_reference_bits_at_any_thread_count(int threads)
    {
        var rng = new System.Random(35);
        foreach (int h in new[] { 5, 129, 300, 520 })
        {
            var w = new NDArray<float>(new Shape(h, h), Values(rng, h * h, 0.1));
            float[] x = Values(rng, h);
            float[] b = Values(rng, h);
            using var op = new GemvOperator(w, threads);
            OperatorCheck<GemvEpilogues.Identity>(op, x, w.Data, null, h, $"h={h} threads={op.Threads}");
            OperatorCheck<GemvEpilogues.Addend>(op, x, w.Data, b, h, $"h={h} threads={op.Threads}");
            OperatorCheck<GemvEpilogues.AddendTanh>(op, x, w.Data, b, h, $"h={h} threads={op.Threads}");
            OperatorCheck<GemvEpilogues.AddAfter>(op, x, w.Data, b, h, $"h={h} threads={op.Threads}");
            OperatorCheck<GemvEpilogues.AddAfterTanh>(op, x, w.Data, b, h, $"h={h} threads={op.Threads}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void An_LSTM_s_fused_kernel_of_4H_columns_runs_in_one_call(int threads)
    {
        // OptimizedLSTMCell's hidden-to-hidden kernel: (H, 4H), the four gates side by side, with the input side's
        // product as a per-row addend.
        const int h = 96;
        const int rows = 5;
        var rng = new System.Random(36);
        var w = new NDArray<float>(new Shape(h, 4 * h), Values(rng, 4 * h * h, 0.2));
        float[] x = Values(rng, rows * h);
        float[] b = Values(rng, rows * 4 * h);
        float[] y = new float[rows * 4 * h];
        using var op = new GemvOperator(w, threads);
        op.Multiply<GemvEpilogues.Addend>(x, y, b, rows);
        for (int r = 0; r < rows; r++)
        {
            float[] expected = new float[4 * h];
            Gemv.Reference<GemvEpilogues.Addend>(x.AsSpan(r * h, h), w.Span, b.AsSpan(r * 4 * h, 4 * h), expected);
            Bits.Equal(expected, y.AsSpan(r * 4 * h, 4 * h), $"row {r}");
        }
    }

    [Fact]
    public void Wrong_addend_lengths_are_clear_errors()
    {
        float[] w = new float[6];
        var e = Assert.Throws<ArgumentException>(() => Gemv.Multiply<GemvEpilogues.Addend>(new float[2], w, new float[2], new float[3]));
        Assert.Contains("adds b of length 3, but b has 2", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => Gemv.Multiply<GemvEpilogues.Tanh>(new float[2], w, new float[3], new float[3]));
        Assert.Contains("takes no addend", e.Message, StringComparison.Ordinal);
        using var op = new GemvOperator(new NDArray<float>(new Shape(2, 3), w), 1);
        float[] y = new float[3];
        Assert.Throws<ArgumentException>(() => op.Multiply<GemvEpilogues.AddAfter>(new float[2], y, null));
        Assert.Throws<ArgumentException>(() => op.Multiply<GemvEpilogues.AddAfter>(new float[2], y, y));
    }

    [Fact]
    public void The_reference_rounds_once_per_term()
    {
        // Ulp1 below 1: 1 + 2^-24 + 2^-24 in order with FMA from b = 1 stays 1.
        float[] y = new float[1];
        Gemv.Reference<GemvEpilogues.Addend>([Ulp1 / 2, Ulp1 / 2], [1f, 1f], [1f], y);
        Bits.Equal(1f, y[0]);
    }

    private static void Check<TE>(float[] x, float[] w, float[] b, int n, SimdTier tier, string what)
        where TE : struct, IGemvEpilogue
    {
        float[] expected = new float[n];
        float[] actual = new float[n];
        Gemv.Reference<TE>(x, w, b, expected);
        Gemv.Multiply<TE>(x, w, b, actual, tier);
        Bits.Equal(expected, actual, $"{typeof(TE).Name} {what} tier {tier}");
    }

    private static void BatchCheck<TE>(float[] x, float[] w, float[] b, int rows, int k, int n, SimdTier tier)
        where TE : struct, IGemvEpilogue
    {
        float[] y = new float[rows * n];
        Gemv.MultiplyBatch<TE>(x, w, b, y, rows, tier);
        for (int r = 0; r < rows; r++)
        {
            float[] single = new float[n];
            ReadOnlySpan<float> br = b.Length == rows * n ? b.AsSpan(r * n, n) : b;
            Gemv.Reference<TE>(x.AsSpan(r * k, k), w, br, single);
            Bits.Equal(single, y.AsSpan(r * n, n), $"{typeof(TE).Name} rows={rows} k={k} n={n} b={b.Length} row {r}");
        }
    }

    private static void OperatorCheck<TE>(GemvOperator op, float[] x, float[] w, float[]? b, int n, string what)
        where TE : struct, IGemvEpilogue
    {
        float[] expected = new float[n];
        Gemv.Reference<TE>(x, w, b ?? [], expected);
        float[] actual = new float[n];
        for (int repeat = 0; repeat < 2; repeat++)
        {
            Array.Fill(actual, float.NaN);
            op.Multiply<TE>(x, actual, b);
            Bits.Equal(expected, actual, $"{typeof(TE).Name} {what}");
        }
    }
}

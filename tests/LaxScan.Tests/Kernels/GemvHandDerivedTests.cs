using LaxScan.Kernels;
using LaxScan.Numerics;

namespace LaxScan.Tests.Kernels;

/// <summary>
/// Every GEMV path against values worked out by hand, not against <see cref="Gemv.Reference"/>: the scalar reference,
/// the row-major register blocks at every tier, the memory-order streaming kernel, the batch tiles (6 x 4 vectors
/// under AVX-512, 2 x 4 under AVX2) and the operator's panels at one and two threads. A rule broken in the reference
/// and in a kernel alike (where the comparison tests cannot see it), or in one kernel only, fails here.
/// </summary>
public class GemvHandDerivedTests
{
    public static TheoryData<SimdTier> Tiers => TestTiers.All;

    // K x N with K * N * 4 bytes above 128 KiB and N > 128: Multiply streams W in memory order; N = 300 leaves 4 outputs
    // for XLA's scalar epilogue (300 mod 8), and at every vector width runs blocks of 8, 4, 2 and 1 vectors and
    // scalar outputs.
    private const int K = 128;
    private const int N = 300;

    // Rows per batch: two 6-row tiles (AVX-512) or six 2-row tiles (AVX2).
    private const int Rows = 12;

    /// <summary>
    /// Only rows 2 and 3 of x are nonzero: x[2] = 1 with W[2, n] = -(1 + 2^-11), x[3] = 1 + 2^-12 with
    /// W[3, n] = 1 + 2^-12 for every n; every other W[k, n] is a varied value that meets x[k] = +0. Row 3 is the
    /// fourth row of the streaming kernel's passes of eight.
    /// </summary>
    private static (float[] X, float[] W) FusedCase()
    {
        float a = 1 + MathF.Pow(2, -12);
        float[] x = new float[K];
        x[2] = 1f;
        x[3] = a;
        float[] w = new float[K * N];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = 0.25f * ((i % 13) - 6);
        }

        for (int n = 0; n < N; n++)
        {
            w[(2 * N) + n] = -(1 + MathF.Pow(2, -11));
            w[(3 * N) + n] = a;
        }

        return (x, w);
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void Each_term_is_one_FMA_in_every_kernel(SimdTier tier)
    {
        TestTiers.Require(tier);
        // Every output: acc = +-0 through k = 0, 1 (products with x = +0 are zeros), then acc = -(1 + 2^-11) exactly,
        // then fma(1 + 2^-12, 1 + 2^-12, -(1 + 2^-11)): the exact product is 1 + 2^-11 + 2^-24, so one rounding
        // leaves 2^-24. A multiply rounded first gives 1 + 2^-11 (the 2^-24 is a tie, to even) and the add then 0.
        // The zero products after it leave 2^-24 unchanged.
        (float[] x, float[] w) = FusedCase();
        float expected = MathF.Pow(2, -24);
        AllPaths(x, w, tier, expected, expected, "fused term");
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void The_last_N_mod_8_outputs_keep_a_negative_zero_in_every_kernel(SimdTier tier)
    {
        TestTiers.Require(tier);
        // x = +0 and W = -1 everywhere: every product is -0. XLA's tiles of 8 start from fma(W, x, +0) = +0, and
        // +0 + -0 = +0; its scalar epilogue (the last 300 mod 8 = 4 outputs) starts from the plain product -0, and
        // -0 + -0 = -0 (tiled_dot_emitter.cc at XLA 131bf41, docs/parity.md).
        float[] x = new float[K];
        float[] w = [.. Enumerable.Repeat(-1f, K * N)];
        AllPaths(x, w, tier, 0f, -0f, "signed zero");
    }

    /// <summary>Runs every path; outputs below N - N mod 8 must be <paramref name="tiled"/>, the rest <paramref name="tail"/>.</summary>
    private static void AllPaths(float[] x, float[] w, SimdTier tier, float tiled, float tail, string what)
    {
        int tailStart = N - (N % 8);
        void Check(ReadOnlySpan<float> y, string path)
        {
            for (int j = 0; j < y.Length; j++)
            {
                Bits.Equal(j % N >= tailStart ? tail : tiled, y[j], $"{what}, {path}, output {j % N} of row {j / N}");
            }
        }

        float[] y = new float[N];
        if (tier == SimdTier.Scalar)
        {
            Gemv.Reference(x, w, y);
            Check(y, "Gemv.Reference");
        }

        Array.Fill(y, float.NaN);
        Gemv.Multiply(x, w, y, tier);
        Check(y, $"row-major streaming, tier {tier}");

        // The register blocks on a row-major W below the streaming size: the first 40 rows (rows 2 and 3 included).
        float[] small = w[..(40 * N)];
        Array.Fill(y, float.NaN);
        Gemv.Multiply(x[..40], small, y, tier);
        Check(y, $"row-major blocks, tier {tier}");

        float[] xs = [.. Enumerable.Range(0, Rows).SelectMany(_ => x)];
        float[] ys = new float[Rows * N];
        Array.Fill(ys, float.NaN);
        Gemv.MultiplyBatch<GemvEpilogues.Identity>(xs, w, default, ys, Rows, tier);
        Check(ys, $"batch tiles, tier {tier}");

        foreach (int threads in (int[])[1, 2])
        {
            using var op = new GemvOperator(new NDArray<float>(new Shape(K, N), w), threads, tier);
            Assert.True(op.UsesPanels);
            Array.Fill(y, float.NaN);
            op.Multiply(x, y);
            Check(y, $"operator panels, tier {tier}, {op.Threads} threads");
            Array.Fill(ys, float.NaN);
            op.Multiply<GemvEpilogues.Identity>(xs, ys, null, Rows);
            Check(ys, $"operator batch, tier {tier}, {op.Threads} threads");
        }
    }
}

using LaxScan.Kernels;
using LaxScan.Numerics;

namespace LaxScan.Tests.Numerics;

/// <summary>
/// x86 detects tininess after rounding (to 24 bits, unbounded exponent): under FTZ, a result whose exact value is
/// below 2^-126 - 2^-151 becomes zero even though IEEE rounding to the subnormal grid would give exactly 2^-126.
/// </summary>
public class TininessAfterRoundingTests
{
    private static readonly float MinNormal = MathF.Pow(2, -126);
    private static readonly float A = -MathF.Pow(2, -75);

    // a * b = -(2^-151 + 2^-170): 2^-126 + a * b is just below the bound.
    private static readonly float BBelow = MathF.Pow(2, -76) * (1 + MathF.Pow(2, -19));

    // a * b = -(2^-151 - 2^-170): just above the bound.
    private static readonly float BAbove = MathF.Pow(2, -76) * (1 - MathF.Pow(2, -19));

    public static TheoryData<SimdTier> Tiers => [SimdTier.Scalar, SimdTier.Vector128, SimdTier.Vector256, SimdTier.Vector512];

    [Fact]
    public void IEEE_rounding_gives_the_smallest_normal_in_both_cases()
    {
        Assert.Equal(MinNormal, MathF.FusedMultiplyAdd(A, BBelow, MinNormal));
        Assert.Equal(MinNormal, MathF.FusedMultiplyAdd(A, BAbove, MinNormal));
    }

    [Fact]
    public void Below_the_bound_the_result_is_tiny_after_rounding_and_flushes()
    {
        Bits.Equal(0u, XlaMath.Fma(A, BBelow, MinNormal));
        Bits.Equal(MinNormal, XlaMath.Fma(A, BAbove, MinNormal));
        Bits.Equal(0x8000_0000u, XlaMath.Fma(-A, BBelow, -MinNormal));
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void The_GEMV_flush_kernel_follows_the_rule_in_every_lane(SimdTier tier)
    {
        // y[n] = fma(W[1, n], b, fma(1, 2^-126, 0)), every operand normal; the tiny x sends it to the flush kernel.
        // W[1, n] = a puts the exact sum below the bound; a * (1 - 2^-18) puts it above.
        const int n = 37;
        float[] x = [MinNormal, BBelow];
        float[] w = new float[2 * n];
        for (int j = 0; j < n; j++)
        {
            w[j] = 1f;
            w[n + j] = j % 3 == 0 ? A * (1 - MathF.Pow(2, -18)) : A;
        }

        float[] y = new float[n];
        Gemv.Multiply(x, w, y, tier);
        for (int j = 0; j < n; j++)
        {
            Bits.Equal(j % 3 == 0 ? MinNormal : 0f, y[j], $"output {j}");
        }

        float[] reference = new float[n];
        Gemv.Reference(x, w, reference);
        Bits.Equal(reference, y);
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void ErfInv_of_inputs_just_above_the_smallest_normal_matches_the_scalar_rule(SimdTier tier)
    {
        // erf_inv(x) ~ 0.886 x, so its last product p * x crosses 2^-126 for x near 1.128 * 2^-126.
        float[] x = [.. Enumerable.Range(0, 0x2_0000).Select(i => Bits.Float((uint)(0x0090_0000 + i)))];
        float[] actual = new float[x.Length];
        XlaMath.ErfInv(x, actual, tier);
        Bits.Equal([.. x.Select(XlaMath.ErfInv)], actual);

        // The band really is crossed: some inputs give a zero where IEEE rounding alone would give 2^-126.
        Assert.Contains(actual, v => v == 0f);
        Assert.Contains(actual, v => v == MinNormal);
    }
}

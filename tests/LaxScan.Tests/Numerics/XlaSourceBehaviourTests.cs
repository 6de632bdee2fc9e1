using LaxScan.Numerics;

namespace LaxScan.Tests.Numerics;

/// <summary>
/// Behaviours read from XLA's source that the spec's formulas leave open, each checked at every tier.
/// </summary>
public class XlaSourceBehaviourTests
{
    public static TheoryData<SimdTier> Tiers => [SimdTier.Scalar, SimdTier.Vector128, SimdTier.Vector256, SimdTier.Vector512];

    private static float[] Run(Action<float[], float[], SimdTier> f, SimdTier tier, params float[] x)
    {
        // Pad past one 512-bit vector so the vector path, not only the scalar tail, sees the inputs.
        float[] input = [.. x, .. Enumerable.Repeat(0.5f, 16)];
        float[] output = new float[input.Length];
        f(input, output, tier);
        return output[..x.Length];
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void Log_of_a_negative_or_NaN_is_the_all_ones_NaN(SimdTier tier)
    {
        // polynomial_approximations.cc GenerateVF32Log: FloatOr(result, FCmpULE(x, 0) mask).
        float[] y = Run((x, d, t) => XlaMath.Log(x, d, t), tier, -1f, float.NaN, float.NegativeInfinity, -1e-30f);
        Assert.All(y, v => Assert.Equal(0xFFFF_FFFFu, Bits.Of(v)));
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void Log1p_below_minus_one_or_of_NaN_goes_through_log_and_gives_the_same_NaN(SimdTier tier)
    {
        float[] y = Run((x, d, t) => XlaMath.Log1p(x, d, t), tier, -2f, float.NaN, float.NegativeInfinity);
        Assert.All(y, v => Assert.Equal(0xFFFF_FFFFu, Bits.Of(v)));
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void Erf_saturates_at_3_7439211_as_JAX_0_10_1_and_later(SimdTier tier)
    {
        // expand_float_ops.cc RewriteErf32Pattern with XLA 9b21f50d2d: |x| >= 0x406F9C68 -> copysign(1, x).
        float threshold = Bits.Float(0x406F_9C68);
        float below = Bits.Float(0x406F_9C67);
        float[] y = Run((x, d, t) => XlaMath.Erf(x, d, t), tier, threshold, -threshold, 3.8f, below);
        Assert.Equal(1f, y[0]);
        Assert.Equal(-1f, y[1]);
        Assert.Equal(1f, y[2]);
        Assert.True(y[3] < 1f, $"erf just below the threshold is the polynomial, {y[3]:R}");
    }
}

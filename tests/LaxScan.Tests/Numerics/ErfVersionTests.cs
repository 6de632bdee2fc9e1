using LaxScan.Numerics;
using LaxScan.Random;

namespace LaxScan.Tests.Numerics;

/// <summary>
/// erf's three large-|x| rules (docs/parity.md, from XLA at each release's pinned commit), at every SIMD tier.
/// The clamped value is the one XLA's own comment gives (expand_float_ops.cc at 9b635916ec, the commit that added the
/// saturation): "the polynomial evaluated at the clamp boundary gives ~0.9999998 (3 ULPs short of 1.0)".
/// </summary>
public class ErfVersionTests
{
    private const uint Clamp = 0x406F_9C68;          // 3.7439211627767994f
    private const uint OldSaturation = 0x4075_47CB;  // 3.832506856900711f
    private const uint ThreeUlpsShortOfOne = 0x3F7F_FFFD;

    public static TheoryData<SimdTier> Tiers => [SimdTier.Scalar, SimdTier.Vector128, SimdTier.Vector256, SimdTier.Vector512];

    private static readonly JaxVersion Before071 = JaxVersion.Parse("0.7.0");
    private static readonly JaxVersion Clamped = JaxVersion.Parse("0.10.0");
    private static readonly JaxVersion Newest = JaxVersion.Parse("0.10.1");

    private static float[] Erf(JaxVersion version, SimdTier tier, params uint[] bits)
    {
        // Padded past one 512-bit vector, so the vector path sees the inputs and not only the scalar tail.
        float[] x = [.. bits.Select(Bits.Float), .. Enumerable.Repeat(0.5f, 16)];
        float[] y = new float[x.Length];
        XlaMath.Erf(x, y, version.ErfRule, tier);
        for (int i = 0; i < bits.Length; i++)
        {
            Bits.Equal(XlaMath.Erf(x[i], version), y[i], $"tier {tier} agrees with the scalar rule at 0x{bits[i]:X8}");
        }

        return y[..bits.Length];
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void JAX_0_7_1_to_0_10_0_clamp_x_and_stop_three_ulps_short_of_one(SimdTier tier)
    {
        float[] y = Erf(Clamped, tier, Clamp, Clamp + 1, OldSaturation, 0x4080_0000, 0x7F80_0000, Clamp | 0x8000_0000, 0xFF80_0000);
        Assert.All(y[..5], v => Bits.Equal(ThreeUlpsShortOfOne, v));
        Assert.All(y[5..], v => Bits.Equal(ThreeUlpsShortOfOne | 0x8000_0000, v));
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void JAX_0_10_1_and_later_saturate_from_the_clamp_point(SimdTier tier)
    {
        float[] y = Erf(Newest, tier, Clamp, 0x7F80_0000, Clamp | 0x8000_0000, Clamp - 1);
        Bits.Equal(1f, y[0]);
        Bits.Equal(1f, y[1]);
        Bits.Equal(-1f, y[2]);
        Bits.Equal(Erf(Clamped, tier, Clamp - 1)[0], y[3], "below the clamp point every rule is the same polynomial");
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void JAX_before_0_7_1_saturate_only_from_3_8325(SimdTier tier)
    {
        float[] y = Erf(Before071, tier, Clamp, OldSaturation - 1, OldSaturation, 0x7F80_0000, OldSaturation | 0x8000_0000);
        Bits.Equal(ThreeUlpsShortOfOne, y[0], "at 3.7439 the old rule still evaluates the polynomial");
        Assert.True(y[1] <= 1f && y[1] >= Bits.Float(ThreeUlpsShortOfOne), $"just below 3.8325 the polynomial, which has climbed to 1 there: {y[1]:R}");
        Bits.Equal(1f, y[2]);
        Bits.Equal(1f, y[3]);
        Bits.Equal(-1f, y[4]);
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void NaN_stays_NaN_and_subnormals_flush_under_every_rule(SimdTier tier)
    {
        foreach (JaxVersion v in new[] { Before071, Clamped, Newest })
        {
            float[] y = Erf(v, tier, 0x7FC0_0000, 0xFFC0_0001, 0x0000_0001, 0x8000_0001);
            Assert.True(float.IsNaN(y[0]) && float.IsNaN(y[1]), $"{v}: NaN in, NaN out");
            Bits.Equal(0u, y[2]);
            Bits.Equal(0x8000_0000u, y[3]);
        }
    }

    [Fact]
    public void The_default_is_the_newest_rule()
    {
        // At the clamp point the rules part: 1 under the newest, 3 ulps short of 1 under 0.7.1-0.10.0 (the tests above),
        // so exactly 1 here fails if the default (the overload without a version, and JaxVersion.Default) took another.
        Bits.Equal(1f, XlaMath.Erf(Bits.Float(Clamp)));
        Bits.Equal(1f, XlaMath.Erf(Bits.Float(Clamp), JaxVersion.Default));
        Bits.Equal(-1f, XlaMath.Erf(-Bits.Float(Clamp), JaxVersion.Default));
    }

    [Fact]
    public void Truncated_normal_bounds_past_5_2947_follow_the_release()
    {
        // erf(6 * rn(1/sqrt 2)) = erf(4.2426): +-1 under both saturating rules, the clamped value in 0.7.1-0.10.0. So
        // the old and the newest rule draw the same bits, and the clamped rule other bits.
        var key = PrngKey.FromSeed(3);
        var shape = new Shape(64);
        // The NotEqual is what fails when the release is not passed down to erf (every call would take one rule); the
        // Equal lines then say which rules agree, which only the erf tests above show independently.
        float[] newest = JaxRandom.TruncatedNormal(key, shape, -6f, 6f, ThreefryMode.Partitionable, Newest).Data;
        Bits.Equal(newest, JaxRandom.TruncatedNormal(key, shape, -6f, 6f, ThreefryMode.Partitionable, Before071).Data);
        Assert.NotEqual(newest, JaxRandom.TruncatedNormal(key, shape, -6f, 6f, ThreefryMode.Partitionable, Clamped).Data);

        // Within +-5.29 (the initializers' +-2 included) every release draws the same bits.
        foreach (JaxVersion v in new[] { Before071, Clamped })
        {
            Bits.Equal(JaxRandom.TruncatedNormal(key, shape, -2f, 2f).Data, JaxRandom.TruncatedNormal(key, shape, -2f, 2f, ThreefryMode.Partitionable, v).Data);
        }
    }
}

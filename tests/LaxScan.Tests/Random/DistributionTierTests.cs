using LaxScan.Numerics;
using LaxScan.Random;

namespace LaxScan.Tests.Random;

/// <summary>Every distribution gives the scalar path's bits at every SIMD tier, for every tail length.</summary>
public class DistributionTierTests
{
    public static TheoryData<SimdTier, ThreefryMode> TiersAndModes()
    {
        var data = new TheoryData<SimdTier, ThreefryMode>();
        foreach (SimdTier tier in new[] { SimdTier.Vector128, SimdTier.Vector256, SimdTier.Vector512 })
        {
            data.Add(tier, ThreefryMode.Partitionable);
            data.Add(tier, ThreefryMode.Original);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TiersAndModes))]
    public void Uniform_normal_and_truncated_normal_match_the_scalar_path(SimdTier tier, ThreefryMode mode)
    {
        var key = new PrngKey(17, 4242);
        foreach (int n in Enumerable.Range(0, 258).Append(5000))
        {
            Compare(n, (d, t) => JaxRandom.Uniform(key, d, -3f, 5f, mode, t), tier, "uniform");
            Compare(n, (d, t) => JaxRandom.Normal(key, d, mode, t), tier, "normal");
            Compare(n, (d, t) => JaxRandom.TruncatedNormal(key, d, -1.5f, 3f, mode, t), tier, "truncated_normal");
        }
    }

    [Theory]
    [MemberData(nameof(TiersAndModes))]
    public void The_one_pass_truncated_normal_has_the_bits_of_its_steps_one_at_a_time(SimdTier tier, ThreefryMode mode)
    {
        // The steps as separate passes over memory, as LaxScan ran them before the fused kernel: random bits, uniform
        // in [erf(lower/sqrt2), erf(upper/sqrt2)), erf_inv, times sqrt 2 clipped into (lower, upper), times the scale.
        // lower/sqrt2 is written lower * rn(1/sqrt2) = lower * 0x3F3504F3: XLA's algebraic simplifier turns a division
        // by a constant into that (algebraic_simplifier.cc:2512 at 131bf41, docs/parity.md). For +-2 the two agree;
        // for -1.5 and 3 they differ, so the second set of bounds shows which one the fused kernel computes.
        Assert.NotEqual(Bits.Of(-1.5f * 0.707106769f), Bits.Of(-1.5f / 1.41421354f));
        Assert.NotEqual(Bits.Of(3f * 0.707106769f), Bits.Of(3f / 1.41421354f));
        var key = new PrngKey(3, 99);
        foreach ((float lower, float upper, float? scale) in new (float, float, float?)[] { (-2f, 2f, 0.0441941738f), (-1.5f, 3f, null) })
        {
            float a = XlaMath.Erf(lower * 0.707106769f);
            float b = XlaMath.Erf(upper * 0.707106769f);
            foreach (int n in Enumerable.Range(0, 70).Concat([1023, 1025, 4097]))
            {
                float[] expected = new float[n];
                RandomBits.Fill32(key, System.Runtime.InteropServices.MemoryMarshal.Cast<float, uint>(expected.AsSpan()), mode, tier);
                DistributionKernels.UniformFromBits(expected, b - a, a, tier);
                XlaMath.ErfInv(expected, expected, tier);
                DistributionKernels.ScaleClip(expected, 1.41421354f, XlaMath.NextAfter(lower, float.PositiveInfinity), XlaMath.NextAfter(upper, float.NegativeInfinity), tier);
                if (scale is float s)
                {
                    DistributionKernels.Scale(expected, s, tier);
                }

                float[] actual = new float[n];
                TruncatedNormalFill.Fill(key, actual, lower, upper, scale, mode, tier);
                Bits.Equal(expected, actual, $"({lower}, {upper}) n={n}");
            }
        }
    }

    private delegate void Fill(Span<float> destination, SimdTier tier);

    private static void Compare(int n, Fill fill, SimdTier tier, string what)
    {
        float[] expected = new float[n];
        float[] actual = new float[n];
        fill(expected, SimdTier.Scalar);
        fill(actual, tier);
        Bits.Equal(expected, actual, $"{what} n={n}");
    }
}

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

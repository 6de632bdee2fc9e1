using LaxScan.Numerics;

namespace LaxScan.Tests;

/// <summary>The SIMD tiers a theory runs at, and the skip for a tier this machine cannot run.</summary>
internal static class TestTiers
{
    /// <summary>Every tier, the scalar one first.</summary>
    public static TheoryData<SimdTier> All => [SimdTier.Scalar, SimdTier.Vector128, SimdTier.Vector256, SimdTier.Vector512];

    /// <summary>
    /// Skips a theory row whose tier the hardware (or <c>DOTNET_EnableAVX512=0</c>, <c>DOTNET_EnableAVX2=0</c>) does not
    /// accelerate: the kernels then fall back to a narrower width, and the row would pass without running the kernel it
    /// names.
    /// </summary>
    public static void Require(SimdTier tier) =>
        Assert.SkipWhen(tier > SimdTiers.Hardware, $"this process does not accelerate {tier} (the widest is {SimdTiers.Hardware}): the kernels would fall back to a narrower width");
}

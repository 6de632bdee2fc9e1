using System.Runtime.Intrinsics;

namespace LaxScan.Numerics;

/// <summary>
/// The widest vector a kernel may use. Every tier gives the same bits; the tier only changes speed.
/// </summary>
public enum SimdTier
{
    /// <summary>One element at a time: the scalar references.</summary>
    Scalar = 0,

    /// <summary>128-bit vectors (4 float32 lanes).</summary>
    Vector128 = 128,

    /// <summary>256-bit vectors (8 lanes).</summary>
    Vector256 = 256,

    /// <summary>512-bit vectors (16 lanes).</summary>
    Vector512 = 512,
}

/// <summary>Which <see cref="SimdTier"/> this machine runs, and a switch to force a narrower one.</summary>
public static class SimdTiers
{
    /// <summary>
    /// The environment variable that caps the tier (<c>scalar</c>, <c>128</c>, <c>256</c>, <c>512</c>), so every
    /// kernel can be run and compared at every width on one machine. <c>DOTNET_EnableAVX512=0</c> and friends cap it too.
    /// </summary>
    public const string EnvironmentVariable = "LAXSCAN_SIMD";

    /// <summary>The widest tier the hardware accelerates, capped by <see cref="EnvironmentVariable"/>.</summary>
    public static SimdTier Default { get; } = Detect(Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>The widest tier the hardware accelerates.</summary>
    public static SimdTier Hardware =>
        Vector512.IsHardwareAccelerated ? SimdTier.Vector512
        : Vector256.IsHardwareAccelerated ? SimdTier.Vector256
        : Vector128.IsHardwareAccelerated ? SimdTier.Vector128
        : SimdTier.Scalar;

    internal static SimdTier Detect(string? cap)
    {
        SimdTier hardware = Hardware;
        SimdTier? requested = cap?.Trim().ToLowerInvariant() switch
        {
            null or "" => null,
            "scalar" or "0" => SimdTier.Scalar,
            "128" => SimdTier.Vector128,
            "256" => SimdTier.Vector256,
            "512" => SimdTier.Vector512,
            _ => throw new InvalidOperationException($"{EnvironmentVariable}={cap} is not a SIMD tier; use scalar, 128, 256 or 512"),
        };
        return requested is { } r && r < hardware ? r : hardware;
    }
}

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

/// <summary>
/// Which <see cref="SimdTier"/> this machine runs: a diagnostic (every tier gives the same bits). The environment
/// variable <c>LAXSCAN_SIMD</c> (<c>scalar</c>, <c>128</c>, <c>256</c>, <c>512</c>) caps it for the whole process.
/// </summary>
public static class SimdTiers
{
    /// <summary>
    /// The environment variable that caps the tier (<c>scalar</c>, <c>128</c>, <c>256</c>, <c>512</c>), so every
    /// kernel can be run and compared at every width on one machine. <c>DOTNET_EnableAVX512=0</c> and friends cap it too.
    /// </summary>
    internal const string EnvironmentVariable = "LAXSCAN_SIMD";

    // Read once. A bad value is kept as its message rather than thrown here: an exception in a type initializer
    // would surface as TypeInitializationException and leave SimdTiers unusable for the rest of the process. Two
    // plain fields, which the JIT reads as constants once the type is initialized, as it did the old property.
    private static readonly string? s_cap = Environment.GetEnvironmentVariable(EnvironmentVariable);
    private static readonly SimdTier s_tier = Resolve(s_cap).Tier;
    private static readonly string? s_error = Resolve(s_cap).Error;

    /// <summary>The widest tier the hardware accelerates, capped by <see cref="EnvironmentVariable"/>.</summary>
    /// <exception cref="InvalidOperationException"><see cref="EnvironmentVariable"/> holds something other than a tier (on every read, with the same message).</exception>
    public static SimdTier Default => s_error is null ? s_tier : throw new InvalidOperationException(s_error);

    /// <summary>The widest tier the hardware accelerates.</summary>
    public static SimdTier Hardware =>
        Vector512.IsHardwareAccelerated ? SimdTier.Vector512
        : Vector256.IsHardwareAccelerated ? SimdTier.Vector256
        : Vector128.IsHardwareAccelerated ? SimdTier.Vector128
        : SimdTier.Scalar;

    /// <summary>The tier <paramref name="cap"/> allows on this hardware, or the message saying why it is no tier.</summary>
    internal static (SimdTier Tier, string? Error) Resolve(string? cap)
    {
        SimdTier hardware = Hardware;
        SimdTier requested;
        switch (cap?.Trim().ToLowerInvariant())
        {
            case null or "":
                return (hardware, null);
            case "scalar" or "0":
                requested = SimdTier.Scalar;
                break;
            case "128":
                requested = SimdTier.Vector128;
                break;
            case "256":
                requested = SimdTier.Vector256;
                break;
            case "512":
                requested = SimdTier.Vector512;
                break;
            default:
                return (hardware, $"{EnvironmentVariable}={cap} is not a SIMD tier; use scalar, 128, 256 or 512");
        }

        return (requested < hardware ? requested : hardware, null);
    }
}

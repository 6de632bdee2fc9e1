using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using LaxScan.Numerics;

namespace LaxScan.Random;

/// <summary>
/// The elementwise steps of the distributions, each a scalar reference plus a Vector512 form with identical bits
/// (every operation here is a single IEEE operation, so lane width cannot change a result).
/// </summary>
internal static class DistributionKernels
{
    private const uint OneBits = 0x3F80_0000;   // 1.0f: or-ing 23 random mantissa bits into it gives [1, 2)

    /// <summary><c>out = max(minval, fma(f, range, minval))</c> with <c>f = bitcast((bits &gt;&gt; 9) | 1.0) - 1</c>.</summary>
    public static void UniformFromBits(ReadOnlySpan<uint> bits, Span<float> destination, float range, float minval, SimdTier tier)
    {
        int i = 0;
        if (tier >= SimdTier.Vector512)
        {
            var one = Vector512.Create(OneBits);
            var vRange = Vector512.Create(range);
            var vMin = Vector512.Create(minval);
            for (; i + Vector512<float>.Count <= bits.Length; i += Vector512<float>.Count)
            {
                Vector512<float> f = ((Vector512.Create(bits[i..]) >>> 9) | one).AsSingle() - Vector512<float>.One;
                Vector512<float> u = FlushToZero(Vector512.FusedMultiplyAdd(f, vRange, vMin));
                Vector512.Max(vMin, u).CopyTo(destination[i..]);
            }
        }

        for (; i < bits.Length; i++)
        {
            float f = BitConverter.UInt32BitsToSingle((bits[i] >> 9) | OneBits) - 1f;
            float u = XlaMath.FlushToZero(MathF.FusedMultiplyAdd(f, range, minval));
            destination[i] = MathF.Max(minval, u);
        }
    }

    /// <summary><c>x = x * scale</c>, flushed.</summary>
    public static void Scale(Span<float> x, float scale, SimdTier tier)
    {
        int i = 0;
        if (tier >= SimdTier.Vector512)
        {
            var s = Vector512.Create(scale);
            for (; i + Vector512<float>.Count <= x.Length; i += Vector512<float>.Count)
            {
                FlushToZero(Vector512.Create((ReadOnlySpan<float>)x[i..]) * s).CopyTo(x[i..]);
            }
        }

        for (; i < x.Length; i++)
        {
            x[i] = XlaMath.FlushToZero(x[i] * scale);
        }
    }

    /// <summary><c>x = min(max(x * scale, low), high)</c>, flushed, as <c>jnp.clip</c> after the scale.</summary>
    public static void ScaleClip(Span<float> x, float scale, float low, float high, SimdTier tier)
    {
        int i = 0;
        if (tier >= SimdTier.Vector512)
        {
            var s = Vector512.Create(scale);
            var lo = Vector512.Create(low);
            var hi = Vector512.Create(high);
            for (; i + Vector512<float>.Count <= x.Length; i += Vector512<float>.Count)
            {
                Vector512<float> v = FlushToZero(Vector512.Create((ReadOnlySpan<float>)x[i..]) * s);
                Vector512.Min(Vector512.Max(v, lo), hi).CopyTo(x[i..]);
            }
        }

        for (; i < x.Length; i++)
        {
            x[i] = MathF.Min(MathF.Max(XlaMath.FlushToZero(x[i] * scale), low), high);
        }
    }


    private static Vector512<float> FlushToZero(Vector512<float> v)
    {
        Vector512<uint> bits = v.AsUInt32();
        Vector512<uint> tiny = Vector512.LessThan(bits & Vector512.Create(0x7FFF_FFFFu), Vector512.Create(0x0080_0000u));
        return Vector512.ConditionalSelect(tiny, bits & Vector512.Create(0x8000_0000u), bits).AsSingle();
    }
}

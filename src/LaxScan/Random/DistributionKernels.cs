using System.Runtime.CompilerServices;
using LaxScan.Numerics;

namespace LaxScan.Random;

/// <summary>
/// The elementwise steps of the distributions, each a scalar reference and a lane form run at every SIMD tier. Every
/// step is a chain of single IEEE operations (and FTZ), so the lane width cannot change a result.
/// </summary>
internal static class DistributionKernels
{
    private const uint OneBits = 0x3F80_0000;   // 1.0f: or-ing 23 random mantissa bits into it gives [1, 2)

    /// <summary>
    /// In place, from random bits to uniform floats: <c>max(minval, fma(f, range, minval))</c> with
    /// <c>f = bitcast((bits &gt;&gt; 9) | 1.0) - 1</c> in [0, 1). <paramref name="values"/> holds the bits on entry.
    /// </summary>
    public static void UniformFromBits(Span<float> values, float range, float minval, SimdTier tier) =>
        Map(new Uniform(range, minval), values, tier);

    /// <summary>In place, <c>x = x * scale</c>, flushed.</summary>
    public static void Scale(Span<float> values, float scale, SimdTier tier) => Map(new Scaled(scale), values, tier);

    /// <summary>In place, <c>x = min(max(x * scale, low), high)</c>, flushed, as <c>jnp.clip</c> after the scale.</summary>
    public static void ScaleClip(Span<float> values, float scale, float low, float high, SimdTier tier) =>
        Map(new ScaledClip(scale, low, high), values, tier);

    private static void Map<TOp>(TOp op, Span<float> values, SimdTier tier)
        where TOp : struct, IElementwise =>
        Elementwise.Map(op, values, values, tier);

    internal readonly struct Uniform(float range, float minval) : IElementwise
    {
        public float Invoke(float bits)
        {
            float f = BitConverter.UInt32BitsToSingle((BitConverter.SingleToUInt32Bits(bits) >> 9) | OneBits) - 1f;
            return MathF.Max(minval, XlaMath.Fma(f, range, minval));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TL, TV>(TV bits)
            where TL : IFloatLanes<TV>
            where TV : struct
        {
            TV f = TL.Subtract(TL.Or(TL.ShiftRightLogical(bits, 9), TL.CreateBits(OneBits)), TL.Create(1f));
            TV min = TL.Create(minval);
            return TL.Max(min, XlaMath.FmaFlushed<TL, TV>(f, TL.Create(range), min));
        }
    }

    internal readonly struct Scaled(float scale) : IElementwise
    {
        public float Invoke(float x) => XlaMath.Mul(x, scale);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TL, TV>(TV x)
            where TL : IFloatLanes<TV>
            where TV : struct => XlaMath.MulFlushed<TL, TV>(x, TL.Create(scale));
    }

    internal readonly struct ScaledClip(float scale, float low, float high) : IElementwise
    {
        public float Invoke(float x) => MathF.Min(MathF.Max(XlaMath.Mul(x, scale), low), high);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TL, TV>(TV x)
            where TL : IFloatLanes<TV>
            where TV : struct =>
            TL.Min(TL.Max(XlaMath.MulFlushed<TL, TV>(x, TL.Create(scale)), TL.Create(low)), TL.Create(high));
    }
}

using System.Runtime.CompilerServices;

namespace LaxScan.Numerics;

/// <summary>
/// float32 elementary functions computed exactly as XLA:CPU computes them, so their bits equal JAX's on x86-64.
/// </summary>
/// <remarks>
/// <para>
/// Each function follows XLA's own polynomial or rational approximation with fused multiply-adds exactly where
/// XLA:CPU's LLVM pipeline contracts them, and nowhere else. These are the scalar references; the span overloads
/// in <c>XlaMath.Spans.cs</c> compute the same bits with Vector128/256/512.
/// </para>
/// <para>
/// Subnormals: XLA:CPU runs with flush-to-zero and denormals-are-zero, so every subnormal input counts as a zero of
/// the same sign and every subnormal result becomes a zero of the same sign. These functions emulate that (.NET
/// cannot set the MXCSR flags): a subnormal argument gives the result for a signed zero.
/// </para>
/// </remarks>
public static partial class XlaMath
{
    internal const uint SignMask = 0x8000_0000u;
    internal const uint AbsMask = 0x7FFF_FFFFu;
    internal const uint SmallestNormalBits = 0x0080_0000u;
    internal const uint InfinityBits = 0x7F80_0000u;
    internal const uint NegativeInfinityBits = 0xFF80_0000u;
    internal const uint OneBits = 0x3F80_0000u;

    /// <summary>
    /// Flushes a subnormal to a zero of the same sign, as XLA:CPU's FTZ/DAZ mode does; other values are unchanged.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float FlushToZero(float x)
    {
        uint bits = BitConverter.SingleToUInt32Bits(x);
        return (bits & AbsMask) < SmallestNormalBits ? BitConverter.UInt32BitsToSingle(bits & SignMask) : x;
    }

    /// <summary>Whether <paramref name="x"/> is a nonzero subnormal.</summary>
    internal static bool IsSubnormal(float x)
    {
        uint abs = BitConverter.SingleToUInt32Bits(x) & AbsMask;
        return abs != 0 && abs < SmallestNormalBits;
    }

    // Each elementary operation of the references below rounds once and then flushes, as the CPU does under FTZ/DAZ.
    // Inputs that come from a previous step are already flushed, so only a function's own arguments need a DAZ pass.
    // Sums and differences of flushed floats near 2^-126 are exact, so only products, quotients and FMAs can meet
    // the after-rounding rule of FlushRounded.
    internal static float Mul(float a, float b) => FlushRounded(a * b, (double)a * b);

    internal static float Add(float a, float b) => FlushToZero(a + b);

    internal static float Sub(float a, float b) => FlushToZero(a - b);

    internal static float Div(float a, float b) => FlushRounded(a / b, (double)a / b);

    internal static float Fma(float a, float b, float c) =>
        FlushRounded(MathF.FusedMultiplyAdd(a, b, c), Math.FusedMultiplyAdd((double)a, b, c));

    /// <summary>
    /// FTZ as x86 applies it: the CPU detects tininess after rounding to 24 bits with an unbounded exponent, so a
    /// result whose exact value lies in [2^-126 - 2^-150, 2^-126 - 2^-151) is flushed to zero although IEEE rounding
    /// (to the subnormal grid) gives exactly 2^-126. Only a rounded result of +-2^-126 can hide that, and there
    /// <paramref name="exact"/> (the operation in double, exact that close to 2^-126 for float operands) decides.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float FlushRounded(float rounded, double exact)
    {
        uint abs = BitConverter.SingleToUInt32Bits(rounded) & AbsMask;
        if (abs == SmallestNormalBits && Math.Abs(exact) < TininessBound)
        {
            return BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(rounded) & SignMask);
        }

        return abs < SmallestNormalBits ? BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(rounded) & SignMask) : rounded;
    }

    /// <summary>The lane form of <see cref="Mul"/>: a product flushed as x86 flushes it, tininess after rounding included.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TV MulFlushed<TL, TV>(TV a, TV b)
        where TL : IFloatLanes<TV>
        where TV : struct
    {
        TV r = TL.Multiply(a, b);
        return TL.Any(AtSmallestNormal<TL, TV>(r)) ? Lanewise<TL, TV>(a, b, b, static (x, y, _) => Mul(x, y)) : TL.FlushToZero(r);
    }

    /// <summary>The lane form of <see cref="Fma"/>: a fused multiply-add flushed as x86 flushes it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TV FmaFlushed<TL, TV>(TV a, TV b, TV c)
        where TL : IFloatLanes<TV>
        where TV : struct
    {
        TV r = TL.FusedMultiplyAdd(a, b, c);
        return TL.Any(AtSmallestNormal<TL, TV>(r)) ? Lanewise<TL, TV>(a, b, c, Fma) : TL.FlushToZero(r);
    }

    /// <summary>The lane form of <see cref="Div"/>: a quotient flushed as x86 flushes it, tininess after rounding included.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TV DivFlushed<TL, TV>(TV a, TV b)
        where TL : IFloatLanes<TV>
        where TV : struct
    {
        TV r = TL.Divide(a, b);
        return TL.Any(AtSmallestNormal<TL, TV>(r)) ? Lanewise<TL, TV>(a, b, b, static (x, y, _) => Div(x, y)) : TL.FlushToZero(r);
    }

    /// <summary>The lane form of <see cref="Add"/>: a sum of two floats is exact when it is subnormal, so flushing the rounded sum is enough.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TV AddFlushed<TL, TV>(TV a, TV b)
        where TL : IFloatLanes<TV>
        where TV : struct => TL.FlushToZero(TL.Add(a, b));

    /// <summary>The lane form of <see cref="Sub"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TV SubFlushed<TL, TV>(TV a, TV b)
        where TL : IFloatLanes<TV>
        where TV : struct => TL.FlushToZero(TL.Subtract(a, b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV AtSmallestNormal<TL, TV>(TV r)
        where TL : IFloatLanes<TV>
        where TV : struct =>
        TL.EqualsInt32(TL.And(r, TL.CreateBits(AbsMask)), TL.CreateBits(SmallestNormalBits));

    // The rare lanes that round to exactly +-2^-126 take the scalar rule; kept out of line so the common path stays small.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TV Lanewise<TL, TV>(TV a, TV b, TV c, Func<float, float, float, float> op)
        where TL : IFloatLanes<TV>
        where TV : struct
    {
        Span<float> buffer = stackalloc float[4 * TL.Count];
        int n = TL.Count;
        TL.Store(a, ref buffer[0], 0);
        TL.Store(b, ref buffer[0], (nuint)n);
        TL.Store(c, ref buffer[0], (nuint)(2 * n));
        for (int i = 0; i < n; i++)
        {
            buffer[(3 * n) + i] = op(buffer[i], buffer[n + i], buffer[(2 * n) + i]);
        }

        return TL.Load(ref buffer[0], (nuint)(3 * n));
    }

    // 2^-126 - 2^-151 (0x1.ffffffp-127, exact in double): below it, rounding to 24 bits with an unbounded exponent
    // stays under 2^-126 (tiny); at it, the tie goes to the even 2^-126.
    private static readonly double TininessBound = BitConverter.Int64BitsToDouble(0x380F_FFFF_F000_0000);

    private static float F(uint bits) => BitConverter.UInt32BitsToSingle(bits);

    private static uint Bits(float x) => BitConverter.SingleToUInt32Bits(x);
}

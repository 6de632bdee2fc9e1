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
    public static float FlushToZero(float x)
    {
        uint bits = BitConverter.SingleToUInt32Bits(x);
        return (bits & AbsMask) < SmallestNormalBits ? BitConverter.UInt32BitsToSingle(bits & SignMask) : x;
    }

    /// <summary>Whether <paramref name="x"/> is a nonzero subnormal.</summary>
    public static bool IsSubnormal(float x)
    {
        uint abs = BitConverter.SingleToUInt32Bits(x) & AbsMask;
        return abs != 0 && abs < SmallestNormalBits;
    }

    // Each elementary operation of the references below rounds once and then flushes, as the CPU does under FTZ/DAZ.
    // Inputs that come from a previous step are already flushed, so only a function's own arguments need a DAZ pass.
    private static float Mul(float a, float b) => FlushToZero(a * b);

    private static float Add(float a, float b) => FlushToZero(a + b);

    private static float Sub(float a, float b) => FlushToZero(a - b);

    private static float Div(float a, float b) => FlushToZero(a / b);

    private static float Fma(float a, float b, float c) => FlushToZero(MathF.FusedMultiplyAdd(a, b, c));

    private static float F(uint bits) => BitConverter.UInt32BitsToSingle(bits);

    private static uint Bits(float x) => BitConverter.SingleToUInt32Bits(x);
}

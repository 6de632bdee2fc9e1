using System.Runtime.Intrinsics;
using LaxScan.Numerics;

namespace LaxScan.Tests.Numerics;

/// <summary>
/// Bit-exact known answers for <see cref="XlaMath.NextAfter"/> (XLA's NextAfter in xla/hlo/builder/lib/math.cc, which
/// works on the integer bit patterns) and for the FTZ/DAZ emulation, scalar and per lane width.
/// </summary>
public class XlaMathKnownAnswerTests
{
    public static TheoryData<uint, uint, uint> NextAfterCases => new()
    {
        { 0x3F80_0000, 0x4000_0000, 0x3F80_0001 },   // 1 -> 2: one ulp up
        { 0x3F80_0000, 0x0000_0000, 0x3F7F_FFFF },   // 1 -> 0: one ulp down (half the ulp above 1)
        { 0xBF80_0000, 0x0000_0000, 0xBF7F_FFFF },   // -1 -> 0: the normal sampler's lower bound
        { 0xBF80_0000, 0xC000_0000, 0xBF80_0001 },   // -1 -> -2
        { 0x0000_0000, 0x3F80_0000, 0x0000_0001 },   // +0 -> 1: the smallest subnormal, not flushed
        { 0x0000_0000, 0xBF80_0000, 0x8000_0001 },   // +0 -> -1: y's sign
        { 0x8000_0000, 0x3F80_0000, 0x0000_0001 },   // -0 -> 1: y's sign, not x's
        { 0x0000_0000, 0x8000_0000, 0x8000_0000 },   // +0 -> -0: x == y returns y
        { 0x8000_0000, 0x0000_0000, 0x0000_0000 },   // -0 -> +0
        { 0x0000_0001, 0x0000_0000, 0x0000_0000 },   // smallest subnormal -> 0: +0
        { 0x8000_0001, 0x0000_0000, 0x8000_0000 },   // -smallest subnormal -> +0: -0 (magnitude decremented)
        { 0x0000_0001, 0x3F80_0000, 0x0000_0002 },   // subnormals are stepped, not flushed
        { 0x007F_FFFF, 0x7F80_0000, 0x0080_0000 },   // largest subnormal -> smallest normal
        { 0x0080_0000, 0x0000_0000, 0x007F_FFFF },   // smallest normal -> largest subnormal
        { 0x7F7F_FFFF, 0x7F80_0000, 0x7F80_0000 },   // max -> inf
        { 0x7F80_0000, 0x0000_0000, 0x7F7F_FFFF },   // inf -> max
        { 0xFF80_0000, 0x0000_0000, 0xFF7F_FFFF },   // -inf -> -max
        { 0x7F80_0000, 0x7F80_0000, 0x7F80_0000 },   // x == y
        { 0x3F80_0000, 0x3F80_0000, 0x3F80_0000 },   // x == y
        { 0x3F80_0001, 0xBF80_0000, 0x3F80_0000 },   // signs disagree: toward zero
        { 0xC000_0000, 0x3F80_0000, 0xBFFF_FFFF },   // -2 -> 1: toward zero
        { 0x7FC0_0000, 0x3F80_0000, 0x7FC0_0000 },   // NaN x
        { 0x3F80_0000, 0x7FC0_0001, 0x7FC0_0000 },   // NaN y: the canonical NaN, not y's payload
        { 0xFFC0_0000, 0x3F80_0000, 0x7FC0_0000 },   // negative NaN -> positive canonical NaN
        { 0x7F80_0001, 0x3F80_0000, 0x7FC0_0000 },   // signalling NaN
    };

    [Theory]
    [MemberData(nameof(NextAfterCases))]
    public void NextAfter_steps_bit_patterns_as_XLA_does(uint x, uint y, uint expected) =>
        Bits.Equal(expected, XlaMath.NextAfter(Bits.Float(x), Bits.Float(y)), $"nextafter(0x{x:X8}, 0x{y:X8})");

    public static TheoryData<uint, uint> FlushCases => new()
    {
        { 0x0000_0000, 0x0000_0000 },
        { 0x8000_0000, 0x8000_0000 },
        { 0x0000_0001, 0x0000_0000 },   // subnormals become a zero of their sign
        { 0x8000_0001, 0x8000_0000 },
        { 0x007F_FFFF, 0x0000_0000 },
        { 0x807F_FFFF, 0x8000_0000 },
        { 0x0040_0000, 0x0000_0000 },
        { 0x0080_0000, 0x0080_0000 },   // the smallest normal stays
        { 0x8080_0000, 0x8080_0000 },
        { 0x0080_0001, 0x0080_0001 },
        { 0x3F80_0000, 0x3F80_0000 },
        { 0x7F7F_FFFF, 0x7F7F_FFFF },
        { 0x7F80_0000, 0x7F80_0000 },   // infinities stay
        { 0xFF80_0000, 0xFF80_0000 },
        { 0x7FC0_0001, 0x7FC0_0001 },   // NaNs keep their payload
        { 0xFF80_0001, 0xFF80_0001 },
    };

    [Theory]
    [MemberData(nameof(FlushCases))]
    public void FlushToZero_flushes_only_subnormals(uint x, uint expected)
    {
        Bits.Equal(expected, XlaMath.FlushToZero(Bits.Float(x)), "scalar");
        Assert.Equal((x & 0x7FFF_FFFF) is > 0 and < 0x0080_0000, XlaMath.IsSubnormal(Bits.Float(x)));
        Bits.Equal(expected, FloatLanes128.FlushToZero(Vector128.Create(Bits.Float(x))).GetElement(3), "Vector128");
        Bits.Equal(expected, FloatLanes256.FlushToZero(Vector256.Create(Bits.Float(x))).GetElement(7), "Vector256");
        Bits.Equal(expected, FloatLanes512.FlushToZero(Vector512.Create(Bits.Float(x))).GetElement(15), "Vector512");
    }

    // (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24 rounds to 1 + 2^-11, so fma(a, a, -(1 + 2^-11)) is 2^-24 only with one rounding;
    // a separate multiply and add (or MultiplyAddEstimate on a machine without FMA) gives 0.
    [Fact]
    public void Lane_FusedMultiplyAdd_rounds_once_at_every_width()
    {
        float a = Bits.Float(0x3F80_0800), c = -Bits.Float(0x3F80_1000);
        const uint expected = 0x3380_0000;
        Bits.Equal(expected, FloatLanes128.FusedMultiplyAdd(Vector128.Create(a), Vector128.Create(a), Vector128.Create(c)).GetElement(1), "Vector128");
        Bits.Equal(expected, FloatLanes256.FusedMultiplyAdd(Vector256.Create(a), Vector256.Create(a), Vector256.Create(c)).GetElement(5), "Vector256");
        Bits.Equal(expected, FloatLanes512.FusedMultiplyAdd(Vector512.Create(a), Vector512.Create(a), Vector512.Create(c)).GetElement(11), "Vector512");
    }
}

using System.Runtime.CompilerServices;

namespace LaxScan.Numerics;

public static partial class XlaMath
{
    // XLA's rational tanh (xla/codegen/intrinsic/tanh.cc): a 13/6-degree odd rational on x clamped to +-7.998812.
    internal const uint TanhClampBits = 0x40FF_F644;      // 7.99881172: where the rational reaches 1.0
    internal const uint TanhSmallBits = 0x39D1_B717;      // 0.0004: below it tanh(x) rounds to x
    internal const uint TanhSaturateBits = 0x41A0_0000;   // 20.0: at and beyond it the result is exactly +-1

    // Numerator n0..n6 (Horner in x^2 from n0) and denominator d0..d3.
    private const uint TanhN0 = 0xA59F25C0, TanhN1 = 0x2A61337E, TanhN2 = 0xAEBD37FF, TanhN3 = 0x335C0041,
        TanhN4 = 0x3779434A, TanhN5 = 0x3A270DED, TanhN6 = 0x3BA059DC;

    private const uint TanhD0 = 0x35A0D3D8, TanhD1 = 0x38F895D6, TanhD2 = 0x3B14AA05, TanhD3 = 0x3BA059DD;

    internal static readonly float[] TanhNumerator =
        [F(TanhN0), F(TanhN1), F(TanhN2), F(TanhN3), F(TanhN4), F(TanhN5), F(TanhN6)];

    internal static readonly float[] TanhDenominator = [F(TanhD0), F(TanhD1), F(TanhD2), F(TanhD3)];

    /// <summary>The hyperbolic tangent, as XLA:CPU computes it for float32.</summary>
    /// <remarks><c>|x| &lt; 0.0004</c> returns x (a subnormal x returns a zero of its sign); <c>|x| &gt;= 20</c> returns +-1; NaN returns NaN.</remarks>
    public static float Tanh(float x)
    {
        x = FlushToZero(x);
        if (float.IsNaN(x))
        {
            return x;
        }

        uint abs = Bits(x) & AbsMask;
        if (abs < TanhSmallBits)
        {
            return x;
        }

        if (abs >= TanhSaturateBits)
        {
            return MathF.CopySign(1f, x);
        }

        float c = F(TanhClampBits);
        float xc = Math.Clamp(x, -c, c);
        float x2 = Mul(xc, xc);
        float n = TanhNumerator[0];
        for (int i = 1; i < TanhNumerator.Length; i++)
        {
            n = Fma(x2, n, TanhNumerator[i]);
        }

        n = Mul(xc, n);
        float d = TanhDenominator[0];
        for (int i = 1; i < TanhDenominator.Length; i++)
        {
            d = Fma(x2, d, TanhDenominator[i]);
        }

        return Div(n, d);
    }

    /// <summary>
    /// <see cref="Tanh(float)"/> on every lane: the rational is evaluated everywhere and the special cases are
    /// selected afterwards, so there is no branch.
    /// </summary>
    /// <remarks>
    /// No step of the rational flushes: for 0.0004 &lt;= |x| &lt; 20 none of its intermediates is subnormal (the
    /// exhaustive check in bench/LaxScan.Bench proves the bits equal), and every other lane is overwritten.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TV TanhCore<TL, TV>(TV x)
        where TL : IFloatLanes<TV>
        where TV : struct
    {
        TV abs = TL.And(x, TL.CreateBits(AbsMask));
        TV c = TL.CreateBits(TanhClampBits);
        TV xc = TL.MinNative(TL.MaxNative(x, TL.Negate(c)), c);
        TV x2 = TL.Multiply(xc, xc);
        TV n = TL.FusedMultiplyAdd(x2, TL.CreateBits(TanhN0), TL.CreateBits(TanhN1));
        n = TL.FusedMultiplyAdd(x2, n, TL.CreateBits(TanhN2));
        n = TL.FusedMultiplyAdd(x2, n, TL.CreateBits(TanhN3));
        n = TL.FusedMultiplyAdd(x2, n, TL.CreateBits(TanhN4));
        n = TL.FusedMultiplyAdd(x2, n, TL.CreateBits(TanhN5));
        n = TL.FusedMultiplyAdd(x2, n, TL.CreateBits(TanhN6));
        n = TL.Multiply(xc, n);
        TV d = TL.FusedMultiplyAdd(x2, TL.CreateBits(TanhD0), TL.CreateBits(TanhD1));
        d = TL.FusedMultiplyAdd(x2, d, TL.CreateBits(TanhD2));
        d = TL.FusedMultiplyAdd(x2, d, TL.CreateBits(TanhD3));
        TV r = TL.Divide(n, d);

        // The tests are on |x|'s bits read as int32 (sign bit clear), where NaNs sort above +inf.
        TV saturate = TL.Or(TL.And(x, TL.CreateBits(SignMask)), TL.CreateBits(OneBits));
        r = TL.ConditionalSelect(TL.LessThanInt32(abs, TL.CreateBits(TanhSaturateBits)), r, saturate);
        TV passThrough = TL.Or(TL.LessThanInt32(abs, TL.CreateBits(TanhSmallBits)), TL.LessThanInt32(TL.CreateBits(InfinityBits), abs));
        return TL.ConditionalSelect(passThrough, TL.FlushToZero(x), r);
    }
}

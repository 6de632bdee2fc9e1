namespace LaxScan.Numerics;

public static partial class XlaMath
{
    // XLA's rational tanh (xla/codegen/intrinsic/tanh.cc): a 13/6-degree odd rational on x clamped to +-7.998812.
    internal const uint TanhClampBits = 0x40FF_F644;      // 7.99881172: where the rational reaches 1.0
    internal const uint TanhSmallBits = 0x39D1_B717;      // 0.0004: below it tanh(x) rounds to x
    internal const uint TanhSaturateBits = 0x41A0_0000;   // 20.0: at and beyond it the result is exactly +-1

    internal static readonly float[] TanhNumerator =
    [
        F(0xA59F25C0), F(0x2A61337E), F(0xAEBD37FF), F(0x335C0041), F(0x3779434A), F(0x3A270DED), F(0x3BA059DC),
    ];

    internal static readonly float[] TanhDenominator = [F(0x35A0D3D8), F(0x38F895D6), F(0x3B14AA05), F(0x3BA059DD)];

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
}

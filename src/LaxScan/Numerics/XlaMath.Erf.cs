namespace LaxScan.Numerics;

public static partial class XlaMath
{
    // XLA's float32 erf (xla/codegen/intrinsic/erf.cc): x * P(x^2) / Q(x^2), saturating at 3.832506856900711.
    internal const uint ErfSaturateBits = 0x4075_47CB;

    internal static readonly float[] ErfNumerator = [F(0x39702D51), F(0x3B5F5DA2), F(0x3D50B6EB), F(0x3E3DA740), F(0x3F906EBA)];      // a9, a7, a5, a3, a1

    internal static readonly float[] ErfDenominator = [F(0xB3FD3906), F(0x37C588DF), F(0x3A856D28), F(0x3C6687D4), F(0x3DE34C21), F(0x3EFEB44A), F(0x3F800000)]; // b12 .. b0

    /// <summary>The error function, as XLA:CPU computes it for float32.</summary>
    /// <remarks><c>|x| &gt;= 3.8325069</c> returns +-1; NaN returns NaN; a subnormal x returns a zero of its sign.</remarks>
    public static float Erf(float x)
    {
        x = FlushToZero(x);
        if ((Bits(x) & AbsMask) >= ErfSaturateBits && !float.IsNaN(x))
        {
            return MathF.CopySign(1f, x);
        }

        float x2 = Mul(x, x);
        float p = Fma(x2, ErfNumerator[0], ErfNumerator[1]);
        for (int i = 2; i < ErfNumerator.Length; i++)
        {
            p = Fma(p, x2, ErfNumerator[i]);
        }

        float q = Fma(x2, ErfDenominator[0], ErfDenominator[1]);
        for (int i = 2; i < ErfDenominator.Length; i++)
        {
            q = Fma(x2, q, ErfDenominator[i]);
        }

        return Div(Mul(x, p), q);
    }
}

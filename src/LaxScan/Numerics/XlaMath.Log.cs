namespace LaxScan.Numerics;

public static partial class XlaMath
{
    // XLA's own float32 log (the Cephes-style polynomial of xla/codegen/intrinsic/log.cc): split x into a mantissa m
    // in [sqrt(1/2), sqrt(2)) and an exponent e, then log(x) = p(m - 1) + e * ln 2 with ln 2 = q2 + q1 in two parts.
    internal static readonly float[] LogPolynomial =
    [
        F(0x3D9021BB), F(0xBDEBD1B8), F(0x3DEF251A), F(0xBDFE5D4F), F(0x3E11E9BF), F(0xBE2AAE50), F(0x3E4CCEAC), F(0xBE7FFFFC), F(0x3EAAAAAA),
    ];

    internal const uint LogQ1Bits = 0xB95E8083;      // -2.12194440e-4: the low part of ln 2
    internal const uint LogQ2Bits = 0x3F318000;      // 0.693359375: the high part of ln 2
    internal const uint SqrtHalfBits = 0x3F3504F3;   // 0.70710677

    /// <summary>The natural logarithm, as XLA:CPU computes it for float32.</summary>
    /// <remarks>0 (and subnormals) -> -inf; +inf -> +inf; negative or NaN -> NaN.</remarks>
    public static float Log(float x)
    {
        x = FlushToZero(x);
        if (x == 0f)
        {
            return float.NegativeInfinity;
        }

        if (x < 0f || float.IsNaN(x))
        {
            return float.NaN;
        }

        if (float.IsPositiveInfinity(x))
        {
            return x;
        }

        float[] p = LogPolynomial;
        float t = MathF.Max(F(SmallestNormalBits), x);
        int exponent = (int)(Bits(t) >> 23) - 127;
        float m = F((Bits(t) & 0x807F_FFFFu) | 0x3F00_0000u);
        float e = Add(1f, exponent);
        bool below = m < F(SqrtHalfBits);
        float xr = Add(Sub(m, 1f), below ? m : 0f);
        e = Sub(e, below ? 1f : 0f);
        float x2 = Mul(xr, xr);
        float x3 = Mul(x2, xr);
        float y = Fma(xr, p[0], p[1]);
        float y1 = Fma(xr, p[3], p[4]);
        float y2 = Fma(xr, p[6], p[7]);
        y = Fma(y, xr, p[2]);
        y1 = Fma(y1, xr, p[5]);
        y2 = Fma(y2, xr, p[8]);
        y = Fma(y, x3, y1);
        y = Fma(y, x3, y2);
        y = Fma(y, x3, Mul(F(LogQ1Bits), e));
        float r = Fma(x2, -0.5f, xr);
        r = Add(r, y);
        return Fma(F(LogQ2Bits), e, r);
    }

    // XLA's log1p (elemental_ir_emitter EmitLog1p): a rational approximation for |y| < sqrt(2) - 1, log(1 + y) beyond.
    internal const uint Log1pSmallBits = 0x3ED413CD;   // 0.41421357 = sqrt(2) - 1

    internal static readonly float[] Log1pNumerator = [F(0x383DE04B), F(0x3EFF40C5), F(0x40D284FA), F(0x41EF4B9C), F(0x4273CC76), F(0x426473AD), F(0x41A05101)];

    internal static readonly float[] Log1pDenominator = [F(0x3F800000), F(0x417101AD), F(0x42A6185B), F(0x435DC32D), F(0x439A8CA3), F(0x43586D8A), F(0x42707982)];

    /// <summary><c>log(1 + y)</c>, as XLA:CPU computes it for float32.</summary>
    /// <remarks>-1 -> -inf; below -1 or NaN -> NaN; +inf -> +inf; a subnormal y returns a zero of its sign.</remarks>
    public static float Log1p(float y)
    {
        y = FlushToZero(y);
        if ((Bits(y) & AbsMask) >= Log1pSmallBits || float.IsNaN(y))
        {
            return Log(Add(y, 1f));
        }

        float y2 = Mul(y, y);
        float n = Log1pNumerator[0];
        for (int i = 1; i < Log1pNumerator.Length; i++)
        {
            n = Fma(n, y, Log1pNumerator[i]);
        }

        float d = Log1pDenominator[0];
        for (int i = 1; i < Log1pDenominator.Length; i++)
        {
            d = Fma(d, y, Log1pDenominator[i]);
        }

        float q = Div(n, d);
        float y3 = Mul(y, y2);
        float t = Mul(y3, q);
        float u = Fma(y2, -0.5f, t);
        return Add(y, u);
    }
}

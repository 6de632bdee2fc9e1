using System.Runtime.CompilerServices;

namespace LaxScan.Numerics;

public static partial class XlaMath
{
    // XLA's own float32 log (the Cephes-style polynomial of xla/codegen/intrinsic/log.cc): split x into a mantissa m
    // in [sqrt(1/2), sqrt(2)) and an exponent e, then log(x) = p(m - 1) + e * ln 2 with ln 2 = q2 + q1 in two parts.
    private const uint LogP0 = 0x3D9021BB, LogP1 = 0xBDEBD1B8, LogP2 = 0x3DEF251A, LogP3 = 0xBDFE5D4F, LogP4 = 0x3E11E9BF,
        LogP5 = 0xBE2AAE50, LogP6 = 0x3E4CCEAC, LogP7 = 0xBE7FFFFC, LogP8 = 0x3EAAAAAA;

    internal static readonly float[] LogPolynomial =
        [F(LogP0), F(LogP1), F(LogP2), F(LogP3), F(LogP4), F(LogP5), F(LogP6), F(LogP7), F(LogP8)];

    internal const uint LogQ1Bits = 0xB95E8083;      // -2.12194440e-4: the low part of ln 2
    internal const uint LogQ2Bits = 0x3F318000;      // 0.693359375: the high part of ln 2
    internal const uint SqrtHalfBits = 0x3F3504F3;   // 0.70710677

    // XLA's log ors an all-ones mask into the result where x <= 0 is unordered-or-true (GenerateVF32Log in
    // polynomial_approximations.cc): a negative or NaN x gives the NaN 0xFFFFFFFF, whatever NaN came in.
    private const uint LogNaNBits = 0xFFFF_FFFF;

    /// <summary>The natural logarithm, as XLA:CPU computes it for float32.</summary>
    /// <remarks>0 (and subnormals) -> -inf; +inf -> +inf; negative or NaN -> the NaN 0xFFFFFFFF, as XLA computes it.</remarks>
    public static float Log(float x)
    {
        x = FlushToZero(x);
        if (x == 0f)
        {
            return float.NegativeInfinity;
        }

        if (x < 0f || float.IsNaN(x))
        {
            return F(LogNaNBits);
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

    /// <summary><see cref="Log(float)"/> on every lane, with the special cases selected instead of branched.</summary>
    /// <remarks>
    /// The polynomial lanes are the positive normal x, where <c>max(2^-126, x)</c> is x itself, the mantissa and
    /// exponent steps are exact (so e is built in int32 and converted once), and no intermediate is subnormal: the
    /// reduced argument is 0 or at least 2^-24, so nothing needs flushing. The exhaustive check proves it.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TV LogCore<TL, TV>(TV x)
        where TL : IFloatLanes<TV>
        where TV : struct
    {
        TV one = TL.Create(1f);
        TV m = TL.Or(TL.And(x, TL.CreateBits(0x007F_FFFFu)), TL.CreateBits(0x3F00_0000u));
        TV below = TL.LessThan(m, TL.CreateBits(SqrtHalfBits));

        // e = biased exponent - 127 + 1, minus 1 more below sqrt(1/2); a true mask is int32 -1.
        TV e = TL.ConvertInt32ToSingle(TL.AddInt32(TL.AddInt32(TL.ShiftRightLogical(x, 23), TL.CreateBits(unchecked((uint)-126))), below));
        TV xr = TL.Add(TL.Subtract(m, one), TL.And(m, below));
        TV x2 = TL.Multiply(xr, xr);
        TV x3 = TL.Multiply(x2, xr);
        TV y = TL.FusedMultiplyAdd(xr, TL.CreateBits(LogP0), TL.CreateBits(LogP1));
        TV y1 = TL.FusedMultiplyAdd(xr, TL.CreateBits(LogP3), TL.CreateBits(LogP4));
        TV y2 = TL.FusedMultiplyAdd(xr, TL.CreateBits(LogP6), TL.CreateBits(LogP7));
        y = TL.FusedMultiplyAdd(y, xr, TL.CreateBits(LogP2));
        y1 = TL.FusedMultiplyAdd(y1, xr, TL.CreateBits(LogP5));
        y2 = TL.FusedMultiplyAdd(y2, xr, TL.CreateBits(LogP8));
        y = TL.FusedMultiplyAdd(y, x3, y1);
        y = TL.FusedMultiplyAdd(y, x3, y2);
        y = TL.FusedMultiplyAdd(y, x3, TL.Multiply(TL.CreateBits(LogQ1Bits), e));
        TV r = TL.FusedMultiplyAdd(x2, TL.Create(-0.5f), xr);
        r = TL.Add(r, y);
        r = TL.FusedMultiplyAdd(TL.CreateBits(LogQ2Bits), e, r);

        // As int32, x's bits below 2^-126's are the negatives, zeros and subnormals; above inf's, the positive NaNs.
        TV outside = TL.Or(TL.LessThanInt32(x, TL.CreateBits(SmallestNormalBits)), TL.LessThanInt32(TL.CreateBits(InfinityBits - 1), x));
        r = TL.ConditionalSelect(outside, TL.CreateBits(LogNaNBits), r);
        r = TL.ConditionalSelect(TL.EqualsInt32(x, TL.CreateBits(InfinityBits)), x, r);
        TV zero = TL.LessThanInt32(TL.And(x, TL.CreateBits(AbsMask)), TL.CreateBits(SmallestNormalBits));
        return TL.ConditionalSelect(zero, TL.CreateBits(NegativeInfinityBits), r);
    }

    // XLA's log1p (elemental_ir_emitter EmitLog1p): a rational approximation for |y| < sqrt(2) - 1, log(1 + y) beyond.
    internal const uint Log1pSmallBits = 0x3ED413CD;   // 0.41421357 = sqrt(2) - 1

    private const uint Log1pN0 = 0x383DE04B, Log1pN1 = 0x3EFF40C5, Log1pN2 = 0x40D284FA, Log1pN3 = 0x41EF4B9C,
        Log1pN4 = 0x4273CC76, Log1pN5 = 0x426473AD, Log1pN6 = 0x41A05101;

    private const uint Log1pD0 = 0x3F800000, Log1pD1 = 0x417101AD, Log1pD2 = 0x42A6185B, Log1pD3 = 0x435DC32D,
        Log1pD4 = 0x439A8CA3, Log1pD5 = 0x43586D8A, Log1pD6 = 0x42707982;

    internal static readonly float[] Log1pNumerator =
        [F(Log1pN0), F(Log1pN1), F(Log1pN2), F(Log1pN3), F(Log1pN4), F(Log1pN5), F(Log1pN6)];

    internal static readonly float[] Log1pDenominator =
        [F(Log1pD0), F(Log1pD1), F(Log1pD2), F(Log1pD3), F(Log1pD4), F(Log1pD5), F(Log1pD6)];

    /// <summary><c>log(1 + y)</c>, as XLA:CPU computes it for float32.</summary>
    /// <remarks>-1 -> -inf; below -1 or NaN -> the NaN 0xFFFFFFFF (through log); +inf -> +inf; a subnormal y returns a zero of its sign.</remarks>
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

    /// <summary><see cref="Log1p(float)"/> on every lane: both branches are computed and the result selected.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TV Log1pCore<TL, TV>(TV y)
        where TL : IFloatLanes<TV>
        where TV : struct => Log1pUnflushedCore<TL, TV>(TL.FlushToZero(y));

    /// <summary>
    /// <see cref="Log1pCore{TL, TV}"/> without the DAZ pass on y, for callers whose y is a zero, normal, or a
    /// subnormal that may pass through as itself (ErfInv negates it into w, where w - 2.5 absorbs it).
    /// </summary>
    /// <remarks>
    /// No step flushes. On the rational's lanes (|y| &lt; sqrt(2) - 1) y2, y3, t and u may be subnormal only when
    /// they are below half an ulp of the quantity they are added to, so the flush cannot change the result
    /// <c>y + u</c>; on the other lanes <c>y + 1</c> is 0 or at least 2^-24. The exhaustive check proves it.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TV Log1pUnflushedCore<TL, TV>(TV y)
        where TL : IFloatLanes<TV>
        where TV : struct
    {
        TV large = LogCore<TL, TV>(TL.Add(y, TL.Create(1f)));
        TV y2 = TL.Multiply(y, y);
        TV n = TL.FusedMultiplyAdd(TL.CreateBits(Log1pN0), y, TL.CreateBits(Log1pN1));
        n = TL.FusedMultiplyAdd(n, y, TL.CreateBits(Log1pN2));
        n = TL.FusedMultiplyAdd(n, y, TL.CreateBits(Log1pN3));
        n = TL.FusedMultiplyAdd(n, y, TL.CreateBits(Log1pN4));
        n = TL.FusedMultiplyAdd(n, y, TL.CreateBits(Log1pN5));
        n = TL.FusedMultiplyAdd(n, y, TL.CreateBits(Log1pN6));
        TV d = TL.FusedMultiplyAdd(TL.CreateBits(Log1pD0), y, TL.CreateBits(Log1pD1));
        d = TL.FusedMultiplyAdd(d, y, TL.CreateBits(Log1pD2));
        d = TL.FusedMultiplyAdd(d, y, TL.CreateBits(Log1pD3));
        d = TL.FusedMultiplyAdd(d, y, TL.CreateBits(Log1pD4));
        d = TL.FusedMultiplyAdd(d, y, TL.CreateBits(Log1pD5));
        d = TL.FusedMultiplyAdd(d, y, TL.CreateBits(Log1pD6));
        TV q = TL.Divide(n, d);
        TV y3 = TL.Multiply(y, y2);
        TV t = TL.Multiply(y3, q);
        TV u = TL.FusedMultiplyAdd(y2, TL.Create(-0.5f), t);
        TV small = TL.Add(y, u);

        // NaN's |y| bits are above the threshold's as int32, so NaN takes the log branch as in the scalar code.
        TV isSmall = TL.LessThanInt32(TL.And(y, TL.CreateBits(AbsMask)), TL.CreateBits(Log1pSmallBits));
        return TL.ConditionalSelect(isSmall, small, large);
    }
}

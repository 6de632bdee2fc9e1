using System.Runtime.CompilerServices;

namespace LaxScan.Numerics;

public static partial class XlaMath
{
    // XLA's float32 erf: x * P(x^2) / Q(x^2), with the same coefficients and FMA order on every path.
    // Where erf becomes exactly +-1. JAX >= 0.10.1 (XLA 9b21f50d2d, expand_float_ops.cc RewriteErf32Pattern, the path
    // every elementwise erf in a loop fusion takes since JAX 0.7.1) saturates at 3.7439211627767994 (0x406F9C68).
    // JAX 0.7.1-0.10.0 clamped x at that point without saturating (about 0.99999982 beyond it); older XLA
    // saturated at 3.832506856900711 (0x407547CB, EmitErfF32). The three agree for |x| < 3.7439, which covers
    // truncated_normal(-2, 2) and every initializer. JaxVersion.ErfRule picks one; the default is the newest.
    internal const uint ErfSaturateBits = 0x406F_9C68;

    // EmitErfF32's kErfInvOneMinusHalfULP = 3.832506856900711f (JAX < 0.7.1).
    internal const uint ErfSaturateBitsBefore071 = 0x4075_47CB;

    private const uint ErfA9 = 0x39702D51, ErfA7 = 0x3B5F5DA2, ErfA5 = 0x3D50B6EB, ErfA3 = 0x3E3DA740, ErfA1 = 0x3F906EBA;

    private const uint ErfB12 = 0xB3FD3906, ErfB10 = 0x37C588DF, ErfB8 = 0x3A856D28, ErfB6 = 0x3C6687D4,
        ErfB4 = 0x3DE34C21, ErfB2 = 0x3EFEB44A, ErfB0 = 0x3F800000;

    internal static readonly float[] ErfNumerator = [F(ErfA9), F(ErfA7), F(ErfA5), F(ErfA3), F(ErfA1)];

    internal static readonly float[] ErfDenominator = [F(ErfB12), F(ErfB10), F(ErfB8), F(ErfB6), F(ErfB4), F(ErfB2), F(ErfB0)];

    /// <summary>The error function, as XLA:CPU computes it for float32.</summary>
    /// <remarks>
    /// <c>|x| &gt;= 3.7439212</c> returns +-1, as JAX &gt;= 0.10.1 computes it (older JAX differs only for
    /// 3.7439 &lt;= |x| &lt; 3.8325); NaN returns NaN; a subnormal x returns a zero of its sign.
    /// </remarks>
    public static float Erf(float x) => Erf(x, ErfRule.SaturateFrom3_7439);

    /// <summary>The error function as XLA:CPU computes it for float32 in a given JAX release.</summary>
    /// <param name="x">The argument.</param>
    /// <param name="version">The release whose large-|x| rule applies (<see cref="JaxVersion.ErfRule"/>).</param>
    public static float Erf(float x, JaxVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return Erf(x, version.ErfRule);
    }

    internal static float Erf(float x, ErfRule rule)
    {
        x = FlushToZero(x);
        if (rule == ErfRule.ClampAt3_7439)
        {
            // arith.maximumf / minimumf: NaN propagates, and +-inf land on the clamp like any large x.
            float c = F(ErfSaturateBits);
            x = float.IsNaN(x) ? x : Math.Clamp(x, -c, c);
        }
        else if ((Bits(x) & AbsMask) >= (rule == ErfRule.SaturateFrom3_8325 ? ErfSaturateBitsBefore071 : ErfSaturateBits) && !float.IsNaN(x))
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

    /// <summary><see cref="Erf(float)"/> on every lane, with the saturation selected instead of branched.</summary>
    /// <remarks>
    /// Only the input is flushed (DAZ): x * x may be subnormal, but it only meets constants that absorb it (a7 and
    /// b10 are far above its rounding), and with a normal x, x * P and the quotient are normal. The exhaustive check
    /// in bench/LaxScan.Bench proves the bits equal.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TV ErfCore<TL, TV>(TV x)
        where TL : IFloatLanes<TV>
        where TV : struct => ErfCore<TL, TV>(x, ErfSaturateBits);

    /// <summary><see cref="ErfCore{TL, TV}(TV)"/> saturating from another threshold (JAX &lt; 0.7.1 uses <see cref="ErfSaturateBitsBefore071"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TV ErfCore<TL, TV>(TV x, uint saturateBits)
        where TL : IFloatLanes<TV>
        where TV : struct
    {
        x = TL.FlushToZero(x);
        TV r = ErfPolynomial<TL, TV>(x);

        // Saturate for saturateBits <= |x| <= inf; NaN (|x|'s bits above inf's as int32) keeps the NaN r.
        TV abs = TL.And(x, TL.CreateBits(AbsMask));
        TV saturate = TL.And(
            TL.LessThanInt32(TL.CreateBits(saturateBits - 1), abs),
            TL.LessThanInt32(abs, TL.CreateBits(InfinityBits + 1)));
        return TL.ConditionalSelect(saturate, TL.Or(TL.And(x, TL.CreateBits(SignMask)), TL.CreateBits(OneBits)), r);
    }

    /// <summary>JAX 0.7.1 to 0.10.0: x clamped to +-0x406F9C68 (NaN kept), then the polynomial, with no saturation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TV ErfClampedCore<TL, TV>(TV x)
        where TL : IFloatLanes<TV>
        where TV : struct
    {
        TV c = TL.CreateBits(ErfSaturateBits);
        x = TL.Min(TL.Max(TL.FlushToZero(x), TL.Negate(c)), c);
        return ErfPolynomial<TL, TV>(x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV ErfPolynomial<TL, TV>(TV x)
        where TL : IFloatLanes<TV>
        where TV : struct
    {
        TV x2 = TL.Multiply(x, x);
        TV p = TL.FusedMultiplyAdd(x2, TL.CreateBits(ErfA9), TL.CreateBits(ErfA7));
        p = TL.FusedMultiplyAdd(p, x2, TL.CreateBits(ErfA5));
        p = TL.FusedMultiplyAdd(p, x2, TL.CreateBits(ErfA3));
        p = TL.FusedMultiplyAdd(p, x2, TL.CreateBits(ErfA1));
        TV q = TL.FusedMultiplyAdd(x2, TL.CreateBits(ErfB12), TL.CreateBits(ErfB10));
        q = TL.FusedMultiplyAdd(x2, q, TL.CreateBits(ErfB8));
        q = TL.FusedMultiplyAdd(x2, q, TL.CreateBits(ErfB6));
        q = TL.FusedMultiplyAdd(x2, q, TL.CreateBits(ErfB4));
        q = TL.FusedMultiplyAdd(x2, q, TL.CreateBits(ErfB2));
        q = TL.FusedMultiplyAdd(x2, q, TL.CreateBits(ErfB0));
        return TL.Divide(TL.Multiply(x, p), q);
    }
}

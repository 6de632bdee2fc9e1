using System.Runtime.CompilerServices;

namespace LaxScan.Numerics;

public static partial class XlaMath
{
    // StableHLO's erf_inv for float32 (ChloLegalizeToStablehlo.cpp, materializeErfInvF32, after Giles 2010):
    // w = -log1p(-x^2), then a degree-8 polynomial in w - 2.5 (w < 5) or in sqrt(w) - 3, times x.
    private const uint ErfInvA0 = 0x32F16588, ErfInvA1 = 0x34B84B36, ErfInvA2 = 0xB66C7357, ErfInvA3 = 0xB6935AC1,
        ErfInvA4 = 0x396532DB, ErfInvA5 = 0xBAA45408, ErfInvA6 = 0xBB88E4EF, ErfInvA7 = 0x3E7C8F63, ErfInvA8 = 0x3FC02E2F;

    private const uint ErfInvB0 = 0xB951F09B, ErfInvB1 = 0x38D3B56B, ErfInvB2 = 0x3AB0DC72, ErfInvB3 = 0xBB70BDE7,
        ErfInvB4 = 0x3BBC127B, ErfInvB5 = 0xBBF9C5D7, ErfInvB6 = 0x3C1AA57E, ErfInvB7 = 0x3F8036DB, ErfInvB8 = 0x40354F7E;

    internal static readonly float[] ErfInvCentral =
        [F(ErfInvA0), F(ErfInvA1), F(ErfInvA2), F(ErfInvA3), F(ErfInvA4), F(ErfInvA5), F(ErfInvA6), F(ErfInvA7), F(ErfInvA8)];

    internal static readonly float[] ErfInvTail =
        [F(ErfInvB0), F(ErfInvB1), F(ErfInvB2), F(ErfInvB3), F(ErfInvB4), F(ErfInvB5), F(ErfInvB6), F(ErfInvB7), F(ErfInvB8)];

    /// <summary>The inverse error function, as XLA:CPU computes <c>lax.erf_inv</c> for float32.</summary>
    /// <remarks>+-1 -> +-inf; <c>|x| &gt; 1</c> or NaN -> NaN; a subnormal x returns a zero of its sign.</remarks>
    public static float ErfInv(float x)
    {
        x = FlushToZero(x);
        if (MathF.Abs(x) == 1f)
        {
            return x * float.PositiveInfinity;
        }

        float w = -Log1p(-Mul(x, x));
        bool central = w < 5f;
        float[] c = central ? ErfInvCentral : ErfInvTail;
        float t = central ? Sub(w, 2.5f) : Sub(MathF.Sqrt(w), 3f);
        float p = c[0];
        for (int i = 1; i < c.Length; i++)
        {
            p = Fma(p, t, c[i]);
        }

        return Mul(p, x);
    }

    /// <summary>
    /// <see cref="ErfInv(float)"/> on every lane: both of log1p's branches and both coefficient sets are computed or
    /// selected per lane, so there is no branch.
    /// </summary>
    /// <remarks>
    /// Only the product <c>p * x</c> is flushed (it is subnormal for |x| just above 2^-126). A subnormal x needs no
    /// DAZ pass: x * x is then +0 whether or not x was flushed, and the final flush turns p * x into x's signed zero.
    /// A subnormal x * x passes through log1p as itself into w, where <c>w - 2.5</c> rounds it away, exactly as its
    /// flushed zero would. No Horner step is subnormal. The exhaustive check in bench/LaxScan.Bench proves the bits.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TV ErfInvCore<TL, TV>(TV x)
        where TL : IFloatLanes<TV>
        where TV : struct
    {
        TV w = TL.Negate(Log1pUnflushedCore<TL, TV>(TL.Negate(TL.Multiply(x, x))));
        TV central = TL.LessThan(w, TL.Create(5f));
        TV p;
        if (!TL.Any(TL.Xor(central, TL.CreateBits(0xFFFF_FFFF))))
        {
            // Every lane central (always so for |x| < 0.9933, e.g. truncated_normal's draws within (-2, 2)): the
            // selects below would pick the same constants, and the tail's sqrt is not needed.
            TV tc = TL.Subtract(w, TL.Create(2.5f));
            p = TL.FusedMultiplyAdd(TL.CreateBits(ErfInvA0), tc, TL.CreateBits(ErfInvA1));
            p = TL.FusedMultiplyAdd(p, tc, TL.CreateBits(ErfInvA2));
            p = TL.FusedMultiplyAdd(p, tc, TL.CreateBits(ErfInvA3));
            p = TL.FusedMultiplyAdd(p, tc, TL.CreateBits(ErfInvA4));
            p = TL.FusedMultiplyAdd(p, tc, TL.CreateBits(ErfInvA5));
            p = TL.FusedMultiplyAdd(p, tc, TL.CreateBits(ErfInvA6));
            p = TL.FusedMultiplyAdd(p, tc, TL.CreateBits(ErfInvA7));
            p = TL.FusedMultiplyAdd(p, tc, TL.CreateBits(ErfInvA8));
        }
        else
        {
            TV t = TL.ConditionalSelect(central, TL.Subtract(w, TL.Create(2.5f)), TL.Subtract(TL.Sqrt(w), TL.Create(3f)));
            p = TL.ConditionalSelect(central, TL.CreateBits(ErfInvA0), TL.CreateBits(ErfInvB0));
            p = TL.FusedMultiplyAdd(p, t, TL.ConditionalSelect(central, TL.CreateBits(ErfInvA1), TL.CreateBits(ErfInvB1)));
            p = TL.FusedMultiplyAdd(p, t, TL.ConditionalSelect(central, TL.CreateBits(ErfInvA2), TL.CreateBits(ErfInvB2)));
            p = TL.FusedMultiplyAdd(p, t, TL.ConditionalSelect(central, TL.CreateBits(ErfInvA3), TL.CreateBits(ErfInvB3)));
            p = TL.FusedMultiplyAdd(p, t, TL.ConditionalSelect(central, TL.CreateBits(ErfInvA4), TL.CreateBits(ErfInvB4)));
            p = TL.FusedMultiplyAdd(p, t, TL.ConditionalSelect(central, TL.CreateBits(ErfInvA5), TL.CreateBits(ErfInvB5)));
            p = TL.FusedMultiplyAdd(p, t, TL.ConditionalSelect(central, TL.CreateBits(ErfInvA6), TL.CreateBits(ErfInvB6)));
            p = TL.FusedMultiplyAdd(p, t, TL.ConditionalSelect(central, TL.CreateBits(ErfInvA7), TL.CreateBits(ErfInvB7)));
            p = TL.FusedMultiplyAdd(p, t, TL.ConditionalSelect(central, TL.CreateBits(ErfInvA8), TL.CreateBits(ErfInvB8)));
        }

        TV r = MulFlushed<TL, TV>(p, x);

        // +-1 -> +-inf: x * inf keeps x's sign.
        TV unit = TL.Equals(TL.And(x, TL.CreateBits(AbsMask)), TL.Create(1f));
        return TL.ConditionalSelect(unit, TL.Or(TL.And(x, TL.CreateBits(SignMask)), TL.CreateBits(InfinityBits)), r);
    }

    /// <summary>
    /// The float32 next to <paramref name="x"/> in the direction of <paramref name="y"/>, as <c>lax.nextafter</c>
    /// computes it on bit patterns.
    /// </summary>
    /// <remarks>NaN in either argument -> NaN; <c>x == y</c> -> y; a zero x -> the smallest subnormal with y's sign.</remarks>
    public static float NextAfter(float x, float y)
    {
        if (float.IsNaN(x) || float.IsNaN(y))
        {
            return F(0x7FC0_0000);
        }

        if (x == y)
        {
            return y;
        }

        uint xb = Bits(x);
        if ((xb & AbsMask) == 0)
        {
            return F((Bits(y) & SignMask) | 1u);
        }

        // Moving away from zero increments the magnitude bits; toward zero decrements them.
        bool awayFromZero = (x < y) == (x > 0f);
        return F(awayFromZero ? xb + 1 : xb - 1);
    }
}

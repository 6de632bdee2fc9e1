namespace LaxScan.Numerics;

public static partial class XlaMath
{
    // StableHLO's erf_inv for float32 (ChloLegalizeToStablehlo.cpp, materializeErfInvF32, after Giles 2010):
    // w = -log1p(-x^2), then a degree-8 polynomial in w - 2.5 (w < 5) or in sqrt(w) - 3, times x.
    internal static readonly float[] ErfInvCentral =
    [
        F(0x32F16588), F(0x34B84B36), F(0xB66C7357), F(0xB6935AC1), F(0x396532DB), F(0xBAA45408), F(0xBB88E4EF), F(0x3E7C8F63), F(0x3FC02E2F),
    ];

    internal static readonly float[] ErfInvTail =
    [
        F(0xB951F09B), F(0x38D3B56B), F(0x3AB0DC72), F(0xBB70BDE7), F(0x3BBC127B), F(0xBBF9C5D7), F(0x3C1AA57E), F(0x3F8036DB), F(0x40354F7E),
    ];

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

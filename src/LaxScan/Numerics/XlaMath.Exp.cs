using System.Runtime.CompilerServices;

namespace LaxScan.Numerics;

public static partial class XlaMath
{
    // XLA:CPU's float32 exp (GenerateVF32Exp in xla/backends/cpu/codegen/polynomial_approximations.cc at 131bf41):
    // Cephes' reduction x = n ln2 + r with n = floor(x log2(e) + 0.5) clamped to [-127, 127], a degree-5 polynomial
    // for e^r, and the result z * 2^n with 2^n built from n's bits (0 when n = -127). Every VectorIrBuilder MulAdd is
    // an fmul whose one use is an fadd, which LLVM contracts into an FMA (AllowFPOpFusion::Fast); so is each
    // `x - C * n`. See docs/parity.md, "Recurrent family".
    internal const uint ExpLowBits = 0xC2AF_999A;   // -87.8: the input clamp's lower bound
    internal const uint ExpHighBits = 0x42B1_999A;  // 88.8: the input clamp's upper bound
    internal const uint ExpLog2EBits = 0x3FB8_AA3B;  // 1.44269504 = log2(e)
    internal const uint ExpC1Bits = 0x3F31_8000;     // 0.693359375, the high part of ln 2 (C1 * n is exact)
    internal const uint ExpC2Bits = 0xB95E_8083;     // -2.12194440e-4, the low part of ln 2

    // The polynomial p0..p5, Horner from p0.
    private const uint ExpP0 = 0x3950_6967, ExpP1 = 0x3AB7_43CE, ExpP2 = 0x3C08_8908, ExpP3 = 0x3D2A_A9C1,
        ExpP4 = 0x3E2A_AAAA, ExpP5 = 0x3F00_0000;

    internal static readonly float[] ExpPolynomial = [F(ExpP0), F(ExpP1), F(ExpP2), F(ExpP3), F(ExpP4), F(ExpP5)];

    /// <summary>The exponential function, as XLA:CPU computes it for float32.</summary>
    /// <remarks>
    /// Inputs are clamped to [-87.8, 88.8] first, so -inf gives 0 and +inf gives +inf; results below 2^-126 flush to
    /// zero; a subnormal x gives 1; NaN gives NaN. Above x = 88.376 the exponent is clamped to 127 and the result is a
    /// few ulps off e^x, as in XLA. XLA's comment says exp(88.7228394) is float.MaxValue; that was under 2019's fast
    /// math, and the contraction rule of JAX 0.11.0 gives +inf here (docs/parity.md).
    /// </remarks>
    public static float Exp(float x)
    {
        x = FlushToZero(x);
        if (float.IsNaN(x))
        {
            return x;
        }

        (float z, float pow2) = ExpParts(x);
        return Mul(z, pow2);
    }

    /// <summary>
    /// exp(x) as the two factors XLA multiplies last: the polynomial z ~ e^r in about [0.7, 2.2] and the exact power of
    /// two 2^n (or +0 when n = -127). A caller that adds the product to something gets an FMA from LLVM instead of
    /// <c>z * 2^n</c> (the logistic function does). x must be flushed and not NaN.
    /// </summary>
    internal static (float Z, float Pow2) ExpParts(float x)
    {
        // VectorIrBuilder::Clamp: select(x >= lo or unordered, x, lo), then select(x <= hi or unordered, x, hi).
        float c = x < F(ExpLowBits) ? F(ExpLowBits) : x > F(ExpHighBits) ? F(ExpHighBits) : x;
        float n = MathF.Floor(Fma(c, F(ExpLog2EBits), 0.5f));
        n = Math.Clamp(n, -127f, 127f);
        float r = Fma(-F(ExpC1Bits), n, c);
        r = Fma(-F(ExpC2Bits), n, r);
        float[] p = ExpPolynomial;
        float z = Fma(r, p[0], p[1]);
        for (int i = 2; i < p.Length; i++)
        {
            z = Fma(z, r, p[i]);
        }

        z = Fma(z, Mul(r, r), r);
        z = Add(1f, z);

        // (n + 127) << 23 is 2^n for n in [-126, 127] and +0 for n = -127.
        float pow2 = F((uint)((int)n + 127) << 23);
        return (z, pow2);
    }

    /// <summary><see cref="Exp(float)"/> on every lane.</summary>
    /// <remarks>
    /// No step but the last needs flushing: the reduced argument is never subnormal, and a subnormal <c>r * r</c> (for
    /// |r| &lt; 2^-63) is far below half an ulp of the r it is added to. The last product is subnormal for n = -126 and
    /// z &lt; 1, where x86 flushes it (tininess after rounding). The exhaustive check proves the bits equal.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TV ExpCore<TL, TV>(TV x)
        where TL : IFloatLanes<TV>
        where TV : struct
    {
        (TV z, TV pow2) = ExpPartsCore<TL, TV>(TL.FlushToZero(x));
        return MulFlushed<TL, TV>(z, pow2);
    }

    /// <summary>The lane form of <see cref="ExpParts"/>; NaN lanes give a NaN z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (TV Z, TV Pow2) ExpPartsCore<TL, TV>(TV x)
        where TL : IFloatLanes<TV>
        where TV : struct
    {
        TV lo = TL.CreateBits(ExpLowBits);
        TV hi = TL.CreateBits(ExpHighBits);

        // Ordered comparisons are false for NaN, so NaN passes the clamp as in XLA's unordered selects.
        TV c = TL.ConditionalSelect(TL.LessThan(x, lo), lo, x);
        c = TL.ConditionalSelect(TL.LessThan(hi, c), hi, c);
        TV n = TL.Floor(TL.FusedMultiplyAdd(c, TL.CreateBits(ExpLog2EBits), TL.Create(0.5f)));
        TV nMin = TL.Create(-127f);
        TV nMax = TL.Create(127f);
        n = TL.ConditionalSelect(TL.LessThan(n, nMin), nMin, n);
        n = TL.ConditionalSelect(TL.LessThan(nMax, n), nMax, n);
        TV r = TL.FusedMultiplyAdd(TL.CreateBits(ExpC1Bits ^ SignMask), n, c);
        r = TL.FusedMultiplyAdd(TL.CreateBits(ExpC2Bits ^ SignMask), n, r);
        TV z = TL.FusedMultiplyAdd(r, TL.CreateBits(ExpP0), TL.CreateBits(ExpP1));
        z = TL.FusedMultiplyAdd(z, r, TL.CreateBits(ExpP2));
        z = TL.FusedMultiplyAdd(z, r, TL.CreateBits(ExpP3));
        z = TL.FusedMultiplyAdd(z, r, TL.CreateBits(ExpP4));
        z = TL.FusedMultiplyAdd(z, r, TL.CreateBits(ExpP5));
        z = TL.FusedMultiplyAdd(z, TL.Multiply(r, r), r);
        z = TL.Add(TL.Create(1f), z);

        // NaN lanes convert to an arbitrary integer; their z is NaN, so the product is NaN whatever 2^n is.
        TV biased = TL.AddInt32(TL.ConvertToInt32(n), TL.CreateBits(127));
        TV pow2 = TL.ShiftLeftLogical(biased, 23);
        return (z, pow2);
    }
}

using System.Runtime.CompilerServices;

namespace LaxScan.Numerics;

public static partial class XlaMath
{
    /// <summary>
    /// <c>jax.nn.sigmoid</c> (<c>lax.logistic</c>) on x86-64 CPU, float32: JAX lowers it to <c>1 / (1 + exp(-x))</c>
    /// (jax/_src/lax/lax.py logistic_impl), and XLA:CPU fuses the three ops, so LLVM contracts exp's last multiply
    /// <c>z * 2^n</c> with the <c>1 + ...</c> into one FMA: the result is <c>rn(1 / fma(z, 2^n, 1))</c>.
    /// </summary>
    /// <remarks>
    /// The FMA equals <c>1 + exp(-x)</c> rounded, since <c>z * 2^n</c> is exact or far below 1 whenever it is not (the
    /// reference keeps XLA's form anyway). A result below 2^-126 (x &lt; about -87.3) flushes to 0; a subnormal x gives
    /// 0.5; NaN gives NaN.
    /// </remarks>
    public static float Logistic(float x)
    {
        x = FlushToZero(x);
        if (float.IsNaN(x))
        {
            return x;
        }

        (float z, float pow2) = ExpParts(-x);
        return Div(1f, Fma(z, pow2, 1f));
    }

    /// <summary><see cref="Logistic(float)"/> on every lane.</summary>
    /// <remarks>
    /// <c>fma(z, 2^n, 1)</c> is at least 1 and needs no flushing; the quotient can be subnormal, which is flushed as
    /// x86 flushes it. The exhaustive check proves the bits equal.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TV LogisticCore<TL, TV>(TV x)
        where TL : IFloatLanes<TV>
        where TV : struct
    {
        TV one = TL.Create(1f);
        (TV z, TV pow2) = ExpPartsCore<TL, TV>(TL.Negate(TL.FlushToZero(x)));
        return DivFlushed<TL, TV>(one, TL.FusedMultiplyAdd(z, pow2, one));
    }
}

using System.Runtime.Intrinsics;
using LaxScan.Numerics;

namespace LaxScan;

public static partial class Gemv
{
    /// <summary>
    /// <c>y = x @ W</c> for a K x N row-major matrix, in XLA:CPU's order and with its flush-to-zero, vectorised across
    /// outputs. The bits equal <see cref="Reference"/> at every SIMD width.
    /// </summary>
    /// <param name="x">The input vector, length K.</param>
    /// <param name="w">The matrix, K rows of N, row-major.</param>
    /// <param name="y">The output, length N; must not overlap <paramref name="x"/>.</param>
    /// <exception cref="ArgumentException">The lengths do not agree.</exception>
    public static void Multiply(ReadOnlySpan<float> x, ReadOnlySpan<float> w, Span<float> y) =>
        Multiply(x, w, y, SimdTiers.Default);

    internal static void Multiply(ReadOnlySpan<float> x, ReadOnlySpan<float> w, Span<float> y, SimdTier tier)
    {
        if ((long)x.Length * y.Length != w.Length)
        {
            ThrowHelper.ThrowArgument($"x of length {x.Length} and y of length {y.Length} need a {x.Length}x{y.Length} matrix ({(long)x.Length * y.Length} elements), but W has {w.Length}", nameof(w));
        }

        if (NeedsFlush(w) || NeedsFlush(x))
        {
            float[] wf = w.ToArray();
            float[] xf = x.ToArray();
            FlushAll(wf);
            FlushAll(xf);
            Range<Yes>(xf, wf, y.Length, y, 0, y.Length, tier);
        }
        else
        {
            Range<No>(x, w, y.Length, y, 0, y.Length, tier);
        }
    }

    /// <summary>Outputs [start, end) with the widest kernel the tier allows.</summary>
    internal static void Range<TFlush>(ReadOnlySpan<float> x, ReadOnlySpan<float> w, int n, Span<float> y, int start, int end, SimdTier tier)
        where TFlush : struct, IFlag
    {
        if (tier >= SimdTier.Vector512 && Vector512.IsHardwareAccelerated)
        {
            Kernel<FloatLanes512, Vector512<float>, TFlush>(x, w, n, y, start, end);
        }
        else if (tier >= SimdTier.Vector256 && Vector256.IsHardwareAccelerated)
        {
            Kernel<FloatLanes256, Vector256<float>, TFlush>(x, w, n, y, start, end);
        }
        else if (tier >= SimdTier.Vector128 && Vector128.IsHardwareAccelerated)
        {
            Kernel<FloatLanes128, Vector128<float>, TFlush>(x, w, n, y, start, end);
        }
        else
        {
            ScalarRange<TFlush>(x, w, n, y, start, end);
        }

        FixEpilogue<TFlush>(x, w, n, y, start, end);
    }

    private static void ScalarRange<TFlush>(ReadOnlySpan<float> x, ReadOnlySpan<float> w, int n, Span<float> y, int start, int end)
        where TFlush : struct, IFlag
    {
        for (int j = start; j < end; j++)
        {
            float a = 0f;
            for (int i = 0; i < x.Length; i++)
            {
                a = TFlush.Value ? XlaMath.Fma(w[(i * n) + j], x[i], a) : MathF.FusedMultiplyAdd(w[(i * n) + j], x[i], a);
            }

            y[j] = a;
        }
    }

    internal static void FlushAll(Span<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = XlaMath.FlushToZero(values[i]);
        }
    }
}

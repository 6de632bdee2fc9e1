namespace LaxScan;

/// <summary>
/// The vector-matrix product <c>y = x @ W</c> in XLA:CPU's order: for each output n, <c>acc = 0</c>, then
/// <c>acc = fma(W[k, n], x[k], acc)</c> for k ascending. Under flush-to-zero, a subnormal x, W or partial sum
/// counts as a signed zero, as on XLA:CPU.
/// </summary>
public static partial class Gemv
{
    /// <summary>The scalar reference: <c>y[n] = sum over k ascending of W[k, n] * x[k]</c>, one FMA per term, flushed.</summary>
    /// <param name="x">The input vector, length K.</param>
    /// <param name="w">The matrix, K rows of N, row-major.</param>
    /// <param name="y">The output, length N.</param>
    /// <exception cref="ArgumentException">The lengths do not agree.</exception>
    public static void Reference(ReadOnlySpan<float> x, ReadOnlySpan<float> w, Span<float> y)
    {
        int k = x.Length;
        int n = y.Length;
        if ((long)k * n != w.Length)
        {
            ThrowHelper.ThrowArgument($"x of length {k} and y of length {n} need a {k}x{n} matrix ({(long)k * n} elements), but W has {w.Length}", nameof(w));
        }

        for (int j = 0; j < n; j++)
        {
            float acc = 0f;
            for (int i = 0; i < k; i++)
            {
                acc = Numerics.XlaMath.FlushToZero(MathF.FusedMultiplyAdd(
                    Numerics.XlaMath.FlushToZero(w[(i * n) + j]),
                    Numerics.XlaMath.FlushToZero(x[i]),
                    acc));
            }

            y[j] = acc;
        }
    }
}

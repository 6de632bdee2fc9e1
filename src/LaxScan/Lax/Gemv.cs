namespace LaxScan;

/// <summary>
/// The vector-matrix product <c>y = x @ W</c> in XLA:CPU's order: for each output n, <c>acc = 0</c>, then
/// <c>acc = fma(W[k, n], x[k], acc)</c> for k ascending. Under flush-to-zero, a subnormal x, W or partial sum
/// counts as a signed zero, as on XLA:CPU.
/// </summary>
/// <remarks>
/// XLA's tiled GEMV (xla/service/cpu/tiled_dot_emitter.cc, ColumnMajorMatrixVectorProductEmitter) computes the
/// outputs in tiles of 8; the last N mod 8 outputs go through a scalar epilogue whose first term is the plain product
/// <c>rn(W[0, n] * x[0])</c> instead of <c>fma(W[0, n], x[0], +0)</c>. The two differ only when that product is an
/// exact zero of negative sign (<c>-0 + +0 = +0</c>), which this class reproduces.
/// </remarks>
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

        int tailStart = TailStart(n);
        for (int j = 0; j < n; j++)
        {
            float acc = 0f;
            for (int i = 0; i < k; i++)
            {
                float wi = Numerics.XlaMath.FlushToZero(w[(i * n) + j]);
                float xi = Numerics.XlaMath.FlushToZero(x[i]);
                acc = i == 0 && j >= tailStart ? Numerics.XlaMath.Mul(wi, xi) : Numerics.XlaMath.Fma(wi, xi, acc);
            }

            y[j] = acc;
        }
    }

    /// <summary>The first output of XLA's scalar epilogue: outputs from here on start from a plain product.</summary>
    internal static int TailStart(int n) => n - (n % 8);

    /// <summary>
    /// Recomputes the epilogue outputs in [start, end) whose first product is -0, where the plain product of XLA's
    /// epilogue keeps the sign that an FMA onto +0 loses. Inputs are already flushed when <typeparamref name="TFlush"/> is set.
    /// </summary>
    internal static void FixEpilogue<TFlush>(ReadOnlySpan<float> x, ReadOnlySpan<float> w, int n, Span<float> y, int start, int end)
        where TFlush : struct, IFlag
    {
        if (x.Length == 0)
        {
            return;
        }

        float x0 = x[0];
        for (int j = Math.Max(start, TailStart(n)); j < end; j++)
        {
            float first = w[j] * x0;
            if (first != 0f || !float.IsNegative(first))
            {
                continue;
            }

            float acc = first;
            for (int i = 1; i < x.Length; i++)
            {
                acc = TFlush.Value ? Numerics.XlaMath.Fma(w[(i * n) + j], x[i], acc) : MathF.FusedMultiplyAdd(w[(i * n) + j], x[i], acc);
            }

            y[j] = acc;
        }
    }
}

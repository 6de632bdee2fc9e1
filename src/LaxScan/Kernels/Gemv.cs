using LaxScan.Numerics;

namespace LaxScan.Kernels;

/// <summary>
/// The vector-matrix product <c>y = x @ W</c> in XLA:CPU's order: for each output n, <c>acc = 0</c>, then
/// <c>acc = fma(W[k, n], x[k], acc)</c> for k ascending. Under flush-to-zero, a subnormal x, W or partial sum
/// counts as a signed zero, as on XLA:CPU. The epilogue type argument (<see cref="GemvEpilogues"/>) adds XLA's fused
/// addend, a plain add after the dot, or tanh.
/// </summary>
/// <remarks>
/// XLA's tiled GEMV (xla/service/cpu/tiled_dot_emitter.cc, ColumnMajorMatrixVectorProductEmitter) computes the
/// outputs in tiles of 8; the last N mod 8 outputs go through a scalar epilogue whose first term is the plain product
/// <c>rn(W[0, n] * x[0])</c> instead of <c>fma(W[0, n], x[0], +0)</c>. The two differ only when that product is an
/// exact zero of negative sign (<c>-0 + +0 = +0</c>), which this class reproduces.
/// </remarks>
internal static partial class Gemv
{
    /// <summary>The scalar reference: <c>y[n] = sum over k ascending of W[k, n] * x[k]</c>, one FMA per term, flushed.</summary>
    /// <param name="x">The input vector, length K.</param>
    /// <param name="w">The matrix, K rows of N, row-major.</param>
    /// <param name="y">The output, length N.</param>
    /// <exception cref="ArgumentException">The lengths do not agree.</exception>
    public static void Reference(ReadOnlySpan<float> x, ReadOnlySpan<float> w, Span<float> y) =>
        Reference<GemvEpilogues.Identity>(x, w, default, y);

    /// <summary>
    /// The scalar reference with an epilogue, written as XLA's emitter describes it: each output's first term is
    /// <c>fma(W[0, n], x[0], start)</c> with start +0 or the addend, except in XLA's scalar epilogue (the last N mod 8
    /// outputs) without an addend, where it is the plain product; then one FMA per term, k ascending; then the
    /// epilogue's finish (tanh, or a rounded add of b). Every operation is flushed as under FTZ/DAZ.
    /// </summary>
    /// <typeparam name="TEpilogue">One of <see cref="GemvEpilogues"/>.</typeparam>
    /// <param name="x">The input vector, length K.</param>
    /// <param name="w">The matrix, K rows of N, row-major.</param>
    /// <param name="addend">b, length N, for the epilogues that take one; empty otherwise.</param>
    /// <param name="y">The output, length N.</param>
    /// <exception cref="ArgumentException">The lengths do not agree.</exception>
    public static void Reference<TEpilogue>(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> addend, Span<float> y)
        where TEpilogue : struct, IGemvEpilogue
    {
        int k = x.Length;
        int n = y.Length;
        CheckShapes<TEpilogue>(k, n, w.Length, addend.Length, 1);
        int tailStart = TailStart(n);
        for (int j = 0; j < n; j++)
        {
            float b = TEpilogue.TakesAddend ? XlaMath.FlushToZero(addend[j]) : 0f;
            float acc = TEpilogue.StartsFromAddend ? b : 0f;
            for (int i = 0; i < k; i++)
            {
                float wi = XlaMath.FlushToZero(w[(i * n) + j]);
                float xi = XlaMath.FlushToZero(x[i]);
                acc = i == 0 && j >= tailStart && !TEpilogue.StartsFromAddend ? XlaMath.Mul(wi, xi) : XlaMath.Fma(wi, xi, acc);
            }

            y[j] = TEpilogue.Finish(acc, b);
        }
    }

    /// <summary>The first output of XLA's scalar epilogue: outputs from here on start from a plain product.</summary>
    internal static int TailStart(int n) => n - (n % 8);

    /// <summary>Checks that K, N, W, the addend and the batch agree, with one message for every way they can differ.</summary>
    internal static void CheckShapes<TEpilogue>(int k, int n, long wLength, int addendLength, int batch)
        where TEpilogue : struct, IGemvEpilogue
    {
        if ((long)k * n != wLength)
        {
            ThrowHelper.ThrowArgument($"x of length {k} and y of length {n} need a {k}x{n} matrix ({(long)k * n} elements), but W has {wLength}", "w");
        }

        if (TEpilogue.TakesAddend)
        {
            if (addendLength != n && addendLength != (long)batch * n)
            {
                string rows = batch == 1 ? string.Empty : $" (one b for every row) or {(long)batch * n} (one per row)";
                ThrowHelper.ThrowArgument($"the {typeof(TEpilogue).Name} epilogue adds b of length {n}{rows}, but b has {addendLength}", "addend");
            }
        }
        else if (addendLength != 0)
        {
            ThrowHelper.ThrowArgument($"the {typeof(TEpilogue).Name} epilogue takes no addend, but was given {addendLength} values; use GemvEpilogues.Addend or AddAfter to add b", "addend");
        }
    }
}

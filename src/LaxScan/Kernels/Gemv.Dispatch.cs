using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using LaxScan.Numerics;

namespace LaxScan.Kernels;

internal static partial class Gemv
{
    // From this size on W is read from L2 or beyond on every call, and reading it in memory order, eight rows per
    // pass, keeps the prefetchers streaming (column blocks of a row-major W touch a new 4 KiB page on every row).
    // Only the row-major path uses it: GemvOperator lays W out in panels, which stream by construction.
    private const long StreamingBytes = 1L << 17;

    /// <summary>
    /// <c>y = x @ W</c> for a K x N row-major matrix, in XLA:CPU's order and with its flush-to-zero, vectorised across
    /// outputs. The bits equal <see cref="Reference"/> at every SIMD width.
    /// </summary>
    /// <param name="x">The input vector, length K.</param>
    /// <param name="w">The matrix, K rows of N, row-major.</param>
    /// <param name="y">The output, length N; must not overlap <paramref name="x"/>.</param>
    /// <exception cref="ArgumentException">The lengths do not agree.</exception>
    public static void Multiply(ReadOnlySpan<float> x, ReadOnlySpan<float> w, Span<float> y) =>
        Multiply<GemvEpilogues.Identity>(x, w, default, y, SimdTiers.Default);

    /// <summary>
    /// <c>y = epilogue(x @ W)</c>: the bits of <see cref="Reference{TEpilogue}"/> at every SIMD width. For a loop that
    /// multiplies by one W many times, <see cref="GemvOperator"/> is faster (W laid out once, no allocation per call).
    /// </summary>
    /// <typeparam name="TEpilogue">One of <see cref="GemvEpilogues"/>.</typeparam>
    /// <param name="x">The input vector, length K.</param>
    /// <param name="w">The matrix, K rows of N, row-major.</param>
    /// <param name="addend">b, length N, for the epilogues that take one; empty otherwise.</param>
    /// <param name="y">The output, length N; must not overlap <paramref name="x"/>.</param>
    /// <exception cref="ArgumentException">The lengths do not agree.</exception>
    public static void Multiply<TEpilogue>(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> addend, Span<float> y)
        where TEpilogue : struct, IGemvEpilogue =>
        Multiply<TEpilogue>(x, w, addend, y, SimdTiers.Default);

    internal static void Multiply(ReadOnlySpan<float> x, ReadOnlySpan<float> w, Span<float> y, SimdTier tier) =>
        Multiply<GemvEpilogues.Identity>(x, w, default, y, tier);

    internal static void Multiply<TEpilogue>(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> addend, Span<float> y, SimdTier tier)
        where TEpilogue : struct, IGemvEpilogue
    {
        CheckShapes<TEpilogue>(x.Length, y.Length, w.Length, addend.Length, 1);
        if (NeedsFlush(w) || NeedsFlush(x) || NeedsFlush(addend))
        {
            float[] wf = w.ToArray();
            float[] xf = x.ToArray();
            float[] bf = addend.ToArray();
            FlushAll(wf);
            FlushAll(xf);
            FlushAll(bf);
            RowMajor<TEpilogue, Yes>(xf, wf, bf, y.Length, y, 0, y.Length, tier);
        }
        else
        {
            RowMajor<TEpilogue, No>(x, w, addend, y.Length, y, 0, y.Length, tier);
        }
    }

    /// <summary>Outputs [start, end) of a row-major W: register blocks, or memory-order streaming for a large W.</summary>
    /// <returns>Whether an output is tiny (see <see cref="Columns{TE, TF}"/>).</returns>
    internal static bool RowMajor<TE, TF>(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, int n, Span<float> y, int start, int end, SimdTier tier)
        where TE : struct, IGemvEpilogue
        where TF : struct, IFlag
    {
        int k = x.Length;
        int tailStart = StartOfTail(k, n);
        if ((long)k * n * sizeof(float) > StreamingBytes && end - start > 128)
        {
            if (tier >= SimdTier.Vector512 && Vector512.IsHardwareAccelerated)
            {
                return Stream<FloatLanes512, Vector512<float>, TE, TF>(x, w, b, n, y, start, end, tailStart);
            }

            if (tier >= SimdTier.Vector256 && Vector256.IsHardwareAccelerated)
            {
                return Stream<FloatLanes256, Vector256<float>, TE, TF>(x, w, b, n, y, start, end, tailStart);
            }

            if (tier >= SimdTier.Vector128 && Vector128.IsHardwareAccelerated)
            {
                return Stream<FloatLanes128, Vector128<float>, TE, TF>(x, w, b, n, y, start, end, tailStart);
            }
        }

        return Columns<TE, TF>(ref Ref(x), k, ref Unsafe.Add(ref Ref(w), start), (nuint)n, ref MemoryMarshal.GetReference(y), ref Ref(b), start, end, tailStart, tier);
    }

    /// <summary>Where XLA's scalar epilogue starts; with K = 0 there is no first product, and every output is +0.</summary>
    internal static int StartOfTail(int k, int n) => k == 0 ? n : TailStart(n);

    private static ref float Ref(ReadOnlySpan<float> span) => ref MemoryMarshal.GetReference(span);

    /// <summary>
    /// Outputs [start, end) with W read in memory order, eight (then four, then one) rows at a time: for each output,
    /// <c>y = fma(W[k+7], x[k+7], ... fma(W[k], x[k], y))</c>, which is still k ascending from the start value, so the
    /// bits are the register kernel's. The partial sums live in y (in L1) and are loaded and stored once per pass; W
    /// flows as sequential streams, which the hardware prefetchers follow. The epilogue runs over y at the end.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Stream<TL, TV, TE, TF>(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, int n, Span<float> y, int start, int end, int tailStart)
        where TL : IFloatLanes<TV>
        where TV : struct
        where TE : struct, IGemvEpilogue
        where TF : struct, IFlag
    {
        int k = x.Length;
        int width = TL.Count;
        for (int j = start; j < end; j++)
        {
            y[j] = TE.StartsFromAddend ? b[j] : j >= tailStart ? -0f : 0f;
        }

        ref float wr = ref Ref(w);
        ref float yr = ref MemoryMarshal.GetReference(y);
        int i = 0;
        for (; i + 8 <= k; i += 8)
        {
            TV x0 = TL.Create(x[i]), x1 = TL.Create(x[i + 1]), x2 = TL.Create(x[i + 2]), x3 = TL.Create(x[i + 3]);
            TV x4 = TL.Create(x[i + 4]), x5 = TL.Create(x[i + 5]), x6 = TL.Create(x[i + 6]), x7 = TL.Create(x[i + 7]);
            ref float r0 = ref Unsafe.Add(ref wr, (nint)i * n);
            ref float r1 = ref Unsafe.Add(ref r0, n);
            ref float r2 = ref Unsafe.Add(ref r1, n);
            ref float r3 = ref Unsafe.Add(ref r2, n);
            ref float r4 = ref Unsafe.Add(ref r3, n);
            ref float r5 = ref Unsafe.Add(ref r4, n);
            ref float r6 = ref Unsafe.Add(ref r5, n);
            ref float r7 = ref Unsafe.Add(ref r6, n);
            int j = start;
            for (; j + width <= end; j += width)
            {
                nuint o = (nuint)j;
                TV acc = TL.Load(ref yr, o);
                acc = Step<TL, TV, TF>(TL.Load(ref r0, o), x0, acc);
                acc = Step<TL, TV, TF>(TL.Load(ref r1, o), x1, acc);
                acc = Step<TL, TV, TF>(TL.Load(ref r2, o), x2, acc);
                acc = Step<TL, TV, TF>(TL.Load(ref r3, o), x3, acc);
                acc = Step<TL, TV, TF>(TL.Load(ref r4, o), x4, acc);
                acc = Step<TL, TV, TF>(TL.Load(ref r5, o), x5, acc);
                acc = Step<TL, TV, TF>(TL.Load(ref r6, o), x6, acc);
                acc = Step<TL, TV, TF>(TL.Load(ref r7, o), x7, acc);
                TL.Store(acc, ref yr, o);
            }

            for (; j < end; j++)
            {
                float a = Unsafe.Add(ref yr, j);
                a = ScalarStep<TF>(Unsafe.Add(ref r0, j), x[i], a);
                a = ScalarStep<TF>(Unsafe.Add(ref r1, j), x[i + 1], a);
                a = ScalarStep<TF>(Unsafe.Add(ref r2, j), x[i + 2], a);
                a = ScalarStep<TF>(Unsafe.Add(ref r3, j), x[i + 3], a);
                a = ScalarStep<TF>(Unsafe.Add(ref r4, j), x[i + 4], a);
                a = ScalarStep<TF>(Unsafe.Add(ref r5, j), x[i + 5], a);
                a = ScalarStep<TF>(Unsafe.Add(ref r6, j), x[i + 6], a);
                Unsafe.Add(ref yr, j) = ScalarStep<TF>(Unsafe.Add(ref r7, j), x[i + 7], a);
            }
        }

        for (; i < k; i++)
        {
            TV xi = TL.Create(x[i]);
            ref float row = ref Unsafe.Add(ref wr, (nint)i * n);
            int j = start;
            for (; j + width <= end; j += width)
            {
                TL.Store(Step<TL, TV, TF>(TL.Load(ref row, (nuint)j), xi, TL.Load(ref yr, (nuint)j)), ref yr, (nuint)j);
            }

            for (; j < end; j++)
            {
                Unsafe.Add(ref yr, j) = ScalarStep<TF>(Unsafe.Add(ref row, j), x[i], Unsafe.Add(ref yr, j));
            }
        }

        // The epilogue, in place over the finished sums.
        ref float br = ref Ref(b);
        TV tiny = TL.Create(0f);
        int e = start;
        for (; e + width <= end; e += width)
        {
            tiny = Finish<TL, TV, TE>(TL.Load(ref yr, (nuint)e), ref yr, ref br, e, tiny);
        }

        bool anyTiny = TL.Any(tiny);
        for (; e < end; e++)
        {
            float v = TE.Finish(y[e], TE.TakesAddend && !TE.StartsFromAddend ? b[e] : 0f);
            y[e] = v;
            anyTiny |= IsTiny(v);
        }

        return anyTiny;
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using LaxScan.Numerics;

namespace LaxScan.Kernels;

internal static partial class Gemv
{
    /// <summary>
    /// <c>Y = X @ W</c> for a batch of B row vectors, each row in exactly the order of <see cref="Reference"/>, so row b
    /// of the result has the bits of a single <see cref="Multiply(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>
    /// of row b. Rows are blocked so each loaded W vector feeds several FMAs.
    /// </summary>
    /// <param name="x">B rows of K, row-major.</param>
    /// <param name="w">K rows of N, row-major.</param>
    /// <param name="y">B rows of N, row-major; must not overlap <paramref name="x"/>.</param>
    /// <param name="batch">B.</param>
    /// <exception cref="ArgumentException">The lengths do not agree.</exception>
    public static void MultiplyBatch(ReadOnlySpan<float> x, ReadOnlySpan<float> w, Span<float> y, int batch) =>
        MultiplyBatch<GemvEpilogues.Identity>(x, w, default, y, batch);

    /// <summary>
    /// <c>Y = epilogue(X @ W)</c> for a batch of B rows; row b has the bits of
    /// <see cref="Multiply{TEpilogue}(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/> of
    /// row b (with row b of the addend when it has B x N values, or the one b for every row when it has N).
    /// </summary>
    /// <typeparam name="TEpilogue">One of <see cref="GemvEpilogues"/>.</typeparam>
    /// <param name="x">B rows of K, row-major.</param>
    /// <param name="w">K rows of N, row-major.</param>
    /// <param name="addend">b: N values shared by every row, or B x N; empty for epilogues without one.</param>
    /// <param name="y">B rows of N, row-major; must not overlap <paramref name="x"/>.</param>
    /// <param name="batch">B.</param>
    /// <exception cref="ArgumentException">The lengths do not agree.</exception>
    public static void MultiplyBatch<TEpilogue>(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> addend, Span<float> y, int batch)
        where TEpilogue : struct, IGemvEpilogue =>
        MultiplyBatch<TEpilogue>(x, w, addend, y, batch, SimdTiers.Default);

    internal static void MultiplyBatch<TEpilogue>(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> addend, Span<float> y, int batch, SimdTier tier)
        where TEpilogue : struct, IGemvEpilogue
    {
        if (batch <= 0 || x.Length % batch != 0 || y.Length % batch != 0)
        {
            ThrowHelper.ThrowArgument($"a batch of {batch} rows needs x of B*K, W of K*N and y of B*N elements, but got {x.Length}, {w.Length} and {y.Length}", nameof(batch));
        }

        int k = x.Length / batch;
        int n = y.Length / batch;
        CheckShapes<TEpilogue>(k, n, w.Length, addend.Length, batch);
        int bStride = addend.Length == n ? 0 : n;
        if (NeedsFlush(w) || NeedsFlush(x) || NeedsFlush(addend))
        {
            float[] wf = w.ToArray();
            float[] xf = x.ToArray();
            float[] bf = addend.ToArray();
            FlushAll(wf);
            FlushAll(xf);
            FlushAll(bf);
            BatchColumns<TEpilogue, Yes>(ref xf.AsSpan().GetPinnableReference(), k, 0, batch, ref wf.AsSpan().GetPinnableReference(), (nuint)n, ref y.GetPinnableReference(), n, ref bf.AsSpan().GetPinnableReference(), bStride, 0, n, StartOfTail(k, n), tier);
        }
        else
        {
            BatchColumns<TEpilogue, No>(ref Ref(x), k, 0, batch, ref Ref(w), (nuint)n, ref y.GetPinnableReference(), n, ref Ref(addend), bStride, 0, n, StartOfTail(k, n), tier);
        }
    }

    /// <summary>
    /// Rows [rowStart, rowEnd) by outputs [j, end): tiles of several rows by 4 vectors where they fit (each W vector
    /// loaded once feeds every row of the tile), then row by row. <paramref name="w"/> is W[0, j]; <paramref name="x"/>,
    /// <paramref name="y"/> and <paramref name="b"/> are the starts of the whole arrays, rows K, N and
    /// <paramref name="bStride"/> apart (0: one b for every row).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool BatchColumns<TE, TF>(ref float x, int k, int rowStart, int rowEnd, ref float w, nuint stride, ref float y, int n, ref float b, int bStride, int j, int end, int tailStart, SimdTier tier)
        where TE : struct, IGemvEpilogue
        where TF : struct, IFlag
    {
        int j0 = j;
        bool tiny = false;
        if (tier >= SimdTier.Vector512 && Vector512.IsHardwareAccelerated)
        {
            tiny |= Tiles<FloatLanes512, Vector512<float>, TE, TF>(ref x, k, rowStart, rowEnd, ref w, stride, ref y, n, ref b, bStride, j0, ref j, end, tailStart, 6);
        }
        else if (tier >= SimdTier.Vector256 && Vector256.IsHardwareAccelerated)
        {
            tiny |= Tiles<FloatLanes256, Vector256<float>, TE, TF>(ref x, k, rowStart, rowEnd, ref w, stride, ref y, n, ref b, bStride, j0, ref j, end, tailStart, 2);
        }

        if (j < end)
        {
            for (int r = rowStart; r < rowEnd; r++)
            {
                tiny |= Columns<TE, TF>(ref Unsafe.Add(ref x, (nint)r * k), k, ref Unsafe.Add(ref w, j - j0), stride, ref Unsafe.Add(ref y, (nint)r * n), ref Unsafe.Add(ref b, (nint)r * bStride), j, end, tailStart, tier);
            }
        }

        return tiny;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Tiles<TL, TV, TE, TF>(ref float x, int k, int rowStart, int rowEnd, ref float w, nuint stride, ref float y, int n, ref float b, int bStride, int j0, ref int j, int end, int tailStart, int tileRows)
        where TL : IFloatLanes<TV>
        where TV : struct
        where TE : struct, IGemvEpilogue
        where TF : struct, IFlag
    {
        int width = TL.Count;
        TV tiny = TL.Create(0f);
        for (; j + (4 * width) <= end; j += 4 * width)
        {
            ref float wj = ref Unsafe.Add(ref w, j - j0);
            int r = rowStart;
            for (; r + tileRows <= rowEnd; r += tileRows)
            {
                tiny = tileRows == 6
                    ? Tile6x4<TL, TV, TE, TF>(ref Unsafe.Add(ref x, (nint)r * k), k, ref wj, stride, ref Unsafe.Add(ref y, (nint)r * n), n, ref Unsafe.Add(ref b, (nint)r * bStride), bStride, j, tailStart, tiny)
                    : Tile2x4<TL, TV, TE, TF>(ref Unsafe.Add(ref x, (nint)r * k), k, ref wj, stride, ref Unsafe.Add(ref y, (nint)r * n), n, ref Unsafe.Add(ref b, (nint)r * bStride), bStride, j, tailStart, tiny);
            }

            for (; r < rowEnd; r++)
            {
                tiny = Block4<TL, TV, TE, TF>(ref Unsafe.Add(ref x, (nint)r * k), k, ref wj, stride, ref Unsafe.Add(ref y, (nint)r * n), ref Unsafe.Add(ref b, (nint)r * bStride), j, tailStart, tiny);
            }
        }

        return TL.Any(tiny);
    }

    /// <summary>
    /// 6 rows by 4 vectors of outputs from j: per k, 4 W loads and one broadcast per row feed 4 FMAs per row
    /// (24 accumulators: AVX-512's 32 registers hold them with the 4 W vectors and a broadcast). Straight-line code with no per-row condition, the sums stored raw and finished from L1 afterwards
    /// (kept in registers, the epilogue's temporaries beside the live accumulators push the JIT into spilling
    /// accumulators inside the loop), so every accumulator stays in a register through the loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static TV Tile6x4<TL, TV, TE, TF>(ref float x, int k, ref float w, nuint stride, ref float y, int n, ref float b, int bStride, int j, int tailStart, TV tiny)
        where TL : IFloatLanes<TV>
        where TV : struct
        where TE : struct, IGemvEpilogue
        where TF : struct, IFlag
    {
        int width = TL.Count;
        int j1 = j + width, j2 = j + (2 * width), j3 = j + (3 * width);
        ref float x1 = ref Unsafe.Add(ref x, k);
        ref float x2 = ref Unsafe.Add(ref x1, k);
        ref float x3 = ref Unsafe.Add(ref x2, k);
        ref float x4 = ref Unsafe.Add(ref x3, k);
        ref float x5 = ref Unsafe.Add(ref x4, k);
        ref float b1 = ref Unsafe.Add(ref b, bStride);
        ref float b2 = ref Unsafe.Add(ref b1, bStride);
        ref float b3 = ref Unsafe.Add(ref b2, bStride);
        ref float b4 = ref Unsafe.Add(ref b3, bStride);
        ref float b5 = ref Unsafe.Add(ref b4, bStride);
        TV a00 = Start<TL, TV, TE>(ref b, j, tailStart), a01 = Start<TL, TV, TE>(ref b, j1, tailStart), a02 = Start<TL, TV, TE>(ref b, j2, tailStart), a03 = Start<TL, TV, TE>(ref b, j3, tailStart);
        TV a10 = Start<TL, TV, TE>(ref b1, j, tailStart), a11 = Start<TL, TV, TE>(ref b1, j1, tailStart), a12 = Start<TL, TV, TE>(ref b1, j2, tailStart), a13 = Start<TL, TV, TE>(ref b1, j3, tailStart);
        TV a20 = Start<TL, TV, TE>(ref b2, j, tailStart), a21 = Start<TL, TV, TE>(ref b2, j1, tailStart), a22 = Start<TL, TV, TE>(ref b2, j2, tailStart), a23 = Start<TL, TV, TE>(ref b2, j3, tailStart);
        TV a30 = Start<TL, TV, TE>(ref b3, j, tailStart), a31 = Start<TL, TV, TE>(ref b3, j1, tailStart), a32 = Start<TL, TV, TE>(ref b3, j2, tailStart), a33 = Start<TL, TV, TE>(ref b3, j3, tailStart);
        TV a40 = Start<TL, TV, TE>(ref b4, j, tailStart), a41 = Start<TL, TV, TE>(ref b4, j1, tailStart), a42 = Start<TL, TV, TE>(ref b4, j2, tailStart), a43 = Start<TL, TV, TE>(ref b4, j3, tailStart);
        TV a50 = Start<TL, TV, TE>(ref b5, j, tailStart), a51 = Start<TL, TV, TE>(ref b5, j1, tailStart), a52 = Start<TL, TV, TE>(ref b5, j2, tailStart), a53 = Start<TL, TV, TE>(ref b5, j3, tailStart);
        nuint row = 0;
        for (int i = 0; i < k; i++, row += stride)
        {
            TV w0 = TL.Load(ref w, row);
            TV w1 = TL.Load(ref w, row + (nuint)width);
            TV w2 = TL.Load(ref w, row + (nuint)(2 * width));
            TV w3 = TL.Load(ref w, row + (nuint)(3 * width));
            TV xb = TL.Create(Unsafe.Add(ref x, i));
            a00 = Step<TL, TV, TF>(w0, xb, a00);
            a01 = Step<TL, TV, TF>(w1, xb, a01);
            a02 = Step<TL, TV, TF>(w2, xb, a02);
            a03 = Step<TL, TV, TF>(w3, xb, a03);
            xb = TL.Create(Unsafe.Add(ref x1, i));
            a10 = Step<TL, TV, TF>(w0, xb, a10);
            a11 = Step<TL, TV, TF>(w1, xb, a11);
            a12 = Step<TL, TV, TF>(w2, xb, a12);
            a13 = Step<TL, TV, TF>(w3, xb, a13);
            xb = TL.Create(Unsafe.Add(ref x2, i));
            a20 = Step<TL, TV, TF>(w0, xb, a20);
            a21 = Step<TL, TV, TF>(w1, xb, a21);
            a22 = Step<TL, TV, TF>(w2, xb, a22);
            a23 = Step<TL, TV, TF>(w3, xb, a23);
            xb = TL.Create(Unsafe.Add(ref x3, i));
            a30 = Step<TL, TV, TF>(w0, xb, a30);
            a31 = Step<TL, TV, TF>(w1, xb, a31);
            a32 = Step<TL, TV, TF>(w2, xb, a32);
            a33 = Step<TL, TV, TF>(w3, xb, a33);
            xb = TL.Create(Unsafe.Add(ref x4, i));
            a40 = Step<TL, TV, TF>(w0, xb, a40);
            a41 = Step<TL, TV, TF>(w1, xb, a41);
            a42 = Step<TL, TV, TF>(w2, xb, a42);
            a43 = Step<TL, TV, TF>(w3, xb, a43);
            xb = TL.Create(Unsafe.Add(ref x5, i));
            a50 = Step<TL, TV, TF>(w0, xb, a50);
            a51 = Step<TL, TV, TF>(w1, xb, a51);
            a52 = Step<TL, TV, TF>(w2, xb, a52);
            a53 = Step<TL, TV, TF>(w3, xb, a53);
        }

        ref float y1 = ref Unsafe.Add(ref y, n);
        ref float y2 = ref Unsafe.Add(ref y1, n);
        ref float y3 = ref Unsafe.Add(ref y2, n);
        ref float y4 = ref Unsafe.Add(ref y3, n);
        ref float y5 = ref Unsafe.Add(ref y4, n);
        TL.Store(a00, ref y, (nuint)j);
        TL.Store(a01, ref y, (nuint)j1);
        TL.Store(a02, ref y, (nuint)j2);
        TL.Store(a03, ref y, (nuint)j3);
        TL.Store(a10, ref y1, (nuint)j);
        TL.Store(a11, ref y1, (nuint)j1);
        TL.Store(a12, ref y1, (nuint)j2);
        TL.Store(a13, ref y1, (nuint)j3);
        TL.Store(a20, ref y2, (nuint)j);
        TL.Store(a21, ref y2, (nuint)j1);
        TL.Store(a22, ref y2, (nuint)j2);
        TL.Store(a23, ref y2, (nuint)j3);
        TL.Store(a30, ref y3, (nuint)j);
        TL.Store(a31, ref y3, (nuint)j1);
        TL.Store(a32, ref y3, (nuint)j2);
        TL.Store(a33, ref y3, (nuint)j3);
        TL.Store(a40, ref y4, (nuint)j);
        TL.Store(a41, ref y4, (nuint)j1);
        TL.Store(a42, ref y4, (nuint)j2);
        TL.Store(a43, ref y4, (nuint)j3);
        TL.Store(a50, ref y5, (nuint)j);
        TL.Store(a51, ref y5, (nuint)j1);
        TL.Store(a52, ref y5, (nuint)j2);
        TL.Store(a53, ref y5, (nuint)j3);
        return FinishRows<TL, TV, TE>(ref y, n, ref b, bStride, 6, j, tiny);
    }

    /// <summary>
    /// 2 rows by 4 vectors of outputs from j: per k, 4 W loads and one broadcast per row feed 4 FMAs per row
    /// (8 accumulators, for the 16 registers of AVX2). Straight-line code with no per-row condition, the sums stored raw and finished from L1 afterwards
    /// (kept in registers, the epilogue's temporaries beside the live accumulators push the JIT into spilling
    /// accumulators inside the loop), so every accumulator stays in a register through the loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static TV Tile2x4<TL, TV, TE, TF>(ref float x, int k, ref float w, nuint stride, ref float y, int n, ref float b, int bStride, int j, int tailStart, TV tiny)
        where TL : IFloatLanes<TV>
        where TV : struct
        where TE : struct, IGemvEpilogue
        where TF : struct, IFlag
    {
        int width = TL.Count;
        int j1 = j + width, j2 = j + (2 * width), j3 = j + (3 * width);
        ref float x1 = ref Unsafe.Add(ref x, k);
        ref float b1 = ref Unsafe.Add(ref b, bStride);
        TV a00 = Start<TL, TV, TE>(ref b, j, tailStart), a01 = Start<TL, TV, TE>(ref b, j1, tailStart), a02 = Start<TL, TV, TE>(ref b, j2, tailStart), a03 = Start<TL, TV, TE>(ref b, j3, tailStart);
        TV a10 = Start<TL, TV, TE>(ref b1, j, tailStart), a11 = Start<TL, TV, TE>(ref b1, j1, tailStart), a12 = Start<TL, TV, TE>(ref b1, j2, tailStart), a13 = Start<TL, TV, TE>(ref b1, j3, tailStart);
        nuint row = 0;
        for (int i = 0; i < k; i++, row += stride)
        {
            TV w0 = TL.Load(ref w, row);
            TV w1 = TL.Load(ref w, row + (nuint)width);
            TV w2 = TL.Load(ref w, row + (nuint)(2 * width));
            TV w3 = TL.Load(ref w, row + (nuint)(3 * width));
            TV xb = TL.Create(Unsafe.Add(ref x, i));
            a00 = Step<TL, TV, TF>(w0, xb, a00);
            a01 = Step<TL, TV, TF>(w1, xb, a01);
            a02 = Step<TL, TV, TF>(w2, xb, a02);
            a03 = Step<TL, TV, TF>(w3, xb, a03);
            xb = TL.Create(Unsafe.Add(ref x1, i));
            a10 = Step<TL, TV, TF>(w0, xb, a10);
            a11 = Step<TL, TV, TF>(w1, xb, a11);
            a12 = Step<TL, TV, TF>(w2, xb, a12);
            a13 = Step<TL, TV, TF>(w3, xb, a13);
        }

        ref float y1 = ref Unsafe.Add(ref y, n);
        TL.Store(a00, ref y, (nuint)j);
        TL.Store(a01, ref y, (nuint)j1);
        TL.Store(a02, ref y, (nuint)j2);
        TL.Store(a03, ref y, (nuint)j3);
        TL.Store(a10, ref y1, (nuint)j);
        TL.Store(a11, ref y1, (nuint)j1);
        TL.Store(a12, ref y1, (nuint)j2);
        TL.Store(a13, ref y1, (nuint)j3);
        return FinishRows<TL, TV, TE>(ref y, n, ref b, bStride, 2, j, tiny);
    }

    /// <summary>
    /// Applies the epilogue in place to 4 vectors of stored sums in each of <paramref name="rows"/> rows, and notes tiny
    /// outputs. One loop, so the epilogue is compiled once, not once per accumulator.
    /// </summary>
    private static TV FinishRows<TL, TV, TE>(ref float y, int n, ref float b, int bStride, int rows, int j, TV tiny)
        where TL : IFloatLanes<TV>
        where TV : struct
        where TE : struct, IGemvEpilogue
    {
        for (int r = 0; r < rows; r++)
        {
            ref float yr = ref Unsafe.Add(ref y, (nint)r * n);
            ref float br = ref Unsafe.Add(ref b, (nint)r * bStride);
            for (int c = 0; c < 4; c++)
            {
                int jc = j + (c * TL.Count);
                tiny = Finish<TL, TV, TE>(TL.Load(ref yr, (nuint)jc), ref yr, ref br, jc, tiny);
            }
        }

        return tiny;
    }
}

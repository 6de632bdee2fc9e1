using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using LaxScan.Numerics;

namespace LaxScan;

public static partial class Gemv
{
    /// <summary>
    /// <c>Y = X @ W</c> for a batch of B row vectors, each row in exactly the order of <see cref="Reference"/>, so row b
    /// of the result has the bits of a single <see cref="Multiply(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>
    /// of row b. Rows are blocked four at a time so each loaded W vector feeds four FMAs.
    /// </summary>
    /// <param name="x">B rows of K, row-major.</param>
    /// <param name="w">K rows of N, row-major.</param>
    /// <param name="y">B rows of N, row-major; must not overlap <paramref name="x"/>.</param>
    /// <param name="batch">B.</param>
    /// <exception cref="ArgumentException">The lengths do not agree.</exception>
    public static void MultiplyBatch(ReadOnlySpan<float> x, ReadOnlySpan<float> w, Span<float> y, int batch)
    {
        if (batch <= 0 || x.Length % batch != 0 || y.Length % batch != 0 || (long)(x.Length / batch) * (y.Length / batch) != w.Length)
        {
            ThrowHelper.ThrowArgument($"a batch of {batch} rows needs x of B*K, W of K*N and y of B*N elements, but got {x.Length}, {w.Length} and {y.Length}", nameof(batch));
        }

        int k = x.Length / batch;
        int n = y.Length / batch;
        if (NeedsFlush(w) || NeedsFlush(x))
        {
            float[] wf = w.ToArray();
            float[] xf = x.ToArray();
            FlushAll(wf);
            FlushAll(xf);
            BatchRange<Yes>(xf, wf, y, batch, k, n, 0, n, SimdTiers.Default);
        }
        else
        {
            BatchRange<No>(x, w, y, batch, k, n, 0, n, SimdTiers.Default);
        }
    }

    /// <summary>Columns [start, end) of every row, with the widest kernel the tier allows.</summary>
    internal static void BatchRange<TFlush>(ReadOnlySpan<float> x, ReadOnlySpan<float> w, Span<float> y, int batch, int k, int n, int start, int end, SimdTier tier)
        where TFlush : struct, IFlag
    {
        int row = 0;
        if (tier >= SimdTier.Vector512 && Vector512.IsHardwareAccelerated)
        {
            row = BatchKernel<FloatLanes512, Vector512<float>, TFlush>(x, w, y, batch, k, n, start, end);
        }
        else if (tier >= SimdTier.Vector256 && Vector256.IsHardwareAccelerated)
        {
            row = BatchKernel<FloatLanes256, Vector256<float>, TFlush>(x, w, y, batch, k, n, start, end);
        }

        for (int r = 0; r < row; r++)
        {
            FixEpilogue<TFlush>(x.Slice(r * k, k), w, n, y.Slice(r * n, n), start, end);
        }

        // Rows left over from the blocks of four (and every row at the narrower tiers) run as single GEMVs.
        for (; row < batch; row++)
        {
            Range<TFlush>(x.Slice(row * k, k), w, n, y.Slice(row * n, n), start, end, tier);
        }
    }

    /// <summary>Blocks of four rows by three vectors of columns; returns the first row it did not do.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int BatchKernel<TLanes, TV, TFlush>(ReadOnlySpan<float> x, ReadOnlySpan<float> w, Span<float> y, int batch, int k, int n, int start, int end)
        where TLanes : IFloatLanes<TV>
        where TV : struct
        where TFlush : struct, IFlag
    {
        int width = TLanes.Count;
        int tile = 3 * width;
        ref float wr = ref MemoryMarshal.GetReference(w);
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        int row = 0;
        for (; row + 4 <= batch; row += 4)
        {
            ref float x0 = ref Unsafe.Add(ref xr, row * k);
            ref float x1 = ref Unsafe.Add(ref x0, k);
            ref float x2 = ref Unsafe.Add(ref x1, k);
            ref float x3 = ref Unsafe.Add(ref x2, k);
            int j = start;
            for (; j + tile <= end; j += tile)
            {
                TV a00 = TLanes.Create(0f), a01 = TLanes.Create(0f), a02 = TLanes.Create(0f);
                TV a10 = TLanes.Create(0f), a11 = TLanes.Create(0f), a12 = TLanes.Create(0f);
                TV a20 = TLanes.Create(0f), a21 = TLanes.Create(0f), a22 = TLanes.Create(0f);
                TV a30 = TLanes.Create(0f), a31 = TLanes.Create(0f), a32 = TLanes.Create(0f);
                nuint offset = (nuint)j;
                for (int i = 0; i < k; i++, offset += (nuint)n)
                {
                    TV w0 = TLanes.Load(ref wr, offset);
                    TV w1 = TLanes.Load(ref wr, offset + (nuint)width);
                    TV w2 = TLanes.Load(ref wr, offset + (nuint)(2 * width));
                    TV b = TLanes.Create(Unsafe.Add(ref x0, i));
                    a00 = Step<TLanes, TV, TFlush>(w0, b, a00);
                    a01 = Step<TLanes, TV, TFlush>(w1, b, a01);
                    a02 = Step<TLanes, TV, TFlush>(w2, b, a02);
                    b = TLanes.Create(Unsafe.Add(ref x1, i));
                    a10 = Step<TLanes, TV, TFlush>(w0, b, a10);
                    a11 = Step<TLanes, TV, TFlush>(w1, b, a11);
                    a12 = Step<TLanes, TV, TFlush>(w2, b, a12);
                    b = TLanes.Create(Unsafe.Add(ref x2, i));
                    a20 = Step<TLanes, TV, TFlush>(w0, b, a20);
                    a21 = Step<TLanes, TV, TFlush>(w1, b, a21);
                    a22 = Step<TLanes, TV, TFlush>(w2, b, a22);
                    b = TLanes.Create(Unsafe.Add(ref x3, i));
                    a30 = Step<TLanes, TV, TFlush>(w0, b, a30);
                    a31 = Step<TLanes, TV, TFlush>(w1, b, a31);
                    a32 = Step<TLanes, TV, TFlush>(w2, b, a32);
                }

                nuint o0 = (nuint)((row * n) + j);
                nuint o1 = o0 + (nuint)n;
                nuint o2 = o1 + (nuint)n;
                nuint o3 = o2 + (nuint)n;
                TLanes.Store(a00, ref yr, o0);
                TLanes.Store(a01, ref yr, o0 + (nuint)width);
                TLanes.Store(a02, ref yr, o0 + (nuint)(2 * width));
                TLanes.Store(a10, ref yr, o1);
                TLanes.Store(a11, ref yr, o1 + (nuint)width);
                TLanes.Store(a12, ref yr, o1 + (nuint)(2 * width));
                TLanes.Store(a20, ref yr, o2);
                TLanes.Store(a21, ref yr, o2 + (nuint)width);
                TLanes.Store(a22, ref yr, o2 + (nuint)(2 * width));
                TLanes.Store(a30, ref yr, o3);
                TLanes.Store(a31, ref yr, o3 + (nuint)width);
                TLanes.Store(a32, ref yr, o3 + (nuint)(2 * width));
            }

            // The columns past the last full tile, row by row.
            for (int r = row; r < row + 4 && j < end; r++)
            {
                Kernel<TLanes, TV, TFlush>(x.Slice(r * k, k), w, n, y.Slice(r * n, n), j, end);
            }
        }

        return row;
    }
}

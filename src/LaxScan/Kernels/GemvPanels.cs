using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LaxScan.Numerics;

namespace LaxScan.Kernels;

/// <summary>
/// W (K x N, row-major) laid out once in column panels: panel p holds columns [128 p, 128 p + 128) as K contiguous
/// rows, so a kernel that computes those outputs reads one linear stream, and a thread that owns a range of panels
/// reads only its own part of W, which stays in its core's cache from step to step. Every panel and every panel row
/// starts on a 64-byte boundary (a vector load never splits a cache line). The layout moves floats, never changes
/// them: each output's FMA sequence is the row-major kernel's.
/// </summary>
internal sealed class GemvPanels
{
    /// <summary>Columns per panel: 8 vectors of 16 lanes, the widest register block (16 vectors of 8 at 256 bits).</summary>
    public const int Width = 128;

    private const int AlignFloats = 16;   // 64 bytes

    private readonly float[] _buffer;
    private readonly int _origin;          // the first 64-byte-aligned float of _buffer
    private readonly int _lastStride;      // the row stride of the last panel, its width rounded up to 16

    /// <summary>Copies W into panels.</summary>
    public GemvPanels(ReadOnlySpan<float> w, int k, int n)
    {
        Rows = k;
        Columns = n;
        Count = (n + Width - 1) / Width;
        int lastWidth = n - ((Count - 1) * Width);
        _lastStride = Count == 0 ? 0 : (lastWidth + AlignFloats - 1) / AlignFloats * AlignFloats;
        long floats = ((long)Math.Max(0, Count - 1) * Width * k) + ((long)_lastStride * k);
        ArraySize.EnsureAllocatable(floats + AlignFloats, sizeof(float), "the GEMV's panel copy of W");

        // The pinned heap never moves the array, so the aligned origin stays aligned; every float of every panel row is
        // written below, so the buffer need not be zeroed (and a large one gets huge pages where the OS allows).
        _buffer = LargeArrays.ForFill<float>(floats + AlignFloats, pinned: true);
        _origin = AlignedOrigin(_buffer);
        for (int p = 0; p < Count; p++)
        {
            int c0 = p * Width;
            int width = PanelWidth(p);
            int stride = Stride(p);
            Span<float> panel = _buffer.AsSpan(_origin + Offset(p), stride * k);
            for (int i = 0; i < k; i++)
            {
                Span<float> row = panel.Slice(i * stride, stride);
                w.Slice((i * n) + c0, width).CopyTo(row);
                row[width..].Clear();
            }
        }
    }

    /// <summary>K.</summary>
    public int Rows { get; }

    /// <summary>N.</summary>
    public int Columns { get; }

    /// <summary>The number of panels.</summary>
    public int Count { get; }

    /// <summary>Whether the first panel starts on a 64-byte boundary (always, unless the runtime moved a pinned array).</summary>
    public unsafe bool IsAligned => ((nuint)Unsafe.AsPointer(ref _buffer[_origin]) & 63) == 0;

    /// <summary>The first column of panel p.</summary>
    public static int Start(int p) => p * Width;

    /// <summary>The number of columns of panel p.</summary>
    public int PanelWidth(int p) => Math.Min(Width, Columns - (p * Width));

    /// <summary>
    /// Outputs of panels [p0, p1) for one x (or, with <paramref name="rows"/> &gt; 1, for rows [r0, r0 + rows) of a
    /// batch): <c>y = epilogue(x @ W)</c>, each lane in the scalar reference's order.
    /// </summary>
    /// <returns>Whether an output is tiny (a nonzero below 2^-40).</returns>
    public bool Run<TE, TF>(float[] x, float[] y, float[] b, int bStride, int r0, int rows, int p0, int p1, SimdTier tier)
        where TE : struct, IGemvEpilogue
        where TF : struct, IFlag =>
        Run<TE, TF>(ref MemoryMarshal.GetArrayDataReference(x), ref MemoryMarshal.GetArrayDataReference(y), ref MemoryMarshal.GetArrayDataReference(b), bStride, r0, rows, p0, p1, tier);

    /// <summary>As the array form, over the first elements of x, y and b (b may be a null reference when the epilogue takes none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Run<TE, TF>(ref float xr, ref float yr, ref float br, int bStride, int r0, int rows, int p0, int p1, SimdTier tier)
        where TE : struct, IGemvEpilogue
        where TF : struct, IFlag
    {
        int k = Rows;
        int n = Columns;
        int tailStart = Gemv.StartOfTail(k, n);
        ref float w = ref MemoryMarshal.GetArrayDataReference(_buffer);
        bool tiny = false;
        for (int p = p0; p < p1; p++)
        {
            ref float panel = ref Unsafe.Add(ref w, _origin + Offset(p));
            int c0 = Start(p);
            int c1 = c0 + PanelWidth(p);
            tiny |= rows == 1
                ? Gemv.Columns<TE, TF>(ref Unsafe.Add(ref xr, (nint)r0 * k), k, ref panel, (nuint)Stride(p), ref Unsafe.Add(ref yr, (nint)r0 * n), ref Unsafe.Add(ref br, (nint)r0 * bStride), c0, c1, tailStart, tier)
                : Gemv.BatchColumns<TE, TF>(ref xr, k, r0, r0 + rows, ref panel, (nuint)Stride(p), ref yr, n, ref br, bStride, c0, c1, tailStart, tier);
        }

        return tiny;
    }

    private static unsafe int AlignedOrigin(float[] buffer)
    {
        nuint address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        return (int)((AlignFloats - ((address / sizeof(float)) % AlignFloats)) % AlignFloats);
    }

    private int Stride(int p) => p == Count - 1 ? _lastStride : Width;

    private int Offset(int p) => p * Width * Rows;
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

using LaxScan.Numerics;

namespace LaxScan;

public static partial class Gemv
{
    /// <summary>
    /// The vector kernel: outputs [start, end) of <c>y = x @ W</c> for a K x N matrix, vectorised across outputs so that
    /// each lane runs exactly the scalar reference's FMA sequence (k ascending, from 0). Lane width and how the
    /// outputs are cut into blocks therefore cannot change a bit.
    /// </summary>
    /// <remarks>
    /// A row that fits in registers is done in register blocks, widest first (16 vectors only at 512 bits, where
    /// AVX-512 gives 32 registers), so even a narrow H keeps several FMA chains in flight. A matrix larger than L2 is
    /// streamed in memory order instead (<see cref="Stream{TLanes, TV, TFlush}"/>).
    /// </remarks>
    /// <typeparam name="TLanes">The vector width.</typeparam>
    /// <typeparam name="TV">The vector type.</typeparam>
    /// <typeparam name="TFlush">Whether to flush subnormal partial sums (needed only when an input is tiny; see <see cref="NeedsFlush"/>).</typeparam>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Kernel<TLanes, TV, TFlush>(ReadOnlySpan<float> x, ReadOnlySpan<float> w, int n, Span<float> y, int start, int end)
        where TLanes : IFloatLanes<TV>
        where TV : struct
        where TFlush : struct, IFlag
    {
        int k = x.Length;
        int width = TLanes.Count;
        if ((long)k * n * sizeof(float) > StreamingBytes && end - start > 16 * width)
        {
            Stream<TLanes, TV, TFlush>(x, w, n, y, start, end);
            return;
        }

        ref float wr = ref MemoryMarshal.GetReference(w);
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        int j = start;
        if (width == 16)
        {
            for (; j + (16 * width) <= end; j += 16 * width)
            {
                Block16<TLanes, TV, TFlush>(ref xr, k, ref wr, n, ref yr, j);
            }
        }

        for (; j + (8 * width) <= end; j += 8 * width)
        {
            Block8<TLanes, TV, TFlush>(ref xr, k, ref wr, n, ref yr, j);
        }

        if (j + (4 * width) <= end)
        {
            Block4<TLanes, TV, TFlush>(ref xr, k, ref wr, n, ref yr, j);
            j += 4 * width;
        }

        if (j + (2 * width) <= end)
        {
            Block2<TLanes, TV, TFlush>(ref xr, k, ref wr, n, ref yr, j);
            j += 2 * width;
        }

        if (j + width <= end)
        {
            Block1<TLanes, TV, TFlush>(ref xr, k, ref wr, n, ref yr, j);
            j += width;
        }

        for (; j < end; j++)
        {
            float a = 0f;
            nuint row = (nuint)j;
            for (int i = 0; i < k; i++, row += (nuint)n)
            {
                a = TFlush.Value
                    ? XlaMath.Fma(Unsafe.Add(ref wr, row), Unsafe.Add(ref xr, i), a)
                    : MathF.FusedMultiplyAdd(Unsafe.Add(ref wr, row), Unsafe.Add(ref xr, i), a);
            }

            Unsafe.Add(ref yr, j) = a;
        }
    }

    /// <summary>16 vectors of outputs from j: 16 independent FMA chains, each row piece read whole.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block16<TLanes, TV, TFlush>(ref float xr, int k, ref float wr, int n, ref float yr, int j)
        where TLanes : IFloatLanes<TV>
        where TV : struct
        where TFlush : struct, IFlag
    {
        int width = TLanes.Count;
        TV a0 = TLanes.Create(0f), a1 = TLanes.Create(0f), a2 = TLanes.Create(0f), a3 = TLanes.Create(0f);
        TV a4 = TLanes.Create(0f), a5 = TLanes.Create(0f), a6 = TLanes.Create(0f), a7 = TLanes.Create(0f);
        TV a8 = TLanes.Create(0f), a9 = TLanes.Create(0f), a10 = TLanes.Create(0f), a11 = TLanes.Create(0f);
        TV a12 = TLanes.Create(0f), a13 = TLanes.Create(0f), a14 = TLanes.Create(0f), a15 = TLanes.Create(0f);
        nuint row = (nuint)j;
        for (int i = 0; i < k; i++, row += (nuint)n)
        {
            TV xi = TLanes.Create(Unsafe.Add(ref xr, i));
            a0 = Step<TLanes, TV, TFlush>(TLanes.Load(ref wr, row), xi, a0);
            a1 = Step<TLanes, TV, TFlush>(TLanes.Load(ref wr, row + (nuint)width), xi, a1);
            a2 = Step<TLanes, TV, TFlush>(TLanes.Load(ref wr, row + (nuint)(2 * width)), xi, a2);
            a3 = Step<TLanes, TV, TFlush>(TLanes.Load(ref wr, row + (nuint)(3 * width)), xi, a3);
            a4 = Step<TLanes, TV, TFlush>(TLanes.Load(ref wr, row + (nuint)(4 * width)), xi, a4);
            a5 = Step<TLanes, TV, TFlush>(TLanes.Load(ref wr, row + (nuint)(5 * width)), xi, a5);
            a6 = Step<TLanes, TV, TFlush>(TLanes.Load(ref wr, row + (nuint)(6 * width)), xi, a6);
            a7 = Step<TLanes, TV, TFlush>(TLanes.Load(ref wr, row + (nuint)(7 * width)), xi, a7);
            a8 = Step<TLanes, TV, TFlush>(TLanes.Load(ref wr, row + (nuint)(8 * width)), xi, a8);
            a9 = Step<TLanes, TV, TFlush>(TLanes.Load(ref wr, row + (nuint)(9 * width)), xi, a9);
            a10 = Step<TLanes, TV, TFlush>(TLanes.Load(ref wr, row + (nuint)(10 * width)), xi, a10);
            a11 = Step<TLanes, TV, TFlush>(TLanes.Load(ref wr, row + (nuint)(11 * width)), xi, a11);
            a12 = Step<TLanes, TV, TFlush>(TLanes.Load(ref wr, row + (nuint)(12 * width)), xi, a12);
            a13 = Step<TLanes, TV, TFlush>(TLanes.Load(ref wr, row + (nuint)(13 * width)), xi, a13);
            a14 = Step<TLanes, TV, TFlush>(TLanes.Load(ref wr, row + (nuint)(14 * width)), xi, a14);
            a15 = Step<TLanes, TV, TFlush>(TLanes.Load(ref wr, row + (nuint)(15 * width)), xi, a15);
        }

        TLanes.Store(a0, ref yr, (nuint)j);
        TLanes.Store(a1, ref yr, (nuint)j + (nuint)width);
        TLanes.Store(a2, ref yr, (nuint)j + (nuint)(2 * width));
        TLanes.Store(a3, ref yr, (nuint)j + (nuint)(3 * width));
        TLanes.Store(a4, ref yr, (nuint)j + (nuint)(4 * width));
        TLanes.Store(a5, ref yr, (nuint)j + (nuint)(5 * width));
        TLanes.Store(a6, ref yr, (nuint)j + (nuint)(6 * width));
        TLanes.Store(a7, ref yr, (nuint)j + (nuint)(7 * width));
        TLanes.Store(a8, ref yr, (nuint)j + (nuint)(8 * width));
        TLanes.Store(a9, ref yr, (nuint)j + (nuint)(9 * width));
        TLanes.Store(a10, ref yr, (nuint)j + (nuint)(10 * width));
        TLanes.Store(a11, ref yr, (nuint)j + (nuint)(11 * width));
        TLanes.Store(a12, ref yr, (nuint)j + (nuint)(12 * width));
        TLanes.Store(a13, ref yr, (nuint)j + (nuint)(13 * width));
        TLanes.Store(a14, ref yr, (nuint)j + (nuint)(14 * width));
        TLanes.Store(a15, ref yr, (nuint)j + (nuint)(15 * width));
    }

    /// <summary>8 vectors of outputs from j: 8 independent FMA chains, each row piece read whole.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block8<TLanes, TV, TFlush>(ref float xr, int k, ref float wr, int n, ref float yr, int j)
        where TLanes : IFloatLanes<TV>
        where TV : struct
        where TFlush : struct, IFlag
    {
        int width = TLanes.Count;
        TV a0 = TLanes.Create(0f), a1 = TLanes.Create(0f), a2 = TLanes.Create(0f), a3 = TLanes.Create(0f);
        TV a4 = TLanes.Create(0f), a5 = TLanes.Create(0f), a6 = TLanes.Create(0f), a7 = TLanes.Create(0f);
        nuint row = (nuint)j;
        for (int i = 0; i < k; i++, row += (nuint)n)
        {
            TV xi = TLanes.Create(Unsafe.Add(ref xr, i));
            a0 = Step<TLanes, TV, TFlush>(TLanes.Load(ref wr, row), xi, a0);
            a1 = Step<TLanes, TV, TFlush>(TLanes.Load(ref wr, row + (nuint)width), xi, a1);
            a2 = Step<TLanes, TV, TFlush>(TLanes.Load(ref wr, row + (nuint)(2 * width)), xi, a2);
            a3 = Step<TLanes, TV, TFlush>(TLanes.Load(ref wr, row + (nuint)(3 * width)), xi, a3);
            a4 = Step<TLanes, TV, TFlush>(TLanes.Load(ref wr, row + (nuint)(4 * width)), xi, a4);
            a5 = Step<TLanes, TV, TFlush>(TLanes.Load(ref wr, row + (nuint)(5 * width)), xi, a5);
            a6 = Step<TLanes, TV, TFlush>(TLanes.Load(ref wr, row + (nuint)(6 * width)), xi, a6);
            a7 = Step<TLanes, TV, TFlush>(TLanes.Load(ref wr, row + (nuint)(7 * width)), xi, a7);
        }

        TLanes.Store(a0, ref yr, (nuint)j);
        TLanes.Store(a1, ref yr, (nuint)j + (nuint)width);
        TLanes.Store(a2, ref yr, (nuint)j + (nuint)(2 * width));
        TLanes.Store(a3, ref yr, (nuint)j + (nuint)(3 * width));
        TLanes.Store(a4, ref yr, (nuint)j + (nuint)(4 * width));
        TLanes.Store(a5, ref yr, (nuint)j + (nuint)(5 * width));
        TLanes.Store(a6, ref yr, (nuint)j + (nuint)(6 * width));
        TLanes.Store(a7, ref yr, (nuint)j + (nuint)(7 * width));
    }

    /// <summary>4 vectors of outputs from j: 4 independent FMA chains, each row piece read whole.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block4<TLanes, TV, TFlush>(ref float xr, int k, ref float wr, int n, ref float yr, int j)
        where TLanes : IFloatLanes<TV>
        where TV : struct
        where TFlush : struct, IFlag
    {
        int width = TLanes.Count;
        TV a0 = TLanes.Create(0f), a1 = TLanes.Create(0f), a2 = TLanes.Create(0f), a3 = TLanes.Create(0f);
        nuint row = (nuint)j;
        for (int i = 0; i < k; i++, row += (nuint)n)
        {
            TV xi = TLanes.Create(Unsafe.Add(ref xr, i));
            a0 = Step<TLanes, TV, TFlush>(TLanes.Load(ref wr, row), xi, a0);
            a1 = Step<TLanes, TV, TFlush>(TLanes.Load(ref wr, row + (nuint)width), xi, a1);
            a2 = Step<TLanes, TV, TFlush>(TLanes.Load(ref wr, row + (nuint)(2 * width)), xi, a2);
            a3 = Step<TLanes, TV, TFlush>(TLanes.Load(ref wr, row + (nuint)(3 * width)), xi, a3);
        }

        TLanes.Store(a0, ref yr, (nuint)j);
        TLanes.Store(a1, ref yr, (nuint)j + (nuint)width);
        TLanes.Store(a2, ref yr, (nuint)j + (nuint)(2 * width));
        TLanes.Store(a3, ref yr, (nuint)j + (nuint)(3 * width));
    }

    /// <summary>2 vectors of outputs from j: 2 independent FMA chains, each row piece read whole.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block2<TLanes, TV, TFlush>(ref float xr, int k, ref float wr, int n, ref float yr, int j)
        where TLanes : IFloatLanes<TV>
        where TV : struct
        where TFlush : struct, IFlag
    {
        int width = TLanes.Count;
        TV a0 = TLanes.Create(0f), a1 = TLanes.Create(0f);
        nuint row = (nuint)j;
        for (int i = 0; i < k; i++, row += (nuint)n)
        {
            TV xi = TLanes.Create(Unsafe.Add(ref xr, i));
            a0 = Step<TLanes, TV, TFlush>(TLanes.Load(ref wr, row), xi, a0);
            a1 = Step<TLanes, TV, TFlush>(TLanes.Load(ref wr, row + (nuint)width), xi, a1);
        }

        TLanes.Store(a0, ref yr, (nuint)j);
        TLanes.Store(a1, ref yr, (nuint)j + (nuint)width);
    }

    /// <summary>1 vector of outputs from j: 1 independent FMA chains, each row piece read whole.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block1<TLanes, TV, TFlush>(ref float xr, int k, ref float wr, int n, ref float yr, int j)
        where TLanes : IFloatLanes<TV>
        where TV : struct
        where TFlush : struct, IFlag
    {
        int width = TLanes.Count;
        TV a0 = TLanes.Create(0f);
        nuint row = (nuint)j;
        for (int i = 0; i < k; i++, row += (nuint)n)
        {
            TV xi = TLanes.Create(Unsafe.Add(ref xr, i));
            a0 = Step<TLanes, TV, TFlush>(TLanes.Load(ref wr, row), xi, a0);
        }

        TLanes.Store(a0, ref yr, (nuint)j);
    }

    // From this size on W is read from L2 or beyond on every step, and reading it in memory order, four rows per pass,
    // keeps the prefetchers streaming (column blocks would touch a new 4 KiB page on every row of a large W). Measured
    // on Zen 5: at H = 256 (256 KiB) the streaming kernel is slightly faster than register blocks, at H = 4096 1.5x.
    private const long StreamingBytes = 1L << 17;

    /// <summary>
    /// Outputs [start, end) with W read in memory order, eight (then four, then one) rows at a time: for each output,
    /// <c>y = fma(W[k+7], x[k+7], ... fma(W[k], x[k], y))</c>, which is still k ascending from 0, so the bits are the
    /// register kernel's. The partial sums live in y (in L1) and are loaded and stored once per pass; W flows as
    /// sequential streams, which the hardware prefetchers follow (eight rows per pass: 1.62 ms against 1.75 ms for
    /// four at H = 4096 on one Zen 5 core).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Stream<TLanes, TV, TFlush>(ReadOnlySpan<float> x, ReadOnlySpan<float> w, int n, Span<float> y, int start, int end)
        where TLanes : IFloatLanes<TV>
        where TV : struct
        where TFlush : struct, IFlag
    {
        int k = x.Length;
        int width = TLanes.Count;
        y[start..end].Clear();
        ref float wr = ref MemoryMarshal.GetReference(w);
        ref float yr = ref MemoryMarshal.GetReference(y);
        int i = 0;
        for (; i + 8 <= k; i += 8)
        {
            TV x0 = TLanes.Create(x[i]), x1 = TLanes.Create(x[i + 1]), x2 = TLanes.Create(x[i + 2]), x3 = TLanes.Create(x[i + 3]);
            TV x4 = TLanes.Create(x[i + 4]), x5 = TLanes.Create(x[i + 5]), x6 = TLanes.Create(x[i + 6]), x7 = TLanes.Create(x[i + 7]);
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
                TV acc = TLanes.Load(ref yr, o);
                acc = Step<TLanes, TV, TFlush>(TLanes.Load(ref r0, o), x0, acc);
                acc = Step<TLanes, TV, TFlush>(TLanes.Load(ref r1, o), x1, acc);
                acc = Step<TLanes, TV, TFlush>(TLanes.Load(ref r2, o), x2, acc);
                acc = Step<TLanes, TV, TFlush>(TLanes.Load(ref r3, o), x3, acc);
                acc = Step<TLanes, TV, TFlush>(TLanes.Load(ref r4, o), x4, acc);
                acc = Step<TLanes, TV, TFlush>(TLanes.Load(ref r5, o), x5, acc);
                acc = Step<TLanes, TV, TFlush>(TLanes.Load(ref r6, o), x6, acc);
                acc = Step<TLanes, TV, TFlush>(TLanes.Load(ref r7, o), x7, acc);
                TLanes.Store(acc, ref yr, o);
            }

            for (; j < end; j++)
            {
                float a = Unsafe.Add(ref yr, j);
                a = ScalarStep<TFlush>(Unsafe.Add(ref r0, j), x[i], a);
                a = ScalarStep<TFlush>(Unsafe.Add(ref r1, j), x[i + 1], a);
                a = ScalarStep<TFlush>(Unsafe.Add(ref r2, j), x[i + 2], a);
                a = ScalarStep<TFlush>(Unsafe.Add(ref r3, j), x[i + 3], a);
                a = ScalarStep<TFlush>(Unsafe.Add(ref r4, j), x[i + 4], a);
                a = ScalarStep<TFlush>(Unsafe.Add(ref r5, j), x[i + 5], a);
                a = ScalarStep<TFlush>(Unsafe.Add(ref r6, j), x[i + 6], a);
                Unsafe.Add(ref yr, j) = ScalarStep<TFlush>(Unsafe.Add(ref r7, j), x[i + 7], a);
            }
        }

        for (; i + 4 <= k; i += 4)
        {
            TV x0 = TLanes.Create(x[i]), x1 = TLanes.Create(x[i + 1]), x2 = TLanes.Create(x[i + 2]), x3 = TLanes.Create(x[i + 3]);
            ref float r0 = ref Unsafe.Add(ref wr, (nint)i * n);
            ref float r1 = ref Unsafe.Add(ref r0, n);
            ref float r2 = ref Unsafe.Add(ref r1, n);
            ref float r3 = ref Unsafe.Add(ref r2, n);
            int j = start;
            for (; j + width <= end; j += width)
            {
                nuint o = (nuint)j;
                TV acc = TLanes.Load(ref yr, o);
                acc = Step<TLanes, TV, TFlush>(TLanes.Load(ref r0, o), x0, acc);
                acc = Step<TLanes, TV, TFlush>(TLanes.Load(ref r1, o), x1, acc);
                acc = Step<TLanes, TV, TFlush>(TLanes.Load(ref r2, o), x2, acc);
                acc = Step<TLanes, TV, TFlush>(TLanes.Load(ref r3, o), x3, acc);
                TLanes.Store(acc, ref yr, o);
            }

            for (; j < end; j++)
            {
                float a = Unsafe.Add(ref yr, j);
                a = ScalarStep<TFlush>(Unsafe.Add(ref r0, j), x[i], a);
                a = ScalarStep<TFlush>(Unsafe.Add(ref r1, j), x[i + 1], a);
                a = ScalarStep<TFlush>(Unsafe.Add(ref r2, j), x[i + 2], a);
                Unsafe.Add(ref yr, j) = ScalarStep<TFlush>(Unsafe.Add(ref r3, j), x[i + 3], a);
            }
        }

        for (; i < k; i++)
        {
            TV xi = TLanes.Create(x[i]);
            ref float row = ref Unsafe.Add(ref wr, (nint)i * n);
            int j = start;
            for (; j + width <= end; j += width)
            {
                TLanes.Store(Step<TLanes, TV, TFlush>(TLanes.Load(ref row, (nuint)j), xi, TLanes.Load(ref yr, (nuint)j)), ref yr, (nuint)j);
            }

            for (; j < end; j++)
            {
                Unsafe.Add(ref yr, j) = ScalarStep<TFlush>(Unsafe.Add(ref row, j), x[i], Unsafe.Add(ref yr, j));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ScalarStep<TFlush>(float w, float x, float acc)
        where TFlush : struct, IFlag =>
        TFlush.Value ? XlaMath.Fma(w, x, acc) : MathF.FusedMultiplyAdd(w, x, acc);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Step<TLanes, TV, TFlush>(TV w, TV x, TV acc)
        where TLanes : IFloatLanes<TV>
        where TV : struct
        where TFlush : struct, IFlag
    {
        return TFlush.Value ? XlaMath.FmaFlushed<TLanes, TV>(w, x, acc) : TLanes.FusedMultiplyAdd(w, x, acc);
    }

    /// <summary>
    /// Whether a product with this vector can meet a subnormal. If every nonzero |x[k]| and |W[k, n]| is at least
    /// 2^-40, each is a multiple of 2^-63, so every product and partial sum is a multiple of 2^-126 and a nonzero one
    /// is at least the smallest normal: no subnormal can arise, and the kernel that flushes is not needed.
    /// </summary>
    internal static bool NeedsFlush(ReadOnlySpan<float> values)
    {
        const uint TinyBits = 0x2B80_0000;   // 2^-40
        foreach (float v in values)
        {
            uint abs = BitConverter.SingleToUInt32Bits(v) & 0x7FFF_FFFF;
            if (abs != 0 && abs < TinyBits)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>A compile-time boolean, so a generic kernel specialises and the branch it guards disappears.</summary>
internal interface IFlag
{
    static abstract bool Value { get; }
}

internal readonly struct Yes : IFlag
{
    public static bool Value => true;
}

internal readonly struct No : IFlag
{
    public static bool Value => false;
}

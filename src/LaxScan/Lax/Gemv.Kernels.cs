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
        ref float wr = ref MemoryMarshal.GetReference(w);
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        int j = start;

        // Eight accumulators keep eight independent FMA chains in flight, enough to hide FMA latency.
        for (; j + (8 * width) <= end; j += 8 * width)
        {
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
            TLanes.Store(a1, ref yr, (nuint)(j + width));
            TLanes.Store(a2, ref yr, (nuint)(j + (2 * width)));
            TLanes.Store(a3, ref yr, (nuint)(j + (3 * width)));
            TLanes.Store(a4, ref yr, (nuint)(j + (4 * width)));
            TLanes.Store(a5, ref yr, (nuint)(j + (5 * width)));
            TLanes.Store(a6, ref yr, (nuint)(j + (6 * width)));
            TLanes.Store(a7, ref yr, (nuint)(j + (7 * width)));
        }

        for (; j + width <= end; j += width)
        {
            TV a = TLanes.Create(0f);
            nuint row = (nuint)j;
            for (int i = 0; i < k; i++, row += (nuint)n)
            {
                a = Step<TLanes, TV, TFlush>(TLanes.Load(ref wr, row), TLanes.Create(Unsafe.Add(ref xr, i)), a);
            }

            TLanes.Store(a, ref yr, (nuint)j);
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

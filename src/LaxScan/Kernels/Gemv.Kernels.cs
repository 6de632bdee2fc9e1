using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

using LaxScan.Numerics;

namespace LaxScan.Kernels;

/// <summary>
/// The vector kernels. Each vector lane runs exactly the scalar reference's FMA sequence for one output (start value,
/// then k ascending), so lane width, block size, W's layout and how the outputs are cut between threads cannot change
/// a bit. W is addressed as a base reference and a row stride: N for a row-major W, the panel width for
/// <see cref="GemvPanels"/>.
/// </summary>
/// <remarks>
/// Each register block is compiled on its own (not inlined into its caller): the epilogue (tanh) inlined at every
/// finished accumulator is large, and one method holding every block of every tier ran out of the JIT's inlining
/// budget, leaving calls inside the loops, and calls clobber every vector register.
/// </remarks>
internal static partial class Gemv
{
    // 2^-40: below it (and above zero) a value can meet a subnormal in a product; see NeedsFlush.
    private const uint TinyBits = 0x2B80_0000;

    // +0 sixteen times, then -0 sixteen times: the load at 16 - d has -0 in its lanes d and up (XLA's scalar epilogue).
    private static readonly float[] StartTable = [.. Enumerable.Repeat(0f, 16), .. Enumerable.Repeat(-0f, 16)];

    /// <summary>
    /// Outputs [j, end) at the widest tier the caller allows, then narrower vectors, then scalars for the last few.
    /// <paramref name="w"/> is W[0, j]; row i of the block starts <c>i * stride</c> floats further.
    /// </summary>
    /// <returns>Whether an output is tiny (nonzero below 2^-40), so that using y as the next x needs the flushing kernel.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool Columns<TE, TF>(ref float x, int k, ref float w, nuint stride, ref float y, ref float b, int j, int end, int tailStart, SimdTier tier)
        where TE : struct, IGemvEpilogue
        where TF : struct, IFlag
    {
        int j0 = j;
        bool tiny = false;
        if (tier >= SimdTier.Vector512 && Vector512.IsHardwareAccelerated)
        {
            tiny |= Blocks<FloatLanes512, Vector512<float>, TE, TF>(ref x, k, ref w, stride, ref y, ref b, j0, ref j, end, tailStart);
        }

        if (tier >= SimdTier.Vector256 && Vector256.IsHardwareAccelerated)
        {
            tiny |= Blocks<FloatLanes256, Vector256<float>, TE, TF>(ref x, k, ref w, stride, ref y, ref b, j0, ref j, end, tailStart);
        }

        if (tier >= SimdTier.Vector128 && Vector128.IsHardwareAccelerated)
        {
            tiny |= Blocks<FloatLanes128, Vector128<float>, TE, TF>(ref x, k, ref w, stride, ref y, ref b, j0, ref j, end, tailStart);
        }

        for (; j < end; j++)
        {
            tiny |= ScalarOutput<TE, TF>(ref x, k, ref Unsafe.Add(ref w, j - j0), stride, ref y, ref b, j, tailStart);
        }

        return tiny;
    }

    /// <summary>Register blocks of 8, 4, 2 and 1 vectors from j while they fit; advances j.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Blocks<TL, TV, TE, TF>(ref float x, int k, ref float w, nuint stride, ref float y, ref float b, int j0, ref int j, int end, int tailStart)
        where TL : IFloatLanes<TV>
        where TV : struct
        where TE : struct, IGemvEpilogue
        where TF : struct, IFlag
    {
        int width = TL.Count;
        TV tiny = TL.Create(0f);
        for (; j + (8 * width) <= end; j += 8 * width)
        {
            tiny = Block8<TL, TV, TE, TF>(ref x, k, ref Unsafe.Add(ref w, j - j0), stride, ref y, ref b, j, tailStart, tiny);
        }

        if (j + (4 * width) <= end)
        {
            tiny = Block4<TL, TV, TE, TF>(ref x, k, ref Unsafe.Add(ref w, j - j0), stride, ref y, ref b, j, tailStart, tiny);
            j += 4 * width;
        }

        if (j + (2 * width) <= end)
        {
            tiny = Block2<TL, TV, TE, TF>(ref x, k, ref Unsafe.Add(ref w, j - j0), stride, ref y, ref b, j, tailStart, tiny);
            j += 2 * width;
        }

        if (j + width <= end)
        {
            tiny = Block1<TL, TV, TE, TF>(ref x, k, ref Unsafe.Add(ref w, j - j0), stride, ref y, ref b, j, tailStart, tiny);
            j += width;
        }

        return TL.Any(tiny);
    }

    /// <summary>8 vectors of outputs from j: 8 independent FMA chains (enough to hide the FMA latency on two pipes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static TV Block8<TL, TV, TE, TF>(ref float x, int k, ref float w, nuint stride, ref float y, ref float b, int j, int tailStart, TV tiny)
        where TL : IFloatLanes<TV>
        where TV : struct
        where TE : struct, IGemvEpilogue
        where TF : struct, IFlag
    {
        int width = TL.Count;
        TV a0 = Start<TL, TV, TE>(ref b, j, tailStart), a1 = Start<TL, TV, TE>(ref b, j + width, tailStart);
        TV a2 = Start<TL, TV, TE>(ref b, j + (2 * width), tailStart), a3 = Start<TL, TV, TE>(ref b, j + (3 * width), tailStart);
        TV a4 = Start<TL, TV, TE>(ref b, j + (4 * width), tailStart), a5 = Start<TL, TV, TE>(ref b, j + (5 * width), tailStart);
        TV a6 = Start<TL, TV, TE>(ref b, j + (6 * width), tailStart), a7 = Start<TL, TV, TE>(ref b, j + (7 * width), tailStart);
        nuint row = 0;
        for (int i = 0; i < k; i++, row += stride)
        {
            TV xi = TL.Create(Unsafe.Add(ref x, i));
            a0 = Step<TL, TV, TF>(TL.Load(ref w, row), xi, a0);
            a1 = Step<TL, TV, TF>(TL.Load(ref w, row + (nuint)width), xi, a1);
            a2 = Step<TL, TV, TF>(TL.Load(ref w, row + (nuint)(2 * width)), xi, a2);
            a3 = Step<TL, TV, TF>(TL.Load(ref w, row + (nuint)(3 * width)), xi, a3);
            a4 = Step<TL, TV, TF>(TL.Load(ref w, row + (nuint)(4 * width)), xi, a4);
            a5 = Step<TL, TV, TF>(TL.Load(ref w, row + (nuint)(5 * width)), xi, a5);
            a6 = Step<TL, TV, TF>(TL.Load(ref w, row + (nuint)(6 * width)), xi, a6);
            a7 = Step<TL, TV, TF>(TL.Load(ref w, row + (nuint)(7 * width)), xi, a7);
        }

        tiny = Finish<TL, TV, TE>(a0, ref y, ref b, j, tiny);
        tiny = Finish<TL, TV, TE>(a1, ref y, ref b, j + width, tiny);
        tiny = Finish<TL, TV, TE>(a2, ref y, ref b, j + (2 * width), tiny);
        tiny = Finish<TL, TV, TE>(a3, ref y, ref b, j + (3 * width), tiny);
        tiny = Finish<TL, TV, TE>(a4, ref y, ref b, j + (4 * width), tiny);
        tiny = Finish<TL, TV, TE>(a5, ref y, ref b, j + (5 * width), tiny);
        tiny = Finish<TL, TV, TE>(a6, ref y, ref b, j + (6 * width), tiny);
        return Finish<TL, TV, TE>(a7, ref y, ref b, j + (7 * width), tiny);
    }

    /// <summary>4 vectors of outputs from j.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static TV Block4<TL, TV, TE, TF>(ref float x, int k, ref float w, nuint stride, ref float y, ref float b, int j, int tailStart, TV tiny)
        where TL : IFloatLanes<TV>
        where TV : struct
        where TE : struct, IGemvEpilogue
        where TF : struct, IFlag
    {
        int width = TL.Count;
        TV a0 = Start<TL, TV, TE>(ref b, j, tailStart), a1 = Start<TL, TV, TE>(ref b, j + width, tailStart);
        TV a2 = Start<TL, TV, TE>(ref b, j + (2 * width), tailStart), a3 = Start<TL, TV, TE>(ref b, j + (3 * width), tailStart);
        nuint row = 0;
        for (int i = 0; i < k; i++, row += stride)
        {
            TV xi = TL.Create(Unsafe.Add(ref x, i));
            a0 = Step<TL, TV, TF>(TL.Load(ref w, row), xi, a0);
            a1 = Step<TL, TV, TF>(TL.Load(ref w, row + (nuint)width), xi, a1);
            a2 = Step<TL, TV, TF>(TL.Load(ref w, row + (nuint)(2 * width)), xi, a2);
            a3 = Step<TL, TV, TF>(TL.Load(ref w, row + (nuint)(3 * width)), xi, a3);
        }

        tiny = Finish<TL, TV, TE>(a0, ref y, ref b, j, tiny);
        tiny = Finish<TL, TV, TE>(a1, ref y, ref b, j + width, tiny);
        tiny = Finish<TL, TV, TE>(a2, ref y, ref b, j + (2 * width), tiny);
        return Finish<TL, TV, TE>(a3, ref y, ref b, j + (3 * width), tiny);
    }

    /// <summary>2 vectors of outputs from j.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static TV Block2<TL, TV, TE, TF>(ref float x, int k, ref float w, nuint stride, ref float y, ref float b, int j, int tailStart, TV tiny)
        where TL : IFloatLanes<TV>
        where TV : struct
        where TE : struct, IGemvEpilogue
        where TF : struct, IFlag
    {
        int width = TL.Count;
        TV a0 = Start<TL, TV, TE>(ref b, j, tailStart), a1 = Start<TL, TV, TE>(ref b, j + width, tailStart);
        nuint row = 0;
        for (int i = 0; i < k; i++, row += stride)
        {
            TV xi = TL.Create(Unsafe.Add(ref x, i));
            a0 = Step<TL, TV, TF>(TL.Load(ref w, row), xi, a0);
            a1 = Step<TL, TV, TF>(TL.Load(ref w, row + (nuint)width), xi, a1);
        }

        tiny = Finish<TL, TV, TE>(a0, ref y, ref b, j, tiny);
        return Finish<TL, TV, TE>(a1, ref y, ref b, j + width, tiny);
    }

    /// <summary>1 vector of outputs from j.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static TV Block1<TL, TV, TE, TF>(ref float x, int k, ref float w, nuint stride, ref float y, ref float b, int j, int tailStart, TV tiny)
        where TL : IFloatLanes<TV>
        where TV : struct
        where TE : struct, IGemvEpilogue
        where TF : struct, IFlag
    {
        TV a0 = Start<TL, TV, TE>(ref b, j, tailStart);
        nuint row = 0;
        for (int i = 0; i < k; i++, row += stride)
        {
            a0 = Step<TL, TV, TF>(TL.Load(ref w, row), TL.Create(Unsafe.Add(ref x, i)), a0);
        }

        return Finish<TL, TV, TE>(a0, ref y, ref b, j, tiny);
    }

    /// <summary>One output on its own, the scalar reference's sequence.</summary>
    private static bool ScalarOutput<TE, TF>(ref float x, int k, ref float w, nuint stride, ref float y, ref float b, int j, int tailStart)
        where TE : struct, IGemvEpilogue
        where TF : struct, IFlag
    {
        float acc = TE.StartsFromAddend ? Unsafe.Add(ref b, j) : j >= tailStart ? -0f : 0f;
        nuint row = 0;
        for (int i = 0; i < k; i++, row += stride)
        {
            acc = ScalarStep<TF>(Unsafe.Add(ref w, row), Unsafe.Add(ref x, i), acc);
        }

        float v = TE.Finish(acc, TE.TakesAddend && !TE.StartsFromAddend ? Unsafe.Add(ref b, j) : 0f);
        Unsafe.Add(ref y, j) = v;
        return IsTiny(v);
    }

    /// <summary>
    /// The accumulators of outputs j.. before the first term: the addend, or +0, or -0 from XLA's scalar epilogue on
    /// (<c>fma(w, x, -0)</c> is exactly the plain product <c>rn(w * x)</c>, flushed alike; with +0 an exact -0 product
    /// would turn into +0).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Start<TL, TV, TE>(ref float b, int j, int tailStart)
        where TL : IFloatLanes<TV>
        where TV : struct
        where TE : struct, IGemvEpilogue =>
        TE.StartsFromAddend
            ? TL.Load(ref b, (nuint)j)
            : TL.Load(ref MemoryMarshal.GetArrayDataReference(StartTable), (nuint)(16 - Math.Clamp(tailStart - j, 0, 16)));

    /// <summary>Applies the epilogue to finished accumulators, stores them, and notes whether any output is tiny.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Finish<TL, TV, TE>(TV acc, ref float y, ref float b, int j, TV tiny)
        where TL : IFloatLanes<TV>
        where TV : struct
        where TE : struct, IGemvEpilogue
    {
        TV v = TE.Finish<TL, TV>(acc, TE.TakesAddend && !TE.StartsFromAddend ? TL.Load(ref b, (nuint)j) : TL.Create(0f));
        TL.Store(v, ref y, (nuint)j);
        return TL.Or(tiny, TinyMask<TL, TV>(v));
    }

    /// <summary>Lanes that are nonzero and below 2^-40 in magnitude (the lanes <see cref="NeedsFlush"/> looks for).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TV TinyMask<TL, TV>(TV v)
        where TL : IFloatLanes<TV>
        where TV : struct
    {
        TV abs = TL.And(v, TL.CreateBits(XlaMath.AbsMask));
        return TL.Xor(TL.LessThanInt32(abs, TL.CreateBits(TinyBits)), TL.EqualsInt32(abs, TL.CreateBits(0)));
    }

    /// <summary>Whether v is nonzero and below 2^-40 in magnitude (a value <see cref="NeedsFlush"/> looks for).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsTiny(float v)
    {
        uint abs = BitConverter.SingleToUInt32Bits(v) & XlaMath.AbsMask;
        return abs != 0 && abs < TinyBits;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ScalarStep<TF>(float w, float x, float acc)
        where TF : struct, IFlag =>
        TF.Value ? XlaMath.Fma(w, x, acc) : MathF.FusedMultiplyAdd(w, x, acc);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Step<TL, TV, TF>(TV w, TV x, TV acc)
        where TL : IFloatLanes<TV>
        where TV : struct
        where TF : struct, IFlag =>
        TF.Value ? XlaMath.FmaFlushed<TL, TV>(w, x, acc) : TL.FusedMultiplyAdd(w, x, acc);

    /// <summary>
    /// Whether a product with this vector can meet a subnormal. If every nonzero |x[k]| and |W[k, n]| (and |b[n]|) is
    /// at least 2^-40, each is a multiple of 2^-63 (b of 2^-63 too), so every product and partial sum is a multiple of
    /// 2^-126 and a nonzero one is at least the smallest normal: no subnormal can arise, and the kernel that flushes
    /// is not needed.
    /// </summary>
    internal static bool NeedsFlush(ReadOnlySpan<float> values)
    {
        foreach (float v in values)
        {
            if (IsTiny(v))
            {
                return true;
            }
        }

        return false;
    }

    internal static void FlushAll(Span<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = XlaMath.FlushToZero(values[i]);
        }
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

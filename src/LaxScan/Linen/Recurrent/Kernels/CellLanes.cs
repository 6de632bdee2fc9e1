using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using LaxScan.Kernels;
using LaxScan.Numerics;

namespace LaxScan.Linen.Recurrent.Kernels;

/// <summary>
/// The elementwise rest of each cell step after the recurrent GEMVs (<see cref="CellMath"/>'s <c>...FromSums</c>) on
/// whole vectors: the same operations in the same order, each flushed as XLA:CPU flushes it, so every SIMD width gives
/// the scalar reference's bits. Each function runs full vectors of the widest allowed tier, then narrower ones, and
/// finishes the last elements with <see cref="CellMath"/> itself. Each returns whether the new h holds a tiny value
/// (nonzero below 2^-40), so the next step's GEMVs know whether h needs their flushing kernel without scanning it.
/// </summary>
internal static class CellLanes
{
    /// <summary>
    /// LSTM over units [0, H): the input projections x (gates i, f, g, o at offsets 0, H, 2H, 3H) and each recurrent
    /// Dense's output with its bias added, s_i..s_o.
    /// </summary>
    public static bool Lstm(
        ReadOnlySpan<float> x, ReadOnlySpan<float> si, ReadOnlySpan<float> sf, ReadOnlySpan<float> sg, ReadOnlySpan<float> so,
        ReadOnlySpan<float> c, Span<float> cOut, Span<float> hOut, SimdTier tier)
    {
        int h = c.Length;
        int j = 0;
        bool tiny = false;
        if (tier >= SimdTier.Vector512)
        {
            tiny |= Lstm<FloatLanes512, Vector512<float>>(x, si, sf, sg, so, c, cOut, hOut, ref j);
        }

        if (tier >= SimdTier.Vector256)
        {
            tiny |= Lstm<FloatLanes256, Vector256<float>>(x, si, sf, sg, so, c, cOut, hOut, ref j);
        }

        if (tier >= SimdTier.Vector128)
        {
            tiny |= Lstm<FloatLanes128, Vector128<float>>(x, si, sf, sg, so, c, cOut, hOut, ref j);
        }

        for (; j < h; j++)
        {
            (cOut[j], hOut[j]) = CellMath.LstmFromSums(x[j], x[h + j], x[(2 * h) + j], x[(3 * h) + j], si[j], sf[j], sg[j], so[j], c[j]);
            tiny |= Gemv.IsTiny(hOut[j]);
        }

        return tiny;
    }

    /// <summary>GRU over units [0, H): sr, sz (projection plus recurrent dot), pn (the n projection) and sn (h_n + b_hn).</summary>
    public static bool Gru(ReadOnlySpan<float> sr, ReadOnlySpan<float> sz, ReadOnlySpan<float> pn, ReadOnlySpan<float> sn, ReadOnlySpan<float> h, Span<float> hOut, SimdTier tier)
    {
        int n = h.Length;
        int j = 0;
        bool tiny = false;
        if (tier >= SimdTier.Vector512)
        {
            tiny |= Gru<FloatLanes512, Vector512<float>>(sr, sz, pn, sn, h, hOut, ref j);
        }

        if (tier >= SimdTier.Vector256)
        {
            tiny |= Gru<FloatLanes256, Vector256<float>>(sr, sz, pn, sn, h, hOut, ref j);
        }

        if (tier >= SimdTier.Vector128)
        {
            tiny |= Gru<FloatLanes128, Vector128<float>>(sr, sz, pn, sn, h, hOut, ref j);
        }

        for (; j < n; j++)
        {
            hOut[j] = CellMath.GruFromSums(sr[j], sz[j], pn[j], sn[j], h[j]);
            tiny |= Gemv.IsTiny(hOut[j]);
        }

        return tiny;
    }

    /// <summary>
    /// MGU over units [0, H): sf (projection plus recurrent dot) and sn, which is h_n + b_hn with the reset gate (then
    /// pn is the n projection) and px_n + h_n without it (pn unused).
    /// </summary>
    public static bool Mgu(ReadOnlySpan<float> sf, ReadOnlySpan<float> sn, ReadOnlySpan<float> pn, bool resetGate, ReadOnlySpan<float> h, Span<float> hOut, SimdTier tier)
    {
        int n = h.Length;
        int j = 0;
        bool tiny = false;
        if (tier >= SimdTier.Vector512)
        {
            tiny |= Mgu<FloatLanes512, Vector512<float>>(sf, sn, pn, resetGate, h, hOut, ref j);
        }

        if (tier >= SimdTier.Vector256)
        {
            tiny |= Mgu<FloatLanes256, Vector256<float>>(sf, sn, pn, resetGate, h, hOut, ref j);
        }

        if (tier >= SimdTier.Vector128)
        {
            tiny |= Mgu<FloatLanes128, Vector128<float>>(sf, sn, pn, resetGate, h, hOut, ref j);
        }

        for (; j < n; j++)
        {
            hOut[j] = resetGate ? CellMath.MguResetFromSums(sf[j], sn[j], pn[j], h[j]) : CellMath.MguFromSums(sf[j], sn[j], h[j]);
            tiny |= Gemv.IsTiny(hOut[j]);
        }

        return tiny;
    }

    /// <summary>SimpleCell with <c>residual</c> over units [0, H): tanh(s + h), s the projection plus the recurrent dot.</summary>
    /// <remarks>Without the residual the whole step is the recurrent GEMV with the <c>AddAfterTanh</c> epilogue.</remarks>
    public static bool SimpleResidual(ReadOnlySpan<float> s, ReadOnlySpan<float> h, Span<float> hOut, SimdTier tier)
    {
        int n = h.Length;
        int j = 0;
        bool tiny = false;
        if (tier >= SimdTier.Vector512)
        {
            tiny |= SimpleResidual<FloatLanes512, Vector512<float>>(s, h, hOut, ref j);
        }

        if (tier >= SimdTier.Vector256)
        {
            tiny |= SimpleResidual<FloatLanes256, Vector256<float>>(s, h, hOut, ref j);
        }

        if (tier >= SimdTier.Vector128)
        {
            tiny |= SimpleResidual<FloatLanes128, Vector128<float>>(s, h, hOut, ref j);
        }

        for (; j < n; j++)
        {
            hOut[j] = CellMath.SimpleFromSum(s[j], residual: true, h[j]);
            tiny |= Gemv.IsTiny(hOut[j]);
        }

        return tiny;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Load<TL, TV>(ReadOnlySpan<float> s, int at)
        where TL : IFloatLanes<TV>
        where TV : struct => TL.Load(ref MemoryMarshal.GetReference(s), (nuint)at);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Store<TL, TV>(TV v, Span<float> s, int at, TV tiny)
        where TL : IFloatLanes<TV>
        where TV : struct
    {
        TL.Store(v, ref MemoryMarshal.GetReference(s), (nuint)at);
        return TL.Or(tiny, Gemv.TinyMask<TL, TV>(v));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Add<TL, TV>(TV a, TV b)
        where TL : IFloatLanes<TV>
        where TV : struct => XlaMath.AddFlushed<TL, TV>(a, b);

    /// <summary><see cref="CellMath.Interpolate"/>: fma(1 - z, n, rn(z * h)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Interpolate<TL, TV>(TV z, TV n, TV h)
        where TL : IFloatLanes<TV>
        where TV : struct => XlaMath.FmaFlushed<TL, TV>(XlaMath.SubFlushed<TL, TV>(TL.Create(1f), z), n, XlaMath.MulFlushed<TL, TV>(z, h));

    private static bool Lstm<TL, TV>(
        ReadOnlySpan<float> x, ReadOnlySpan<float> si, ReadOnlySpan<float> sf, ReadOnlySpan<float> sg, ReadOnlySpan<float> so,
        ReadOnlySpan<float> c, Span<float> cOut, Span<float> hOut, ref int j)
        where TL : IFloatLanes<TV>
        where TV : struct
    {
        int h = c.Length;
        TV tiny = TL.Create(0f);
        for (; j + TL.Count <= h; j += TL.Count)
        {
            TV i = XlaMath.LogisticCore<TL, TV>(Add<TL, TV>(Load<TL, TV>(x, j), Load<TL, TV>(si, j)));
            TV f = XlaMath.LogisticCore<TL, TV>(Add<TL, TV>(Load<TL, TV>(x, h + j), Load<TL, TV>(sf, j)));
            TV g = XlaMath.TanhCore<TL, TV>(Add<TL, TV>(Load<TL, TV>(x, (2 * h) + j), Load<TL, TV>(sg, j)));
            TV o = XlaMath.LogisticCore<TL, TV>(Add<TL, TV>(Load<TL, TV>(x, (3 * h) + j), Load<TL, TV>(so, j)));
            TV cNew = XlaMath.FmaFlushed<TL, TV>(f, Load<TL, TV>(c, j), XlaMath.MulFlushed<TL, TV>(i, g));
            TL.Store(cNew, ref MemoryMarshal.GetReference(cOut), (nuint)j);
            tiny = Store<TL, TV>(XlaMath.MulFlushed<TL, TV>(o, XlaMath.TanhCore<TL, TV>(cNew)), hOut, j, tiny);
        }

        return TL.Any(tiny);
    }

    private static bool Gru<TL, TV>(ReadOnlySpan<float> sr, ReadOnlySpan<float> sz, ReadOnlySpan<float> pn, ReadOnlySpan<float> sn, ReadOnlySpan<float> h, Span<float> hOut, ref int j)
        where TL : IFloatLanes<TV>
        where TV : struct
    {
        int n = h.Length;
        TV tiny = TL.Create(0f);
        for (; j + TL.Count <= n; j += TL.Count)
        {
            TV r = XlaMath.LogisticCore<TL, TV>(Load<TL, TV>(sr, j));
            TV z = XlaMath.LogisticCore<TL, TV>(Load<TL, TV>(sz, j));
            TV cand = XlaMath.TanhCore<TL, TV>(XlaMath.FmaFlushed<TL, TV>(r, Load<TL, TV>(sn, j), Load<TL, TV>(pn, j)));
            tiny = Store<TL, TV>(Interpolate<TL, TV>(z, cand, Load<TL, TV>(h, j)), hOut, j, tiny);
        }

        return TL.Any(tiny);
    }

    private static bool Mgu<TL, TV>(ReadOnlySpan<float> sf, ReadOnlySpan<float> sn, ReadOnlySpan<float> pn, bool resetGate, ReadOnlySpan<float> h, Span<float> hOut, ref int j)
        where TL : IFloatLanes<TV>
        where TV : struct
    {
        int n = h.Length;
        TV tiny = TL.Create(0f);
        for (; j + TL.Count <= n; j += TL.Count)
        {
            TV f = XlaMath.LogisticCore<TL, TV>(Load<TL, TV>(sf, j));
            TV pre = resetGate ? XlaMath.FmaFlushed<TL, TV>(Load<TL, TV>(sn, j), f, Load<TL, TV>(pn, j)) : Load<TL, TV>(sn, j);
            tiny = Store<TL, TV>(Interpolate<TL, TV>(f, XlaMath.TanhCore<TL, TV>(pre), Load<TL, TV>(h, j)), hOut, j, tiny);
        }

        return TL.Any(tiny);
    }

    private static bool SimpleResidual<TL, TV>(ReadOnlySpan<float> s, ReadOnlySpan<float> h, Span<float> hOut, ref int j)
        where TL : IFloatLanes<TV>
        where TV : struct
    {
        int n = h.Length;
        TV tiny = TL.Create(0f);
        for (; j + TL.Count <= n; j += TL.Count)
        {
            tiny = Store<TL, TV>(XlaMath.TanhCore<TL, TV>(Add<TL, TV>(Load<TL, TV>(s, j), Load<TL, TV>(h, j))), hOut, j, tiny);
        }

        return TL.Any(tiny);
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using LaxScan.Numerics;

namespace LaxScan.Linen.Recurrent.Kernels;

/// <summary>
/// <see cref="CellMath"/> on whole vectors: the same operations in the same order, each flushed as XLA:CPU flushes
/// it, so every SIMD width gives the scalar reference's bits. Each function runs full vectors of the widest allowed
/// tier, then narrower ones, and finishes the last elements with <see cref="CellMath"/> itself.
/// </summary>
internal static class CellLanes
{
    /// <summary>
    /// LSTM over units [0, H): the input projections x (gates i, f, g, o at offsets 0, H, 2H, 3H), the recurrent dots
    /// hi..ho and the recurrent biases b (the same layout as x).
    /// </summary>
    public static void Lstm(
        ReadOnlySpan<float> x, ReadOnlySpan<float> hi, ReadOnlySpan<float> hf, ReadOnlySpan<float> hg, ReadOnlySpan<float> ho,
        ReadOnlySpan<float> b, ReadOnlySpan<float> c, Span<float> cOut, Span<float> hOut, SimdTier tier)
    {
        int h = c.Length;
        int j = 0;
        if (tier >= SimdTier.Vector512)
        {
            j = Lstm<FloatLanes512, Vector512<float>>(x, hi, hf, hg, ho, b, c, cOut, hOut, j);
        }

        if (tier >= SimdTier.Vector256)
        {
            j = Lstm<FloatLanes256, Vector256<float>>(x, hi, hf, hg, ho, b, c, cOut, hOut, j);
        }

        if (tier >= SimdTier.Vector128)
        {
            j = Lstm<FloatLanes128, Vector128<float>>(x, hi, hf, hg, ho, b, c, cOut, hOut, j);
        }

        for (; j < h; j++)
        {
            (cOut[j], hOut[j]) = CellMath.Lstm(
                x[j], x[h + j], x[(2 * h) + j], x[(3 * h) + j],
                hi[j], hf[j], hg[j], ho[j],
                b[j], b[h + j], b[(2 * h) + j], b[(3 * h) + j],
                c[j]);
        }
    }

    /// <summary>GRU over units [0, H): the projections p (r, z, n at offsets 0, H, 2H, biases added) and the recurrent dots.</summary>
    public static void Gru(ReadOnlySpan<float> p, ReadOnlySpan<float> hr, ReadOnlySpan<float> hz, ReadOnlySpan<float> hn, ReadOnlySpan<float> bhn, ReadOnlySpan<float> h, Span<float> hOut, SimdTier tier)
    {
        int n = h.Length;
        int j = 0;
        if (tier >= SimdTier.Vector512)
        {
            j = Gru<FloatLanes512, Vector512<float>>(p, hr, hz, hn, bhn, h, hOut, j);
        }

        if (tier >= SimdTier.Vector256)
        {
            j = Gru<FloatLanes256, Vector256<float>>(p, hr, hz, hn, bhn, h, hOut, j);
        }

        if (tier >= SimdTier.Vector128)
        {
            j = Gru<FloatLanes128, Vector128<float>>(p, hr, hz, hn, bhn, h, hOut, j);
        }

        for (; j < n; j++)
        {
            hOut[j] = CellMath.Gru(p[j], p[n + j], p[(2 * n) + j], hr[j], hz[j], hn[j], bhn[j], h[j]);
        }
    }

    /// <summary>MGU over units [0, H): projections p (f, n at offsets 0, H); <paramref name="bhn"/> unused without the reset gate.</summary>
    public static void Mgu(ReadOnlySpan<float> p, ReadOnlySpan<float> hf, ReadOnlySpan<float> hn, ReadOnlySpan<float> bhn, bool resetGate, ReadOnlySpan<float> h, Span<float> hOut, SimdTier tier)
    {
        int n = h.Length;
        int j = 0;
        if (tier >= SimdTier.Vector512)
        {
            j = Mgu<FloatLanes512, Vector512<float>>(p, hf, hn, bhn, resetGate, h, hOut, j);
        }

        if (tier >= SimdTier.Vector256)
        {
            j = Mgu<FloatLanes256, Vector256<float>>(p, hf, hn, bhn, resetGate, h, hOut, j);
        }

        if (tier >= SimdTier.Vector128)
        {
            j = Mgu<FloatLanes128, Vector128<float>>(p, hf, hn, bhn, resetGate, h, hOut, j);
        }

        for (; j < n; j++)
        {
            hOut[j] = CellMath.Mgu(p[j], p[n + j], hf[j], hn[j], resetGate ? bhn[j] : 0f, resetGate, h[j]);
        }
    }

    /// <summary>SimpleCell over units [0, H).</summary>
    public static void Simple(ReadOnlySpan<float> p, ReadOnlySpan<float> hh, bool residual, ReadOnlySpan<float> h, Span<float> hOut, SimdTier tier)
    {
        int n = h.Length;
        int j = 0;
        if (tier >= SimdTier.Vector512)
        {
            j = Simple<FloatLanes512, Vector512<float>>(p, hh, residual, h, hOut, j);
        }

        if (tier >= SimdTier.Vector256)
        {
            j = Simple<FloatLanes256, Vector256<float>>(p, hh, residual, h, hOut, j);
        }

        if (tier >= SimdTier.Vector128)
        {
            j = Simple<FloatLanes128, Vector128<float>>(p, hh, residual, h, hOut, j);
        }

        for (; j < n; j++)
        {
            hOut[j] = CellMath.Simple(p[j], hh[j], residual, h[j]);
        }
    }

    /// <summary>Adds a bias row to each of <paramref name="rows"/> rows of width <c>bias.Length</c>, flushed.</summary>
    public static void AddBiasRows(Span<float> y, ReadOnlySpan<float> bias, int rows)
    {
        int w = bias.Length;
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = y.Slice(r * w, w);
            int j = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; j + Vector256<float>.Count <= w; j += Vector256<float>.Count)
                {
                    Vector256<float> s = Load<FloatLanes256, Vector256<float>>(row, j) + Load<FloatLanes256, Vector256<float>>(bias, j);
                    FloatLanes256.Store(FloatLanes256.FlushToZero(s), ref MemoryMarshal.GetReference(row), (nuint)j);
                }
            }

            for (; j < w; j++)
            {
                row[j] = XlaMath.Add(row[j], bias[j]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Load<TL, TV>(ReadOnlySpan<float> s, int at)
        where TL : IFloatLanes<TV>
        where TV : struct => TL.Load(ref MemoryMarshal.GetReference(s), (nuint)at);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TL, TV>(TV v, Span<float> s, int at)
        where TL : IFloatLanes<TV>
        where TV : struct => TL.Store(v, ref MemoryMarshal.GetReference(s), (nuint)at);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Add<TL, TV>(TV a, TV b)
        where TL : IFloatLanes<TV>
        where TV : struct => XlaMath.AddFlushed<TL, TV>(a, b);

    private static int Lstm<TL, TV>(
        ReadOnlySpan<float> x, ReadOnlySpan<float> hi, ReadOnlySpan<float> hf, ReadOnlySpan<float> hg, ReadOnlySpan<float> ho,
        ReadOnlySpan<float> b, ReadOnlySpan<float> c, Span<float> cOut, Span<float> hOut, int j)
        where TL : IFloatLanes<TV>
        where TV : struct
    {
        int h = c.Length;
        for (; j + TL.Count <= h; j += TL.Count)
        {
            TV i = XlaMath.LogisticCore<TL, TV>(Add<TL, TV>(Load<TL, TV>(x, j), Add<TL, TV>(Load<TL, TV>(hi, j), Load<TL, TV>(b, j))));
            TV f = XlaMath.LogisticCore<TL, TV>(Add<TL, TV>(Load<TL, TV>(x, h + j), Add<TL, TV>(Load<TL, TV>(hf, j), Load<TL, TV>(b, h + j))));
            TV g = XlaMath.TanhCore<TL, TV>(Add<TL, TV>(Load<TL, TV>(x, (2 * h) + j), Add<TL, TV>(Load<TL, TV>(hg, j), Load<TL, TV>(b, (2 * h) + j))));
            TV o = XlaMath.LogisticCore<TL, TV>(Add<TL, TV>(Load<TL, TV>(x, (3 * h) + j), Add<TL, TV>(Load<TL, TV>(ho, j), Load<TL, TV>(b, (3 * h) + j))));
            TV cNew = XlaMath.FmaFlushed<TL, TV>(f, Load<TL, TV>(c, j), XlaMath.MulFlushed<TL, TV>(i, g));
            Store<TL, TV>(cNew, cOut, j);
            Store<TL, TV>(XlaMath.MulFlushed<TL, TV>(o, XlaMath.TanhCore<TL, TV>(cNew)), hOut, j);
        }

        return j;
    }

    private static int Gru<TL, TV>(ReadOnlySpan<float> p, ReadOnlySpan<float> hr, ReadOnlySpan<float> hz, ReadOnlySpan<float> hn, ReadOnlySpan<float> bhn, ReadOnlySpan<float> h, Span<float> hOut, int j)
        where TL : IFloatLanes<TV>
        where TV : struct
    {
        int n = h.Length;
        TV one = TL.Create(1f);
        for (; j + TL.Count <= n; j += TL.Count)
        {
            TV r = XlaMath.LogisticCore<TL, TV>(Add<TL, TV>(Load<TL, TV>(p, j), Load<TL, TV>(hr, j)));
            TV z = XlaMath.LogisticCore<TL, TV>(Add<TL, TV>(Load<TL, TV>(p, n + j), Load<TL, TV>(hz, j)));
            TV hnb = Add<TL, TV>(Load<TL, TV>(hn, j), Load<TL, TV>(bhn, j));
            TV cand = XlaMath.TanhCore<TL, TV>(XlaMath.FmaFlushed<TL, TV>(r, hnb, Load<TL, TV>(p, (2 * n) + j)));
            TV hv = Load<TL, TV>(h, j);
            TV result = XlaMath.FmaFlushed<TL, TV>(XlaMath.SubFlushed<TL, TV>(one, z), cand, XlaMath.MulFlushed<TL, TV>(z, hv));
            Store<TL, TV>(result, hOut, j);
        }

        return j;
    }

    private static int Mgu<TL, TV>(ReadOnlySpan<float> p, ReadOnlySpan<float> hf, ReadOnlySpan<float> hn, ReadOnlySpan<float> bhn, bool resetGate, ReadOnlySpan<float> h, Span<float> hOut, int j)
        where TL : IFloatLanes<TV>
        where TV : struct
    {
        int n = h.Length;
        TV one = TL.Create(1f);
        for (; j + TL.Count <= n; j += TL.Count)
        {
            TV f = XlaMath.LogisticCore<TL, TV>(Add<TL, TV>(Load<TL, TV>(p, j), Load<TL, TV>(hf, j)));
            TV pn = Load<TL, TV>(p, n + j);
            TV hnv = Load<TL, TV>(hn, j);
            TV pre = resetGate
                ? XlaMath.FmaFlushed<TL, TV>(Add<TL, TV>(hnv, Load<TL, TV>(bhn, j)), f, pn)
                : Add<TL, TV>(pn, hnv);
            TV cand = XlaMath.TanhCore<TL, TV>(pre);
            TV hv = Load<TL, TV>(h, j);
            TV result = XlaMath.FmaFlushed<TL, TV>(XlaMath.SubFlushed<TL, TV>(one, f), cand, XlaMath.MulFlushed<TL, TV>(f, hv));
            Store<TL, TV>(result, hOut, j);
        }

        return j;
    }

    private static int Simple<TL, TV>(ReadOnlySpan<float> p, ReadOnlySpan<float> hh, bool residual, ReadOnlySpan<float> h, Span<float> hOut, int j)
        where TL : IFloatLanes<TV>
        where TV : struct
    {
        int n = h.Length;
        for (; j + TL.Count <= n; j += TL.Count)
        {
            TV pre = Add<TL, TV>(Load<TL, TV>(p, j), Load<TL, TV>(hh, j));
            if (residual)
            {
                pre = Add<TL, TV>(pre, Load<TL, TV>(h, j));
            }

            Store<TL, TV>(XlaMath.TanhCore<TL, TV>(pre), hOut, j);
        }

        return j;
    }
}

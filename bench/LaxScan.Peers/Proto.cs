using LaxScan.Kernels;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LaxScan.Peers;

/// <summary>
/// A prototype, not the library: the same per-lane FMA order as LaxScan's GEMV kernel (so the same bits), with XLA's
/// tanh applied in registers (Vector512) before the store instead of a scalar pass over y afterwards, and with
/// blocks of 4 and 2 vectors so small H keeps several FMA chains in flight. Single thread, Vector512, no FTZ path
/// (valid when neither W nor x holds values below 2^-40, which LaxScan's Gemv.NeedsFlush checks; true here).
/// </summary>
internal static class Proto
{
    private static readonly Vector512<float> Clamp = Vector512.Create(F(0x40FF_F644));
    private static readonly Vector512<uint> Small = Vector512.Create(0x39D1_B717u);
    private static readonly Vector512<uint> Saturate = Vector512.Create(0x41A0_0000u);
    private static readonly Vector512<uint> Infinity = Vector512.Create(0x7F80_0000u);
    private static readonly Vector512<uint> AbsMask = Vector512.Create(0x7FFF_FFFFu);
    private static readonly Vector512<uint> One = Vector512.Create(0x3F80_0000u);
    private static readonly Vector512<float> N0 = Vector512.Create(F(0xA59F25C0)), N1 = Vector512.Create(F(0x2A61337E)), N2 = Vector512.Create(F(0xAEBD37FF));
    private static readonly Vector512<float> N3 = Vector512.Create(F(0x335C0041)), N4 = Vector512.Create(F(0x3779434A)), N5 = Vector512.Create(F(0x3A270DED));
    private static readonly Vector512<float> N6 = Vector512.Create(F(0x3BA059DC));
    private static readonly Vector512<float> D0 = Vector512.Create(F(0x35A0D3D8)), D1 = Vector512.Create(F(0x38F895D6)), D2 = Vector512.Create(F(0x3B14AA05));
    private static readonly Vector512<float> D3 = Vector512.Create(F(0x3BA059DD));

    /// <summary>XLA's rational tanh on 16 lanes; equals XlaMath.Tanh lane by lane (checked by <see cref="VerifyTanh"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x)
    {
        Vector512<uint> bits = x.AsUInt32();
        Vector512<uint> abs = bits & AbsMask;
        Vector512<float> xc = Vector512.Min(Vector512.Max(x, -Clamp), Clamp);
        Vector512<float> x2 = xc * xc;
        Vector512<float> n = Vector512.FusedMultiplyAdd(x2, N0, N1);
        n = Vector512.FusedMultiplyAdd(x2, n, N2);
        n = Vector512.FusedMultiplyAdd(x2, n, N3);
        n = Vector512.FusedMultiplyAdd(x2, n, N4);
        n = Vector512.FusedMultiplyAdd(x2, n, N5);
        n = Vector512.FusedMultiplyAdd(x2, n, N6);
        n = xc * n;
        Vector512<float> d = Vector512.FusedMultiplyAdd(x2, D0, D1);
        d = Vector512.FusedMultiplyAdd(x2, d, D2);
        d = Vector512.FusedMultiplyAdd(x2, d, D3);
        Vector512<float> r = n / d;
        Vector512<float> sat = ((bits & ~AbsMask) | One).AsSingle();
        r = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(abs, Saturate).AsSingle(), sat, r);
        Vector512<uint> passThrough = Vector512.LessThan(abs, Small) | Vector512.GreaterThan(abs, Infinity);
        return Vector512.ConditionalSelect(passThrough.AsSingle(), x, r);
    }

    /// <summary>y = tanh(x @ W), one thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Step(float[] x, float[] w, float[] y)
    {
        int k = x.Length;
        int n = y.Length;
        ref float wr = ref MemoryMarshal.GetArrayDataReference(w);
        ref float xr = ref MemoryMarshal.GetArrayDataReference(x);
        ref float yr = ref MemoryMarshal.GetArrayDataReference(y);
        int j = 0;

        // 16 accumulators (256 columns): at H = 256 a whole row of W per k, so W is read in memory order.
        for (; j + 256 <= n && n <= 256; j += 256)
        {
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
            Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default, b4 = default, b5 = default, b6 = default, b7 = default;
            nuint row = (nuint)j;
            for (int i = 0; i < k; i++, row += (nuint)n)
            {
                var xi = Vector512.Create(Unsafe.Add(ref xr, i));
                a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wr, row), xi, a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wr, row + 16), xi, a1);
                a2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wr, row + 32), xi, a2);
                a3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wr, row + 48), xi, a3);
                a4 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wr, row + 64), xi, a4);
                a5 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wr, row + 80), xi, a5);
                a6 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wr, row + 96), xi, a6);
                a7 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wr, row + 112), xi, a7);
                b0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wr, row + 128), xi, b0);
                b1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wr, row + 144), xi, b1);
                b2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wr, row + 160), xi, b2);
                b3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wr, row + 176), xi, b3);
                b4 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wr, row + 192), xi, b4);
                b5 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wr, row + 208), xi, b5);
                b6 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wr, row + 224), xi, b6);
                b7 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wr, row + 240), xi, b7);
            }

            Tanh(a0).StoreUnsafe(ref yr, (nuint)j);
            Tanh(a1).StoreUnsafe(ref yr, (nuint)j + 16);
            Tanh(a2).StoreUnsafe(ref yr, (nuint)j + 32);
            Tanh(a3).StoreUnsafe(ref yr, (nuint)j + 48);
            Tanh(a4).StoreUnsafe(ref yr, (nuint)j + 64);
            Tanh(a5).StoreUnsafe(ref yr, (nuint)j + 80);
            Tanh(a6).StoreUnsafe(ref yr, (nuint)j + 96);
            Tanh(a7).StoreUnsafe(ref yr, (nuint)j + 112);
            Tanh(b0).StoreUnsafe(ref yr, (nuint)j + 128);
            Tanh(b1).StoreUnsafe(ref yr, (nuint)j + 144);
            Tanh(b2).StoreUnsafe(ref yr, (nuint)j + 160);
            Tanh(b3).StoreUnsafe(ref yr, (nuint)j + 176);
            Tanh(b4).StoreUnsafe(ref yr, (nuint)j + 192);
            Tanh(b5).StoreUnsafe(ref yr, (nuint)j + 208);
            Tanh(b6).StoreUnsafe(ref yr, (nuint)j + 224);
            Tanh(b7).StoreUnsafe(ref yr, (nuint)j + 240);
        }

        for (; j + 128 <= n; j += 128)
        {
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
            nuint row = (nuint)j;
            for (int i = 0; i < k; i++, row += (nuint)n)
            {
                var xi = Vector512.Create(Unsafe.Add(ref xr, i));
                a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wr, row), xi, a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wr, row + 16), xi, a1);
                a2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wr, row + 32), xi, a2);
                a3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wr, row + 48), xi, a3);
                a4 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wr, row + 64), xi, a4);
                a5 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wr, row + 80), xi, a5);
                a6 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wr, row + 96), xi, a6);
                a7 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wr, row + 112), xi, a7);
            }

            Tanh(a0).StoreUnsafe(ref yr, (nuint)j);
            Tanh(a1).StoreUnsafe(ref yr, (nuint)j + 16);
            Tanh(a2).StoreUnsafe(ref yr, (nuint)j + 32);
            Tanh(a3).StoreUnsafe(ref yr, (nuint)j + 48);
            Tanh(a4).StoreUnsafe(ref yr, (nuint)j + 64);
            Tanh(a5).StoreUnsafe(ref yr, (nuint)j + 80);
            Tanh(a6).StoreUnsafe(ref yr, (nuint)j + 96);
            Tanh(a7).StoreUnsafe(ref yr, (nuint)j + 112);
        }

        for (; j + 64 <= n; j += 64)
        {
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
            nuint row = (nuint)j;
            for (int i = 0; i < k; i++, row += (nuint)n)
            {
                var xi = Vector512.Create(Unsafe.Add(ref xr, i));
                a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wr, row), xi, a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wr, row + 16), xi, a1);
                a2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wr, row + 32), xi, a2);
                a3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wr, row + 48), xi, a3);
            }

            Tanh(a0).StoreUnsafe(ref yr, (nuint)j);
            Tanh(a1).StoreUnsafe(ref yr, (nuint)j + 16);
            Tanh(a2).StoreUnsafe(ref yr, (nuint)j + 32);
            Tanh(a3).StoreUnsafe(ref yr, (nuint)j + 48);
        }

        for (; j + 16 <= n; j += 16)
        {
            Vector512<float> a0 = default;
            nuint row = (nuint)j;
            for (int i = 0; i < k; i++, row += (nuint)n)
            {
                a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref wr, row), Vector512.Create(Unsafe.Add(ref xr, i)), a0);
            }

            Tanh(a0).StoreUnsafe(ref yr, (nuint)j);
        }

        if (j < n)
        {
            throw new NotSupportedException("prototype: H must be a multiple of 16");
        }
    }

    /// <summary>Y = tanh(X @ W) for B rows (B a multiple of 4), 4 rows x 3 vectors per tile as LaxScan, tanh in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Batch(float[] x, float[] w, float[] y, int batch)
    {
        int k = x.Length / batch;
        int n = y.Length / batch;
        ref float wr = ref MemoryMarshal.GetArrayDataReference(w);
        ref float xr = ref MemoryMarshal.GetArrayDataReference(x);
        ref float yr = ref MemoryMarshal.GetArrayDataReference(y);
        for (int row = 0; row < batch; row += 4)
        {
            ref float x0 = ref Unsafe.Add(ref xr, row * k);
            ref float x1 = ref Unsafe.Add(ref x0, k);
            ref float x2 = ref Unsafe.Add(ref x1, k);
            ref float x3 = ref Unsafe.Add(ref x2, k);
            int j = 0;
            for (; j + 48 <= n; j += 48)
            {
                Vector512<float> a00 = default, a01 = default, a02 = default, a10 = default, a11 = default, a12 = default;
                Vector512<float> a20 = default, a21 = default, a22 = default, a30 = default, a31 = default, a32 = default;
                nuint o = (nuint)j;
                for (int i = 0; i < k; i++, o += (nuint)n)
                {
                    var w0 = Vector512.LoadUnsafe(ref wr, o);
                    var w1 = Vector512.LoadUnsafe(ref wr, o + 16);
                    var w2 = Vector512.LoadUnsafe(ref wr, o + 32);
                    var b = Vector512.Create(Unsafe.Add(ref x0, i));
                    a00 = Vector512.FusedMultiplyAdd(w0, b, a00);
                    a01 = Vector512.FusedMultiplyAdd(w1, b, a01);
                    a02 = Vector512.FusedMultiplyAdd(w2, b, a02);
                    b = Vector512.Create(Unsafe.Add(ref x1, i));
                    a10 = Vector512.FusedMultiplyAdd(w0, b, a10);
                    a11 = Vector512.FusedMultiplyAdd(w1, b, a11);
                    a12 = Vector512.FusedMultiplyAdd(w2, b, a12);
                    b = Vector512.Create(Unsafe.Add(ref x2, i));
                    a20 = Vector512.FusedMultiplyAdd(w0, b, a20);
                    a21 = Vector512.FusedMultiplyAdd(w1, b, a21);
                    a22 = Vector512.FusedMultiplyAdd(w2, b, a22);
                    b = Vector512.Create(Unsafe.Add(ref x3, i));
                    a30 = Vector512.FusedMultiplyAdd(w0, b, a30);
                    a31 = Vector512.FusedMultiplyAdd(w1, b, a31);
                    a32 = Vector512.FusedMultiplyAdd(w2, b, a32);
                }

                nuint y0 = (nuint)((row * n) + j), y1 = y0 + (nuint)n, y2 = y1 + (nuint)n, y3 = y2 + (nuint)n;
                Tanh(a00).StoreUnsafe(ref yr, y0);
                Tanh(a01).StoreUnsafe(ref yr, y0 + 16);
                Tanh(a02).StoreUnsafe(ref yr, y0 + 32);
                Tanh(a10).StoreUnsafe(ref yr, y1);
                Tanh(a11).StoreUnsafe(ref yr, y1 + 16);
                Tanh(a12).StoreUnsafe(ref yr, y1 + 32);
                Tanh(a20).StoreUnsafe(ref yr, y2);
                Tanh(a21).StoreUnsafe(ref yr, y2 + 16);
                Tanh(a22).StoreUnsafe(ref yr, y2 + 32);
                Tanh(a30).StoreUnsafe(ref yr, y3);
                Tanh(a31).StoreUnsafe(ref yr, y3 + 16);
                Tanh(a32).StoreUnsafe(ref yr, y3 + 32);
            }

            // Leftover columns (512 = 10 x 48 + 32): 4 rows x 1 vector.
            for (; j + 16 <= n; j += 16)
            {
                Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
                nuint o = (nuint)j;
                for (int i = 0; i < k; i++, o += (nuint)n)
                {
                    var w0 = Vector512.LoadUnsafe(ref wr, o);
                    a0 = Vector512.FusedMultiplyAdd(w0, Vector512.Create(Unsafe.Add(ref x0, i)), a0);
                    a1 = Vector512.FusedMultiplyAdd(w0, Vector512.Create(Unsafe.Add(ref x1, i)), a1);
                    a2 = Vector512.FusedMultiplyAdd(w0, Vector512.Create(Unsafe.Add(ref x2, i)), a2);
                    a3 = Vector512.FusedMultiplyAdd(w0, Vector512.Create(Unsafe.Add(ref x3, i)), a3);
                }

                nuint y0 = (nuint)((row * n) + j);
                Tanh(a0).StoreUnsafe(ref yr, y0);
                Tanh(a1).StoreUnsafe(ref yr, y0 + (nuint)n);
                Tanh(a2).StoreUnsafe(ref yr, y0 + (nuint)(2 * n));
                Tanh(a3).StoreUnsafe(ref yr, y0 + (nuint)(3 * n));
            }
        }
    }

    /// <summary>
    /// Y = tanh(X @ W), cache-blocked: for each 48-column tile and each block of <paramref name="kBlock"/> rows of W
    /// (48 x 128 floats = 24 KiB, held in L1), every 4-row block of X runs its FMAs, so W is read from L2/L3 once per
    /// step instead of once per 4 rows. Between k-blocks the accumulators go through y exactly (a float store and load
    /// lose nothing), so each output still sees fma(W[k, n], x[k], acc) for k ascending from 0: the same bits.
    /// B a multiple of 4, N a multiple of 48 or ending in 16-column pieces.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BatchBlocked(float[] x, float[] w, float[] y, int batch, int kBlock = 128)
    {
        int k = x.Length / batch;
        int n = y.Length / batch;
        ref float wr = ref MemoryMarshal.GetArrayDataReference(w);
        ref float xr = ref MemoryMarshal.GetArrayDataReference(x);
        ref float yr = ref MemoryMarshal.GetArrayDataReference(y);
        for (int j = 0; j < n; j += 48)
        {
            int width = Math.Min(48, n - j);
            for (int k0 = 0; k0 < k; k0 += kBlock)
            {
                int k1 = Math.Min(k, k0 + kBlock);
                bool first = k0 == 0;
                bool last = k1 == k;
                for (int row = 0; row < batch; row += 4)
                {
                    ref float x0 = ref Unsafe.Add(ref xr, row * k);
                    ref float x1 = ref Unsafe.Add(ref x0, k);
                    ref float x2 = ref Unsafe.Add(ref x1, k);
                    ref float x3 = ref Unsafe.Add(ref x2, k);
                    nuint y0 = (nuint)((row * n) + j), y1 = y0 + (nuint)n, y2 = y1 + (nuint)n, y3 = y2 + (nuint)n;
                    if (width == 48)
                    {
                        Vector512<float> a00, a01, a02, a10, a11, a12, a20, a21, a22, a30, a31, a32;
                        if (first)
                        {
                            a00 = a01 = a02 = a10 = a11 = a12 = a20 = a21 = a22 = a30 = a31 = a32 = default;
                        }
                        else
                        {
                            a00 = Vector512.LoadUnsafe(ref yr, y0); a01 = Vector512.LoadUnsafe(ref yr, y0 + 16); a02 = Vector512.LoadUnsafe(ref yr, y0 + 32);
                            a10 = Vector512.LoadUnsafe(ref yr, y1); a11 = Vector512.LoadUnsafe(ref yr, y1 + 16); a12 = Vector512.LoadUnsafe(ref yr, y1 + 32);
                            a20 = Vector512.LoadUnsafe(ref yr, y2); a21 = Vector512.LoadUnsafe(ref yr, y2 + 16); a22 = Vector512.LoadUnsafe(ref yr, y2 + 32);
                            a30 = Vector512.LoadUnsafe(ref yr, y3); a31 = Vector512.LoadUnsafe(ref yr, y3 + 16); a32 = Vector512.LoadUnsafe(ref yr, y3 + 32);
                        }

                        nuint o = (nuint)((k0 * n) + j);
                        for (int i = k0; i < k1; i++, o += (nuint)n)
                        {
                            var w0 = Vector512.LoadUnsafe(ref wr, o);
                            var w1 = Vector512.LoadUnsafe(ref wr, o + 16);
                            var w2 = Vector512.LoadUnsafe(ref wr, o + 32);
                            var b = Vector512.Create(Unsafe.Add(ref x0, i));
                            a00 = Vector512.FusedMultiplyAdd(w0, b, a00);
                            a01 = Vector512.FusedMultiplyAdd(w1, b, a01);
                            a02 = Vector512.FusedMultiplyAdd(w2, b, a02);
                            b = Vector512.Create(Unsafe.Add(ref x1, i));
                            a10 = Vector512.FusedMultiplyAdd(w0, b, a10);
                            a11 = Vector512.FusedMultiplyAdd(w1, b, a11);
                            a12 = Vector512.FusedMultiplyAdd(w2, b, a12);
                            b = Vector512.Create(Unsafe.Add(ref x2, i));
                            a20 = Vector512.FusedMultiplyAdd(w0, b, a20);
                            a21 = Vector512.FusedMultiplyAdd(w1, b, a21);
                            a22 = Vector512.FusedMultiplyAdd(w2, b, a22);
                            b = Vector512.Create(Unsafe.Add(ref x3, i));
                            a30 = Vector512.FusedMultiplyAdd(w0, b, a30);
                            a31 = Vector512.FusedMultiplyAdd(w1, b, a31);
                            a32 = Vector512.FusedMultiplyAdd(w2, b, a32);
                        }

                        if (last)
                        {
                            a00 = Tanh(a00); a01 = Tanh(a01); a02 = Tanh(a02); a10 = Tanh(a10); a11 = Tanh(a11); a12 = Tanh(a12);
                            a20 = Tanh(a20); a21 = Tanh(a21); a22 = Tanh(a22); a30 = Tanh(a30); a31 = Tanh(a31); a32 = Tanh(a32);
                        }

                        a00.StoreUnsafe(ref yr, y0); a01.StoreUnsafe(ref yr, y0 + 16); a02.StoreUnsafe(ref yr, y0 + 32);
                        a10.StoreUnsafe(ref yr, y1); a11.StoreUnsafe(ref yr, y1 + 16); a12.StoreUnsafe(ref yr, y1 + 32);
                        a20.StoreUnsafe(ref yr, y2); a21.StoreUnsafe(ref yr, y2 + 16); a22.StoreUnsafe(ref yr, y2 + 32);
                        a30.StoreUnsafe(ref yr, y3); a31.StoreUnsafe(ref yr, y3 + 16); a32.StoreUnsafe(ref yr, y3 + 32);
                    }
                    else
                    {
                        for (int c = 0; c < width; c += 16)
                        {
                            nuint oc = (nuint)c;
                            Vector512<float> a0, a1, a2, a3;
                            if (first)
                            {
                                a0 = a1 = a2 = a3 = default;
                            }
                            else
                            {
                                a0 = Vector512.LoadUnsafe(ref yr, y0 + oc); a1 = Vector512.LoadUnsafe(ref yr, y1 + oc);
                                a2 = Vector512.LoadUnsafe(ref yr, y2 + oc); a3 = Vector512.LoadUnsafe(ref yr, y3 + oc);
                            }

                            nuint o = (nuint)((k0 * n) + j + c);
                            for (int i = k0; i < k1; i++, o += (nuint)n)
                            {
                                var w0 = Vector512.LoadUnsafe(ref wr, o);
                                a0 = Vector512.FusedMultiplyAdd(w0, Vector512.Create(Unsafe.Add(ref x0, i)), a0);
                                a1 = Vector512.FusedMultiplyAdd(w0, Vector512.Create(Unsafe.Add(ref x1, i)), a1);
                                a2 = Vector512.FusedMultiplyAdd(w0, Vector512.Create(Unsafe.Add(ref x2, i)), a2);
                                a3 = Vector512.FusedMultiplyAdd(w0, Vector512.Create(Unsafe.Add(ref x3, i)), a3);
                            }

                            if (last)
                            {
                                a0 = Tanh(a0); a1 = Tanh(a1); a2 = Tanh(a2); a3 = Tanh(a3);
                            }

                            a0.StoreUnsafe(ref yr, y0 + oc); a1.StoreUnsafe(ref yr, y1 + oc);
                            a2.StoreUnsafe(ref yr, y2 + oc); a3.StoreUnsafe(ref yr, y3 + oc);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// y = tanh(x @ W) reading W strictly in memory order: for k ascending, y[:] = fma(W[k, :], x[k], y[:]), with the
    /// accumulators in y (L1) rather than registers. Every output still sees its FMAs for k ascending from 0, so the
    /// bits are LaxScan's; W streams linearly, which is what a memory-bound H wants. Columns [start, end).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void StepRowStream(float[] x, float[] w, float[] y, int start, int end)
    {
        int k = x.Length;
        int n = y.Length;
        ref float wr = ref MemoryMarshal.GetArrayDataReference(w);
        ref float yr = ref MemoryMarshal.GetArrayDataReference(y);
        y.AsSpan(start, end - start).Clear();
        for (int i = 0; i < k; i++)
        {
            var xi = Vector512.Create(x[i]);
            ref float row = ref Unsafe.Add(ref wr, (nint)i * n);
            for (int j = start; j < end; j += 64)
            {
                nuint o = (nuint)j;
                Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, o), xi, Vector512.LoadUnsafe(ref yr, o)).StoreUnsafe(ref yr, o);
                Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, o + 16), xi, Vector512.LoadUnsafe(ref yr, o + 16)).StoreUnsafe(ref yr, o + 16);
                Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, o + 32), xi, Vector512.LoadUnsafe(ref yr, o + 32)).StoreUnsafe(ref yr, o + 32);
                Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, o + 48), xi, Vector512.LoadUnsafe(ref yr, o + 48)).StoreUnsafe(ref yr, o + 48);
            }
        }

        for (int j = start; j < end; j += 16)
        {
            Tanh(Vector512.LoadUnsafe(ref yr, (nuint)j)).StoreUnsafe(ref yr, (nuint)j);
        }
    }

    /// <summary>Compares <see cref="Tanh"/> with XlaMath.Tanh on every float32 bit pattern; returns the mismatches.</summary>
    public static long VerifyTanh()
    {
        long bad = 0;
        object gate = new();
        Parallel.For(0, 1 << 16, hi =>
        {
            Span<float> src = stackalloc float[1 << 16];
            Span<float> dst = stackalloc float[1 << 16];
            for (int lo = 0; lo < 1 << 16; lo++)
            {
                src[lo] = BitConverter.UInt32BitsToSingle(((uint)hi << 16) | (uint)lo);
            }

            // The library flushes subnormal inputs first (the GEMV never produces them); compare on what it would see.
            for (int i = 0; i < src.Length; i++)
            {
                src[i] = Numerics.XlaMath.FlushToZero(src[i]);
            }

            Numerics.XlaMath.Tanh(src, dst);
            long local = 0;
            ref float s = ref MemoryMarshal.GetReference(src);
            for (int i = 0; i < src.Length; i += 16)
            {
                Vector512<float> v = Tanh(Vector512.LoadUnsafe(ref s, (nuint)i));
                for (int l = 0; l < 16; l++)
                {
                    if (BitConverter.SingleToUInt32Bits(v[l]) != BitConverter.SingleToUInt32Bits(dst[i + l]))
                    {
                        local++;
                    }
                }
            }

            if (local != 0)
            {
                lock (gate)
                {
                    bad += local;
                }
            }
        });
        return bad;
    }

    private static float F(uint bits) => BitConverter.UInt32BitsToSingle(bits);
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using LaxScan.Numerics;

namespace LaxScan.Random;

/// <summary>
/// <c>truncated_normal(key, lower, upper, shape) * scale</c> in one pass: each vector of lanes is hashed from its
/// counters, turned into uniform floats, through erf_inv, clipped and scaled in registers, and stored once. The
/// operations, and so the bits, are those of the separate steps (<see cref="RandomBits"/>, the uniform, erf_inv,
/// clip and scale kernels of <see cref="DistributionKernels"/>): only the passes over memory are gone.
/// </summary>
/// <remarks>
/// Partitionable threefry hashes element i from its 64-bit index. The original layout hashes the pairs
/// (p, half + p) of iota(n) padded to even length, and element p takes the first output word, element half + p the
/// second (a float array never reaches the 2^32 - 1 words at which JAX starts chunking through split).
/// </remarks>
internal static class TruncatedNormalFill
{
    // sqrt(2) rounded to float32 (0x3FB504F3), as np.array(np.sqrt(2), float32) in jax/_src/random.py.
    private const float Sqrt2 = 1.41421354f;

    // rn(1 / Sqrt2) = 0x3F3504F3, the constant XLA folds 1 / sqrt2 into.
    private const float InverseSqrt2 = 0.707106769f;

    /// <summary>Fills <paramref name="destination"/>; <paramref name="scale"/> null leaves out the final multiply.</summary>
    public static void Fill(PrngKey key, Span<float> destination, float lower, float upper, float? scale, ThreefryMode mode, SimdTier tier)
    {
        lower = XlaMath.FlushToZero(lower);
        upper = XlaMath.FlushToZero(upper);

        // JAX writes erf(lower / sqrt2) with sqrt2 a constant; XLA's algebraic simplifier turns a division by a
        // constant into a multiplication by its rounded reciprocal, and that is what runs (it differs for +-3, -1.5).
        float a = XlaMath.FlushToZero(XlaMath.Erf(XlaMath.FlushToZero(lower * InverseSqrt2)));
        float b = XlaMath.FlushToZero(XlaMath.Erf(XlaMath.FlushToZero(upper * InverseSqrt2)));

        // The clip keeps rounding (or u == a) from landing on or outside the bounds.
        var steps = new Steps(
            new DistributionKernels.Uniform(XlaMath.FlushToZero(b - a), a),
            new DistributionKernels.ScaledClip(Sqrt2, XlaMath.NextAfter(lower, float.PositiveInfinity), XlaMath.NextAfter(upper, float.NegativeInfinity)),
            new DistributionKernels.Scaled(scale ?? 1f),
            scale.HasValue);
        if (mode == ThreefryMode.Partitionable)
        {
            Partitionable(key, destination, steps, tier);
        }
        else
        {
            Original(key, destination, steps, tier);
        }
    }

    private static void Partitionable(PrngKey key, Span<float> destination, Steps steps, SimdTier tier)
    {
        ref float d = ref MemoryMarshal.GetReference(destination);
        int n = destination.Length;
        int i = 0;
        if (tier >= SimdTier.Vector512 && Vector512.IsHardwareAccelerated)
        {
            i = Partitionable<UInt32Lanes512, Vector512<uint>, FloatLanes512, Vector512<float>>(key, ref d, n, steps);
        }
        else if (tier >= SimdTier.Vector256 && Vector256.IsHardwareAccelerated)
        {
            i = Partitionable<UInt32Lanes256, Vector256<uint>, FloatLanes256, Vector256<float>>(key, ref d, n, steps);
        }
        else if (tier >= SimdTier.Vector128 && Vector128.IsHardwareAccelerated)
        {
            i = Partitionable<UInt32Lanes128, Vector128<uint>, FloatLanes128, Vector128<float>>(key, ref d, n, steps);
        }

        for (; i < n; i++)
        {
            (uint y0, uint y1) = Threefry2x32.Block(key.K0, key.K1, 0, (uint)i);
            Unsafe.Add(ref d, i) = steps.Scalar(y0 ^ y1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Partitionable<TU, TUV, TL, TV>(PrngKey key, ref float d, int n, Steps steps)
        where TU : IUInt32Lanes<TUV>
        where TUV : struct
        where TL : IFloatLanes<TV>
        where TV : struct
    {
        int width = TU.Count;
        TUV counter = TU.Iota;
        TUV step = TU.Create((uint)width);
        TUV zero = TU.Create(0);
        int i = 0;

        // A float array has fewer than 2^31 elements, so the high word of every 64-bit index is 0. Two vectors per
        // pass: their hash and float steps are independent chains the core can overlap.
        TUV second = TU.Add(counter, step);
        TUV step2 = TU.Add(step, step);
        for (; i + (2 * width) <= n; i += 2 * width)
        {
            TUV ahi = zero, alo = counter, bhi = zero, blo = second;
            Threefry2x32.Block2<TU, TUV>(key.K0, key.K1, ref ahi, ref alo, ref bhi, ref blo);
            TV a = steps.Vector<TL, TV>(Unsafe.BitCast<TUV, TV>(TU.Xor(ahi, alo)));
            TV b = steps.Vector<TL, TV>(Unsafe.BitCast<TUV, TV>(TU.Xor(bhi, blo)));
            TL.Store(a, ref d, (nuint)i);
            TL.Store(b, ref d, (nuint)(i + width));
            counter = TU.Add(counter, step2);
            second = TU.Add(second, step2);
        }

        for (; i + width <= n; i += width)
        {
            TUV hi = zero;
            TUV lo = counter;
            Threefry2x32.Block<TU, TUV>(key.K0, key.K1, ref hi, ref lo);
            TL.Store(steps.Vector<TL, TV>(Unsafe.BitCast<TUV, TV>(TU.Xor(hi, lo))), ref d, (nuint)i);
            counter = TU.Add(counter, step);
        }

        return i;
    }

    private static void Original(PrngKey key, Span<float> destination, Steps steps, SimdTier tier)
    {
        ref float d = ref MemoryMarshal.GetReference(destination);
        int n = destination.Length;
        int half = (n + 1) / 2;
        int p = 0;
        if (tier >= SimdTier.Vector512 && Vector512.IsHardwareAccelerated)
        {
            p = Original<UInt32Lanes512, Vector512<uint>, FloatLanes512, Vector512<float>>(key, ref d, n, half, steps);
        }
        else if (tier >= SimdTier.Vector256 && Vector256.IsHardwareAccelerated)
        {
            p = Original<UInt32Lanes256, Vector256<uint>, FloatLanes256, Vector256<float>>(key, ref d, n, half, steps);
        }
        else if (tier >= SimdTier.Vector128 && Vector128.IsHardwareAccelerated)
        {
            p = Original<UInt32Lanes128, Vector128<uint>, FloatLanes128, Vector128<float>>(key, ref d, n, half, steps);
        }

        for (; p < half; p++)
        {
            int second = half + p;
            (uint y0, uint y1) = Threefry2x32.Block(key.K0, key.K1, (uint)p, second < n ? (uint)second : 0u);
            Unsafe.Add(ref d, p) = steps.Scalar(y0);
            if (second < n)
            {
                Unsafe.Add(ref d, second) = steps.Scalar(y1);
            }
        }
    }

    /// <summary>Pairs p whose partner half + p exists (the padded last pair, if any, is left to the scalar loop).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Original<TU, TUV, TL, TV>(PrngKey key, ref float d, int n, int half, Steps steps)
        where TU : IUInt32Lanes<TUV>
        where TUV : struct
        where TL : IFloatLanes<TV>
        where TV : struct
    {
        int width = TU.Count;
        int pairs = n - half;   // pairs with both halves; n odd leaves pair half - 1 padded
        TUV first = TU.Iota;
        TUV second = TU.Add(TU.Iota, TU.Create((uint)half));
        TUV step = TU.Create((uint)width);
        int p = 0;
        for (; p + width <= pairs; p += width)
        {
            TUV y0 = first;
            TUV y1 = second;
            Threefry2x32.Block<TU, TUV>(key.K0, key.K1, ref y0, ref y1);
            TL.Store(steps.Vector<TL, TV>(Unsafe.BitCast<TUV, TV>(y0)), ref d, (nuint)p);
            TL.Store(steps.Vector<TL, TV>(Unsafe.BitCast<TUV, TV>(y1)), ref d, (nuint)(half + p));
            first = TU.Add(first, step);
            second = TU.Add(second, step);
        }

        return p;
    }

    /// <summary>The per-value steps after the hash: uniform, erf_inv, scale by sqrt 2 and clip, then the optional scale.</summary>
    private readonly struct Steps(DistributionKernels.Uniform uniform, DistributionKernels.ScaledClip clip, DistributionKernels.Scaled scale, bool scaled)
    {
        public float Scalar(uint bits)
        {
            float v = clip.Invoke(XlaMath.ErfInv(uniform.Invoke(BitConverter.UInt32BitsToSingle(bits))));
            return scaled ? scale.Invoke(v) : v;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Vector<TL, TV>(TV bits)
            where TL : IFloatLanes<TV>
            where TV : struct
        {
            TV v = clip.Invoke<TL, TV>(XlaMath.ErfInvCore<TL, TV>(uniform.Invoke<TL, TV>(bits)));
            return scaled ? scale.Invoke<TL, TV>(v) : v;
        }
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using LaxScan.Numerics;

namespace LaxScan.Random;

/// <summary>
/// <c>truncated_normal(key, lower, upper, shape) * scale</c> in one pass over memory: each chunk of 512 values is
/// hashed from its counters into the output and, still in L1, turned into uniform floats, through erf_inv, clipped
/// and scaled, and stored. The
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
    /// <param name="key">The key.</param>
    /// <param name="destination">The output; every element is written.</param>
    /// <param name="lower">The lower bound.</param>
    /// <param name="upper">The upper bound.</param>
    /// <param name="scale">The factor of the final multiply, or null for none.</param>
    /// <param name="mode">The threefry layout.</param>
    /// <param name="tier">The widest SIMD tier.</param>
    /// <param name="erfRule">The JAX release's erf rule for the bounds (it matters only for |bound| &gt;= 5.2947).</param>
    public static void Fill(PrngKey key, Span<float> destination, float lower, float upper, float? scale, ThreefryMode mode, SimdTier tier, ErfRule erfRule = ErfRule.SaturateFrom3_7439)
    {
        lower = XlaMath.FlushToZero(lower);
        upper = XlaMath.FlushToZero(upper);

        // JAX writes erf(lower / sqrt2) with sqrt2 a constant; XLA's algebraic simplifier turns a division by a
        // constant into a multiplication by its rounded reciprocal, and that is what runs (it differs for +-3, -1.5).
        float a = XlaMath.FlushToZero(XlaMath.Erf(XlaMath.FlushToZero(lower * InverseSqrt2), erfRule));
        float b = XlaMath.FlushToZero(XlaMath.Erf(XlaMath.FlushToZero(upper * InverseSqrt2), erfRule));

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

    // Values per chunk: hashed into the output, then turned into floats in place while they are still in L1.
    private const int Chunk = 512;

    private static int Partitionable<TU, TUV, TL, TV>(PrngKey key, ref float d, int n, Steps steps)
        where TU : IUInt32Lanes<TUV>
        where TUV : struct
        where TL : IFloatLanes<TV>
        where TV : struct
    {
        int vectors = 2 * TU.Count;
        int whole = n - (n % vectors);
        for (int i = 0; i < whole; i += Chunk)
        {
            int count = Math.Min(Chunk, whole - i);
            HashIota<TU, TUV>(key, ref Unsafe.Add(ref d, i), i, count);
            Transform<TL, TV>(ref Unsafe.Add(ref d, i), count, steps);
        }

        return whole;
    }

    /// <summary>
    /// The partitionable bits of elements [first, first + count) (count a multiple of two vectors) into
    /// <paramref name="d"/>, two vectors per pass through an interleaved block: the 20 rounds are one dependency chain.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void HashIota<TU, TUV>(PrngKey key, ref float d, int first, int count)
        where TU : IUInt32Lanes<TUV>
        where TUV : struct
    {
        int width = TU.Count;
        ref uint bits = ref Unsafe.As<float, uint>(ref d);

        // A float array has fewer than 2^31 elements, so the high word of every 64-bit index is 0.
        TUV zero = TU.Create(0);
        TUV a = TU.Add(TU.Iota, TU.Create((uint)first));
        TUV b = TU.Add(a, TU.Create((uint)width));
        TUV step = TU.Create((uint)(2 * width));
        for (int i = 0; i < count; i += 2 * width)
        {
            TUV ahi = zero, alo = a, bhi = zero, blo = b;
            Threefry2x32.Block2<TU, TUV>(key.K0, key.K1, ref ahi, ref alo, ref bhi, ref blo);
            TU.Store(TU.Xor(ahi, alo), ref bits, (nuint)i);
            TU.Store(TU.Xor(bhi, blo), ref bits, (nuint)(i + width));
            a = TU.Add(a, step);
            b = TU.Add(b, step);
        }
    }

    /// <summary>In place, from random bits to the scaled truncated normal: uniform, erf_inv, clip, scale.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transform<TL, TV>(ref float d, int count, Steps steps)
        where TL : IFloatLanes<TV>
        where TV : struct
    {
        for (int i = 0; i < count; i += TL.Count)
        {
            TL.Store(steps.Vector<TL, TV>(TL.Load(ref d, (nuint)i)), ref d, (nuint)i);
        }
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
    private static int Original<TU, TUV, TL, TV>(PrngKey key, ref float d, int n, int half, Steps steps)
        where TU : IUInt32Lanes<TUV>
        where TUV : struct
        where TL : IFloatLanes<TV>
        where TV : struct
    {
        int width = TU.Count;
        int pairs = n - half;   // pairs with both halves; n odd leaves pair half - 1 padded
        int whole = pairs - (pairs % width);
        for (int p = 0; p < whole; p += Chunk)
        {
            int count = Math.Min(Chunk, whole - p);
            HashPairs<TU, TUV>(key, ref Unsafe.Add(ref d, p), ref Unsafe.Add(ref d, half + p), p, half + p, count);
            Transform<TL, TV>(ref Unsafe.Add(ref d, p), count, steps);
            Transform<TL, TV>(ref Unsafe.Add(ref d, half + p), count, steps);
        }

        return whole;
    }

    /// <summary>The original layout's words of pairs (first + i, second + i): the first word to y0, the second to y1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void HashPairs<TU, TUV>(PrngKey key, ref float y0, ref float y1, int first, int second, int count)
        where TU : IUInt32Lanes<TUV>
        where TUV : struct
    {
        int width = TU.Count;
        ref uint w0 = ref Unsafe.As<float, uint>(ref y0);
        ref uint w1 = ref Unsafe.As<float, uint>(ref y1);
        TUV a = TU.Add(TU.Iota, TU.Create((uint)first));
        TUV b = TU.Add(TU.Iota, TU.Create((uint)second));
        TUV step = TU.Create((uint)width);
        for (int i = 0; i < count; i += width)
        {
            TUV c0 = a, c1 = b;
            Threefry2x32.Block<TU, TUV>(key.K0, key.K1, ref c0, ref c1);
            TU.Store(c0, ref w0, (nuint)i);
            TU.Store(c1, ref w1, (nuint)i);
            a = TU.Add(a, step);
            b = TU.Add(b, step);
        }
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

using System.Numerics;
using System.Runtime.InteropServices;
using LaxScan.Numerics;

namespace LaxScan.Random;

/// <summary>
/// <c>jax.random</c> for threefry keys: split, fold_in, bits and the float32 distributions uniform, normal and
/// truncated_normal, with JAX's exact operations so the bits equal JAX's on an x86-64 CPU.
/// </summary>
/// <remarks>
/// Every function takes its key explicitly and never changes it: there is no hidden RNG state. The
/// <see cref="ThreefryMode"/> argument is JAX's <c>jax_threefry_partitionable</c> flag (default: partitionable).
/// </remarks>
public static class JaxRandom
{
    // sqrt(2) rounded to float32 (0x3FB504F3), as np.array(np.sqrt(2), float32) in jax/_src/random.py.
    private const float Sqrt2 = 1.41421354f;

    private const int ChunkLength = 2048;

    /// <summary><c>jax.random.split(key, num)</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="num"/> is negative.</exception>
    public static PrngKey[] Split(PrngKey key, int num = 2, ThreefryMode mode = ThreefryMode.Partitionable) => key.Split(num, mode);

    /// <summary><c>jax.random.fold_in(key, data)</c>.</summary>
    public static PrngKey FoldIn(PrngKey key, uint data) => key.FoldIn(data);

    /// <summary>
    /// <c>jax.random.bits(key, shape, dtype)</c>: uniformly random unsigned integers, the width given by
    /// <typeparamref name="T"/> (<see cref="byte"/> 8, <see cref="ushort"/> 16, <see cref="uint"/> 32, <see cref="ulong"/> 64).
    /// </summary>
    /// <exception cref="InsufficientMemoryException">The output cannot be allocated.</exception>
    public static NDArray<T> Bits<T>(PrngKey key, Shape shape, ThreefryMode mode = ThreefryMode.Partitionable)
        where T : unmanaged, IUnsignedNumber<T>
    {
        ArgumentNullException.ThrowIfNull(shape);
        return RandomBits.Bits<T>(key, shape, mode, SimdTiers.Default);
    }

    /// <summary>
    /// <c>jax.random.uniform(key, shape, float32, minval, maxval)</c>: floats in [minval, maxval), from 23 random
    /// mantissa bits as <c>max(minval, fma(f, maxval - minval, minval))</c> with f in [0, 1).
    /// </summary>
    /// <exception cref="InsufficientMemoryException">The output cannot be allocated.</exception>
    public static NDArray<float> Uniform(PrngKey key, Shape shape, float minval = 0f, float maxval = 1f, ThreefryMode mode = ThreefryMode.Partitionable)
    {
        var result = Allocate(shape);
        Uniform(key, result.Span, minval, maxval, mode, SimdTiers.Default);
        return result;
    }

    /// <summary><c>jax.random.normal(key, shape, float32)</c>: <c>sqrt(2) * erf_inv(u)</c> with u uniform in (-1, 1).</summary>
    /// <exception cref="InsufficientMemoryException">The output cannot be allocated.</exception>
    public static NDArray<float> Normal(PrngKey key, Shape shape, ThreefryMode mode = ThreefryMode.Partitionable)
    {
        var result = Allocate(shape);
        Normal(key, result.Span, mode, SimdTiers.Default);
        return result;
    }

    /// <summary>
    /// <c>jax.random.truncated_normal(key, lower, upper, shape, float32)</c>: a standard normal truncated to the open
    /// interval (lower, upper), by inverting the CDF between <c>erf(lower / sqrt 2)</c> and <c>erf(upper / sqrt 2)</c>.
    /// </summary>
    /// <remarks>
    /// As in JAX, the bounds are not checked: with <paramref name="lower"/> &gt;= <paramref name="upper"/> the uniform
    /// draw is its minval, <c>erf(lower / sqrt 2)</c>, everywhere, and JAX's closing <c>clip</c> (max with
    /// <c>nextafter(lower, inf)</c>, then min with <c>nextafter(upper, -inf)</c>) makes every value
    /// <c>nextafter(upper, -inf)</c>: -2.0000002 for lower 2 and upper -2 (docs/parity.md).
    /// </remarks>
    /// <exception cref="InsufficientMemoryException">The output cannot be allocated.</exception>
    public static NDArray<float> TruncatedNormal(PrngKey key, Shape shape, float lower = -2f, float upper = 2f, ThreefryMode mode = ThreefryMode.Partitionable)
    {
        var result = Allocate(shape);
        TruncatedNormal(key, result.Span, lower, upper, mode, SimdTiers.Default);
        return result;
    }

    /// <summary>
    /// <see cref="TruncatedNormal(PrngKey, Shape, float, float, ThreefryMode)"/> as a given JAX release computes it: the
    /// release's erf rule applies to the bounds, which matters only when |lower| or |upper| is at least 5.2947
    /// (erf's argument at least 3.7439).
    /// </summary>
    /// <exception cref="InsufficientMemoryException">The output cannot be allocated.</exception>
    public static NDArray<float> TruncatedNormal(PrngKey key, Shape shape, float lower, float upper, ThreefryMode mode, JaxVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var result = Allocate(shape);
        TruncatedNormal(key, result.Span, lower, upper, mode, SimdTiers.Default, version.ErfRule);
        return result;
    }

    internal static void Uniform(PrngKey key, Span<float> destination, float minval, float maxval, ThreefryMode mode, SimdTier tier)
    {
        minval = XlaMath.FlushToZero(minval);
        maxval = XlaMath.FlushToZero(maxval);
        // The random words are generated into the output itself and turned into floats in place.
        RandomBits.Fill32(key, MemoryMarshal.Cast<float, uint>(destination), mode, tier);
        DistributionKernels.UniformFromBits(destination, XlaMath.FlushToZero(maxval - minval), minval, tier);
    }

    internal static void Normal(PrngKey key, Span<float> destination, ThreefryMode mode, SimdTier tier)
    {
        // u in [nextafter(-1, 0), 1): erf_inv never sees -1, so no -inf.
        float lo = XlaMath.NextAfter(-1f, 0f);
        Uniform(key, destination, lo, 1f, mode, tier);
        for (int start = 0; start < destination.Length; start += ChunkLength)
        {
            Span<float> chunk = destination.Slice(start, Math.Min(ChunkLength, destination.Length - start));
            XlaMath.ErfInv(chunk, chunk, tier);
            DistributionKernels.Scale(chunk, Sqrt2, tier);
        }
    }

    internal static void TruncatedNormal(PrngKey key, Span<float> destination, float lower, float upper, ThreefryMode mode, SimdTier tier, ErfRule erfRule = ErfRule.SaturateFrom3_7439) =>
        TruncatedNormalFill.Fill(key, destination, lower, upper, scale: null, mode, tier, erfRule);

    private static NDArray<float> Allocate(Shape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return new NDArray<float>(shape);
    }
}

namespace LaxScan.Random;

/// <summary>
/// A JAX threefry PRNG key: two uint32 words, as <c>jax.random.PRNGKey(seed)</c> makes them
/// (or <c>jax.random.key_data(jax.random.key(seed))</c>).
/// </summary>
/// <param name="K0">The first key word.</param>
/// <param name="K1">The second key word.</param>
public readonly record struct PrngKey(uint K0, uint K1)
{
    /// <summary>
    /// <c>jax.random.PRNGKey(seed)</c>. With JAX's default 64-bit mode off the key is <c>[0, seed mod 2^32]</c>
    /// (so -1 gives <c>[0, 4294967295]</c>); with <paramref name="enableX64"/> it is the seed's two's-complement halves.
    /// </summary>
    /// <param name="seed">The seed; every signed 64-bit value is valid (JAX rejects larger ones with an OverflowError).</param>
    /// <param name="enableX64">JAX's <c>jax_enable_x64</c> flag.</param>
    public static PrngKey FromSeed(long seed, bool enableX64 = false) =>
        enableX64 ? new PrngKey((uint)((ulong)seed >> 32), (uint)seed) : new PrngKey(0, (uint)seed);

    /// <summary><c>jax.random.fold_in(key, data)</c>: a new key that mixes <paramref name="data"/> into this one (the same in both threefry modes).</summary>
    public PrngKey FoldIn(uint data)
    {
        (uint y0, uint y1) = Threefry2x32.Block(K0, K1, 0, data);
        return new PrngKey(y0, y1);
    }

    /// <summary><c>jax.random.split(key, num)</c>: <paramref name="num"/> new keys.</summary>
    /// <param name="num">How many keys; zero or more.</param>
    /// <param name="mode">The threefry counter layout; JAX's default is <see cref="ThreefryMode.Partitionable"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="num"/> is negative.</exception>
    /// <exception cref="InsufficientMemoryException">The keys cannot be allocated.</exception>
    public PrngKey[] Split(int num = 2, ThreefryMode mode = ThreefryMode.Partitionable)
    {
        if (num < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange($"split needs num >= 0, but was given {num}", nameof(num));
        }

        ArraySize.EnsureAllocatable(2L * num, sizeof(uint), $"split into {num} keys");
        var keys = new PrngKey[num];
        if (mode == ThreefryMode.Partitionable)
        {
            // Key i is block(key, hi32(i), lo32(i)): the same as fold_in(key, i) for i < 2^32.
            for (int i = 0; i < num; i++)
            {
                keys[i] = FoldIn((uint)i);
            }
        }
        else
        {
            // threefry_2x32(key, iota(2 num)) reshaped to (num, 2).
            var words = new uint[2 * (long)num];
            RandomBits.HashIotaOriginal(this, words);
            for (int i = 0; i < num; i++)
            {
                keys[i] = new PrngKey(words[2 * i], words[(2 * i) + 1]);
            }
        }

        return keys;
    }

    /// <summary>The key as JAX prints its data: <c>[k0, k1]</c>.</summary>
    public override string ToString() => $"[{K0}, {K1}]";
}

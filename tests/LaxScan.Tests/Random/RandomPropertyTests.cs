using LaxScan.Numerics;
using LaxScan.Random;

namespace LaxScan.Tests.Random;

/// <summary>Properties that follow from JAX's definitions, checked over many keys and sizes.</summary>
public class RandomPropertyTests
{
    private static readonly PrngKey[] Keys = [PrngKey.FromSeed(0), PrngKey.FromSeed(-1), new PrngKey(0xDEADBEEF, 0x12345678)];

    [Fact]
    public void Partitionable_split_n_i_is_fold_in_i()
    {
        foreach (PrngKey key in Keys)
        {
            foreach (int n in new[] { 0, 1, 2, 3, 17, 300 })
            {
                PrngKey[] split = key.Split(n);
                Assert.Equal(n, split.Length);
                for (int i = 0; i < n; i++)
                {
                    Assert.Equal(key.FoldIn((uint)i), split[i]);
                }
            }
        }
    }

    public static TheoryData<ThreefryMode> Modes => [ThreefryMode.Partitionable, ThreefryMode.Original];

    [Theory]
    [MemberData(nameof(Modes))]
    public void Bits_depend_on_the_size_not_the_shape(ThreefryMode mode)
    {
        foreach (PrngKey key in Keys)
        {
            Assert.Equal(JaxRandom.Bits<uint>(key, new Shape(6), mode).Data, JaxRandom.Bits<uint>(key, new Shape(2, 3), mode).Data);
            Assert.Equal(JaxRandom.Bits<byte>(key, new Shape(6), mode).Data, JaxRandom.Bits<byte>(key, new Shape(3, 2), mode).Data);
            Assert.Equal(JaxRandom.Bits<ushort>(key, new Shape(6), mode).Data, JaxRandom.Bits<ushort>(key, new Shape(1, 2, 3), mode).Data);
            Assert.Equal(JaxRandom.Bits<ulong>(key, new Shape(6), mode).Data, JaxRandom.Bits<ulong>(key, new Shape(2, 3), mode).Data);
            Bits.Equal(JaxRandom.Normal(key, new Shape(6), mode).Span, JaxRandom.Normal(key, new Shape(2, 3), mode).Span);
        }
    }

    /// <summary>threefry_2x32(key, iota(n)) as jax/_src/prng.py defines it: pad an odd count with one 0, cut in halves X0 and X1, hash pairwise, concatenate Y0 and Y1, drop the pad.</summary>
    private static uint[] Threefry2x32OfIota(PrngKey key, int n)
    {
        uint[] counts = [.. Enumerable.Range(0, n).Select(i => (uint)i), .. (n % 2 == 1 ? new uint[] { 0 } : [])];
        int half = counts.Length / 2;
        var y = new uint[counts.Length];
        for (int i = 0; i < half; i++)
        {
            (y[i], y[half + i]) = Threefry2x32.Block(key.K0, key.K1, counts[i], counts[half + i]);
        }

        return y[..n];
    }

    [Theory]
    [InlineData(7, 3)]    // max_count = 7 words, blocks of 3: two full blocks and a remainder of 1
    [InlineData(9, 3)]    // a remainder of 0: the (nblocks + 1)-way split still happens, the last key unused
    [InlineData(10, 4)]
    [InlineData(5, 8)]    // below the limit: no chunking
    public void Original_bits_chunk_through_split_once_the_count_reaches_the_limit(int words, int limit)
    {
        // _threefry_random_bits_original: nblocks, rem = divmod(max_count, limit); keys = split(key, nblocks + 1)
        // (original layout); blocks hash iota(limit) under keys[:-1], the last key hashes iota(rem).
        PrngKey key = PrngKey.FromSeed(1701);
        int blocks = words / limit;
        int rem = words % limit;
        uint[] expected;
        if (blocks == 0)
        {
            expected = Threefry2x32OfIota(key, words);
        }
        else
        {
            PrngKey[] keys = key.Split(blocks + 1, ThreefryMode.Original);
            expected = [.. keys[..^1].SelectMany(k => Threefry2x32OfIota(k, limit)), .. Threefry2x32OfIota(keys[^1], rem)];
        }

        NDArray<uint> actual = RandomBits.Bits<uint>(key, new Shape(words), ThreefryMode.Original, SimdTiers.Default, originalChunkWords: limit);
        Assert.Equal(expected, actual.Data);

        // 64-bit draws use twice the words and split them in halves A and B after the chunking.
        NDArray<ulong> wide = RandomBits.Bits<ulong>(key, new Shape(words), ThreefryMode.Original, SimdTiers.Default, originalChunkWords: limit);
        int wideBlocks = (2 * words) / limit;
        uint[] all = wideBlocks == 0
            ? Threefry2x32OfIota(key, 2 * words)
            : [.. key.Split(wideBlocks + 1, ThreefryMode.Original)[..^1].SelectMany(k => Threefry2x32OfIota(k, limit)),
               .. Threefry2x32OfIota(key.Split(wideBlocks + 1, ThreefryMode.Original)[^1], (2 * words) % limit)];
        Assert.Equal(Enumerable.Range(0, words).Select(i => ((ulong)all[i] << 32) | all[words + i]), wide.Data);
    }

    [Fact]
    public void The_default_limit_is_JAX_s_uint32_max()
    {
        Assert.Equal(0xFFFF_FFFFL, RandomBits.OriginalChunkWords);
    }

    [Fact]
    public void Threefry2x32_of_iota_here_agrees_with_the_library_s_original_layout()
    {
        foreach (int n in new[] { 0, 1, 2, 5, 6, 1025 })
        {
            var words = new uint[n];
            RandomBits.HashIotaOriginal(Keys[2], words);
            Assert.Equal(Threefry2x32OfIota(Keys[2], n), words);
        }
    }
}

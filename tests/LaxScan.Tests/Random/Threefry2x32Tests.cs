using LaxScan.Numerics;
using LaxScan.Random;

namespace LaxScan.Tests.Random;

public class Threefry2x32Tests
{
    [Theory]
    [MemberData(nameof(PublishedVectors.Threefry2x32Block), MemberType = typeof(PublishedVectors))]
    public void Block_matches_Random123_known_answers(uint k0, uint k1, uint x0, uint x1, uint y0, uint y1)
    {
        Assert.Equal((y0, y1), Threefry2x32.Block(k0, k1, x0, x1));
    }

    // The vector tiers only: the scalar tier hashes with Block itself, so comparing it with Block could not fail.
    public static TheoryData<SimdTier> Tiers => [SimdTier.Vector128, SimdTier.Vector256, SimdTier.Vector512];

    [Theory]
    [MemberData(nameof(Tiers))]
    public void Every_tier_hashes_explicit_counters_like_the_scalar_block(SimdTier tier)
    {
        var rng = new System.Random(7);
        for (int n = 0; n <= 257; n++)
        {
            var key = new PrngKey((uint)rng.Next(), (uint)rng.Next());
            uint[] x0 = Enumerable.Range(0, n).Select(_ => (uint)rng.NextInt64(0, 1L << 32)).ToArray();
            uint[] x1 = Enumerable.Range(0, n).Select(_ => (uint)rng.NextInt64(0, 1L << 32)).ToArray();
            var y0 = new uint[n];
            var y1 = new uint[n];
            Threefry2x32.Hash(key, x0, x1, y0, y1, tier);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(Threefry2x32.Block(key.K0, key.K1, x0[i], x1[i]), (y0[i], y1[i]));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void Every_tier_hashes_the_64_bit_iota_like_the_scalar_block_across_a_low_word_carry(SimdTier tier)
    {
        var key = new PrngKey(0x01234567, 0x89ABCDEF);
        foreach (ulong start in new ulong[] { 0, 5, 0xFFFF_FFF0, 0x1_FFFF_FFF9 })
        {
            for (int n = 0; n <= 70; n++)
            {
                var y0 = new uint[n];
                var y1 = new uint[n];
                Threefry2x32.HashIota64(key, start, y0, y1, tier);
                for (int i = 0; i < n; i++)
                {
                    ulong c = start + (ulong)i;
                    Assert.Equal(Threefry2x32.Block(key.K0, key.K1, (uint)(c >> 32), (uint)c), (y0[i], y1[i]));
                }
            }
        }
    }
}

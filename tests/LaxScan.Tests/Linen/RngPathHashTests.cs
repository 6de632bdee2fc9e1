using LaxScan.Linen;
using LaxScan.Random;
using static LaxScan.Tests.Linen.HandDerived;

namespace LaxScan.Tests.Linen;

public class RngPathHashTests
{
    [Fact]
    public void RootFirstCounterHashesTheSingleByte01()
    {
        // docs jax-parity.md section 6: a root module's first param uses SHA-1(0x01) -> 3213575472.
        Assert.Equal(3213575472u, RngPathHash.Hash([RngFoldable.Of(1)], fixSeparator: false));
        Assert.Equal(3213575472u, Sha1Head([0x01]));
    }

    [Theory]
    [InlineData(0L, new byte[0])]
    [InlineData(1L, new byte[] { 0x01 })]
    [InlineData(255L, new byte[] { 0xFF })]
    [InlineData(256L, new byte[] { 0x01, 0x00 })]
    [InlineData(65536L, new byte[] { 0x01, 0x00, 0x00 })]
    [InlineData(4294967296L, new byte[] { 0x01, 0x00, 0x00, 0x00, 0x00 })]
    public void CountersAddTheirMinimalBigEndianBytes(long counter, byte[] bytes)
    {
        // Python: x.to_bytes((x.bit_length() + 7) // 8, 'big').
        Assert.Equal(Sha1Head(Bytes("Dense_0"), bytes), RngPathHash.Hash([RngFoldable.Of("Dense_0"), RngFoldable.Of(counter)], false));
    }

    [Fact]
    public void NamesAddTheirUtf8Bytes()
    {
        Assert.Equal(Sha1Head(Bytes("Äbc_0"), Bytes("Dense_1"), [2]), RngPathHash.Hash([RngFoldable.Of("Äbc_0"), RngFoldable.Of("Dense_1"), RngFoldable.Of(2)], false));
    }

    [Fact]
    public void TheSeparatorPrecedesEveryItem()
    {
        Assert.Equal(Sha1Head([0], Bytes("a"), [0], Bytes("b"), [0], [3]), RngPathHash.Hash([RngFoldable.Of("a"), RngFoldable.Of("b"), RngFoldable.Of(3)], true));
    }

    [Fact]
    public void WithoutSeparatorAbCAndABcCollideWithItTheyDoNot()
    {
        // Flax tests/core/core_scope_test.py test_fold_in_static_seperator: ('ab','c') vs ('a','bc') differ with the flag.
        RngFoldable[] x = [RngFoldable.Of("ab"), RngFoldable.Of("c")];
        RngFoldable[] y = [RngFoldable.Of("a"), RngFoldable.Of("bc")];
        Assert.Equal(RngPathHash.Hash(x, false), RngPathHash.Hash(y, false));
        Assert.NotEqual(RngPathHash.Hash(x, true), RngPathHash.Hash(y, true));
    }

    [Fact]
    public void AnEmptyPathLeavesTheKeyAlone()
    {
        PrngKey key = PrngKey.FromSeed(7);
        Assert.Equal(key, RngPathHash.FoldIn(key, [], false));
    }

    [Fact]
    public void NegativeCountersAreRejectedAsPythonWould()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RngFoldable.Of(-1));
    }
}

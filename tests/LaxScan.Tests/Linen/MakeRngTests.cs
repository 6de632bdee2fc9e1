using LaxScan.Linen;
using LaxScan.Random;
using static LaxScan.Tests.Linen.HandDerived;

namespace LaxScan.Tests.Linen;

public class MakeRngTests
{
    private static Dictionary<string, PrngKey> Stream(long seed) => new() { ["rng_stream"] = PrngKey.FromSeed(seed) };

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void RootModuleMatchesTheRngGuide(long seed)
    {
        var log = new List<PrngKey>();
        new RNGModule(log, 3).Init(Stream(seed), 0);
        Assert.Equal(seed == 0 ? FlaxPublished.RootKey0 : FlaxPublished.RootKey1, log);
    }

    [Fact]
    public void TwoStreamsCountSeparately()
    {
        // rng guide cell 16: each stream gives the same keys as when it is alone.
        var log = new List<PrngKey>();
        var module = Probes.Of(scope =>
        {
            for (int i = 0; i < 3; i++)
            {
                log.Add(scope.MakeRng("rng_stream1"));
                log.Add(scope.MakeRng("rng_stream2"));
            }
        });
        module.Init(new Dictionary<string, PrngKey> { ["rng_stream1"] = PrngKey.FromSeed(0), ["rng_stream2"] = PrngKey.FromSeed(1) }, 0);
        PrngKey[] k0 = FlaxPublished.RootKey0, k1 = FlaxPublished.RootKey1;
        Assert.Equal([k0[0], k1[0], k0[1], k1[1], k0[2], k1[2]], log);
    }

    [Fact]
    public void NestedSubmodulesMatchTheRngGuide()
    {
        // rng guide cell 28.
        var log = new List<PrngKey>();
        new RNGModule(log, 2, new RNGSubModule(log, nested: true)).Init(Stream(0), 0);
        Assert.Equal([.. FlaxPublished.RootKey0[..2], .. FlaxPublished.SubModule0, .. FlaxPublished.SubSubModule0], log);
    }

    [Fact]
    public void SiblingSubmodulesMatchTheRngGuide()
    {
        // rng guide cell 32.
        var log = new List<PrngKey>();
        new RNGModule(log, 2, new RNGSubModule(log, false), new RNGSubModule(log, false)).Init(Stream(0), 0);
        Assert.Equal([.. FlaxPublished.RootKey0[..2], .. FlaxPublished.SubModule0, .. FlaxPublished.SubModule1], log);
    }

    [Fact]
    public void PublishedSubmoduleKeysFollowTheHandRule()
    {
        // The guide's own cell 30 recomputes them as fold_in(key, sha1(path + count)); so does this test.
        PrngKey root = PrngKey.FromSeed(0);
        Assert.Equal(FlaxPublished.SubModule0, new[] { Key(root, 1, "RNGSubModule_0"), Key(root, 2, "RNGSubModule_0") });
        Assert.Equal(FlaxPublished.SubSubModule0, new[] { Key(root, 1, "RNGSubModule_0", "RNGSubSubModule_0"), Key(root, 2, "RNGSubModule_0", "RNGSubSubModule_0") });
    }

    [Fact]
    public void CallingOneSubmoduleInstanceTwiceKeepsCounting()
    {
        // Flax rewinds a compact submodule's scope on each call but keeps its rng counters.
        var log = new List<PrngKey>();
        var sub = new RNGSubModule(log, false);
        new RNGModule(log, 0, sub, sub).Init(Stream(0), 0);
        PrngKey root = PrngKey.FromSeed(0);
        Assert.Equal(Enumerable.Range(1, 4).Select(c => Key(root, c, "RNGSubModule_0")), log);
    }

    [Fact]
    public void FixRngSeparatorPutsAZeroByteBeforeEachItem()
    {
        var log = new List<PrngKey>();
        new RNGModule(log, 1, new RNGSubModule(log, true)).Init(Stream(0), 0, new LinenOptions(FixRngSeparator: true));
        PrngKey root = PrngKey.FromSeed(0);
        Assert.Equal(root.FoldIn(Sha1Head([0], [1])), log[0]);
        Assert.Equal(root.FoldIn(Sha1Head([0], Bytes("RNGSubModule_0"), [0], [1])), log[1]);
        Assert.Equal(root.FoldIn(Sha1Head([0], Bytes("RNGSubModule_0"), [0], Bytes("RNGSubSubModule_0"), [0], [2])), log[4]);
    }

    [Fact]
    public void AMissingStreamFallsBackToParams()
    {
        var keys = new List<PrngKey>();
        Probes.Of(scope => keys.Add(scope.MakeRng("dropout"))).Init(PrngKey.FromSeed(0), 0);
        Assert.Equal(FlaxPublished.RootKey0[0], keys[0]);
    }

    [Fact]
    public void AMissingStreamWithoutParamsIsAnInvalidRngError()
    {
        var error = Assert.Throws<InvalidRngError>(() => new RNGModule([], 0, new RNGSubModule([], false)).Init(new Dictionary<string, PrngKey>(), 0));
        Assert.Equal("RNGSubModule_0 needs PRNG for \"rng_stream\" (https://flax.readthedocs.io/en/latest/api_reference/flax.errors.html#flax.errors.InvalidRngError)", error.Message);
        Assert.Equal("RNGSubModule_0", error.ScopeName);
        var root = Assert.Throws<InvalidRngError>(() => new RNGModule([], 1).Apply(Variables.Empty, 0));
        Assert.StartsWith("None needs PRNG for \"rng_stream\"", root.Message, StringComparison.Ordinal);
    }
}

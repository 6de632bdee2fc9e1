using LaxScan.Random;

namespace LaxScan.Tests.Random;

/// <summary>
/// JAX's published outputs for keys and distributions. Where each value is published (jax-ml/jax at tag jax-v0.11.0):
/// <list type="bullet">
/// <item><c>split(PRNGKey(0), 4)</c> and <c>fold_in(PRNGKey(0), 4)</c> (original): tests/random_test.py:400-409.</item>
/// <item><c>bits</c> of seed 1701 as uint8, uint16, uint32 (original): tests/random_test.py:268-276.</item>
/// <item><c>split(key(0))</c> (partitionable): the keys of jax/_src/random/stateful_rng.py:96-101's docstring
/// (<c>stateful_rng(0).key()</c> twice).</item>
/// <item><c>uniform(key(0), (3,))</c>: docs/jep/9263-typed-keys.md:177 (and its first element, jax/random.py:48).</item>
/// <item><c>normal(key(42), (3,))</c>: the rendered output of JAX's "Pseudorandom numbers" page
/// (docs.jax.dev/en/latest/random-numbers.html, "all at once"); not in the repository's text.</item>
/// <item><c>normal(PRNGKey(0))</c> = -0.20584226 (original): printed in JAX's key-reuse docstring before keys became
/// partitionable by default and in many users' tests; not found in jax-v0.11.0's text.</item>
/// <item><c>bits(key(0))</c> = 4070199207 and <c>normal(key(0), (3,))</c>: found in no file of the jax repository at
/// jax-v0.11.0; they rest on the project's first spec only (and bits(key(0)) on the Random123 answers that
/// tests/random_impl_test.py:57 checks).</item>
/// </list>
/// </summary>
public class JaxRandomTests
{
    private static readonly PrngKey Key0 = PrngKey.FromSeed(0);

    [Fact]
    public void PRNGKey_with_x64_off_is_zero_and_the_seed_mod_2_pow_32()
    {
        Assert.Equal(new PrngKey(0, 0), PrngKey.FromSeed(0));
        Assert.Equal(new PrngKey(0, 4294967295), PrngKey.FromSeed(-1));
        Assert.Equal(new PrngKey(0, 5), PrngKey.FromSeed((1L << 32) + 5));
        Assert.Equal(new PrngKey(0, 0x80000000), PrngKey.FromSeed(long.MinValue + 0x80000000L));
    }

    [Fact]
    public void PRNGKey_with_x64_on_is_the_two_complement_halves()
    {
        Assert.Equal(new PrngKey(0, 42), PrngKey.FromSeed(42, enableX64: true));
        Assert.Equal(new PrngKey(0xFFFFFFFF, 0xFFFFFFFF), PrngKey.FromSeed(-1, enableX64: true));
        Assert.Equal(new PrngKey(1, 5), PrngKey.FromSeed((1L << 32) + 5, enableX64: true));
    }

    [Fact]
    public void Split_original_matches_JAX()
    {
        // jax.random.split(PRNGKey(0), 4) with jax_threefry_partitionable=False.
        PrngKey[] keys = Key0.Split(4, ThreefryMode.Original);
        Assert.Equal(
            new[] { new PrngKey(2285895361, 1501764800), new PrngKey(1518642379, 4090693311), new PrngKey(433833334, 4221794875), new PrngKey(839183663, 3740430601) },
            keys);
    }

    [Fact]
    public void FoldIn_matches_JAX_in_both_modes()
    {
        Assert.Equal(new PrngKey(2285895361, 433833334), Key0.FoldIn(4));
    }

    [Fact]
    public void Split_partitionable_matches_JAX()
    {
        Assert.Equal(new[] { new PrngKey(1797259609, 2579123966), new PrngKey(928981903, 3453687069) }, Key0.Split());
    }

    [Fact]
    public void Bits_partitionable_matches_JAX()
    {
        Assert.Equal(4070199207u, JaxRandom.Bits<uint>(Key0, Shape.Scalar).Span[0]);
    }

    [Fact]
    public void Bits_original_of_seed_1701_match_JAX_at_every_width()
    {
        var key = PrngKey.FromSeed(1701);
        var shape = new Shape(3);
        Assert.Equal(new byte[] { 216, 115, 43 }, JaxRandom.Bits<byte>(key, shape, ThreefryMode.Original).Span.ToArray());
        Assert.Equal(new ushort[] { 41682, 1300, 55017 }, JaxRandom.Bits<ushort>(key, shape, ThreefryMode.Original).Span.ToArray());
        Assert.Equal(new uint[] { 56197195, 4200222568, 961309823 }, JaxRandom.Bits<uint>(key, shape, ThreefryMode.Original).Span.ToArray());
    }

    [Fact]
    public void Uniform_partitionable_matches_JAX()
    {
        Assert.Equal(["0.947667", "0.9785799", "0.33229148"], Printed(JaxRandom.Uniform(Key0, new Shape(3))));
    }

    [Fact]
    public void Normal_partitionable_matches_JAX()
    {
        // JAX printed these as numpy array reprs (8 fractional digits at most), so they are compared as printed.
        Assert.Equal(["-0.02830462", "0.46713185", "0.29570296"], Printed(JaxRandom.Normal(PrngKey.FromSeed(42), new Shape(3))));
        Assert.Equal(["1.6226422", "2.0252647", "-0.43359444"], Printed(JaxRandom.Normal(Key0, new Shape(3))));
    }

    [Fact]
    public void Normal_original_matches_JAX()
    {
        Assert.Equal(["-0.20584226"], Printed(JaxRandom.Normal(Key0, Shape.Scalar, ThreefryMode.Original)));
    }

    private static string[] Printed(NDArray<float> array) => [.. array.Data.Select(NumpyText.Format)];
}

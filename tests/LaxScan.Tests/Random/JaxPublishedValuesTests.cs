using LaxScan.Random;

namespace LaxScan.Tests.Random;

/// <summary>
/// More values JAX publishes in its docs, docstrings and tests (found by reading jax-ml/jax and its history), each
/// test naming its source. Values JAX printed inside arrays are compared as numpy prints them.
/// </summary>
public class JaxPublishedValuesTests
{
    private static readonly PrngKey Key0 = PrngKey.FromSeed(0);

    private static string[] Printed(NDArray<float> array) => [.. array.Data.Select(NumpyText.Format)];

    [Fact]
    public void Stateful_rng_docstring_keys_are_fold_in_0_and_1()
    {
        // jax/_src/random/stateful_rng.py docstring: the first two keys of stateful_rng(0).
        Assert.Equal(new PrngKey(1797259609, 2579123966), Key0.FoldIn(0));
        Assert.Equal(new PrngKey(928981903, 3453687069), Key0.FoldIn(1));
    }

    [Fact]
    public void Module_docstring_uniform_of_a_key_and_of_its_split_partitionable()
    {
        // jax/random.py module docstring (JAX >= 0.5): uniform(key(0)) and, after key, sub = split(key), uniform(sub).
        Assert.Equal(["0.947667"], Printed(JaxRandom.Uniform(Key0, Shape.Scalar)));
        Assert.Equal(["0.00729382"], Printed(JaxRandom.Uniform(Key0.Split()[1], Shape.Scalar)));
    }

    [Fact]
    public void Module_docstring_uniform_of_a_key_and_of_its_split_original()
    {
        // The same docstring before commit a60ead6fd1 switched it to the partitionable values.
        Assert.Equal(["0.41845703"], Printed(JaxRandom.Uniform(Key0, Shape.Scalar, mode: ThreefryMode.Original)));
        Assert.Equal(["0.10536897"], Printed(JaxRandom.Uniform(Key0.Split(2, ThreefryMode.Original)[1], Shape.Scalar, mode: ThreefryMode.Original)));
    }

    [Fact]
    public void Typed_keys_JEP_uniform_of_three_original()
    {
        // docs/jep/9263-typed-keys.md before a60ead6fd1 (the partitionable values are in JaxRandomTests).
        Assert.Equal(["0.9653214", "0.31468165", "0.63302994"], Printed(JaxRandom.Uniform(Key0, new Shape(3), mode: ThreefryMode.Original)));
    }

    [Fact]
    public void Bits_of_seed_1701_at_width_64_with_x64_original()
    {
        // tests/random_test.py testRngRandomBits, the uint64 row (x64 on; the key is still [0, 1701]).
        Assert.Equal(
            new ulong[] { 3982329540505020460, 16822122385914693683, 7882654074788531506 },
            JaxRandom.Bits<ulong>(PrngKey.FromSeed(1701, enableX64: true), new Shape(3), ThreefryMode.Original).Span.ToArray());
    }

    [Fact]
    public void Random_numbers_tutorial_three_normals_from_PRNGKey_12_original()
    {
        // JAX's "Pseudorandom numbers" tutorial (older docs, original mode): key = PRNGKey(12), then three times
        // key, subkey = split(key); print(normal(subkey)). Python printed the float32 results as float64 reprs, which
        // name each float32 exactly.
        double[] published = [0.735927939414978, 1.810187578201294, 0.11553369462490082];
        PrngKey key = PrngKey.FromSeed(12);
        foreach (double expected in published)
        {
            PrngKey[] pair = key.Split(2, ThreefryMode.Original);
            key = pair[0];
            Bits.Equal((float)expected, JaxRandom.Normal(pair[1], Shape.Scalar, ThreefryMode.Original).Span[0]);
        }
    }

    /// <summary>tests/random_test.py _RANDOM_VALUES_CASES: seed = zlib.adler32(name + "threefry2x32"), shape (5,), original mode.</summary>
    private static PrngKey CaseKey(string name, bool x64 = false) => PrngKey.FromSeed(Adler32($"{name}threefry2x32"), x64);

    private static long Adler32(string text)
    {
        uint a = 1, b = 0;
        foreach (byte c in System.Text.Encoding.UTF8.GetBytes(text))
        {
            a = (a + c) % 65521;
            b = (b + a) % 65521;
        }

        return (b << 16) | a;
    }

    [Fact]
    public void Random_values_cases_bits_are_exact()
    {
        var shape = new Shape(5);
        PrngKey key = CaseKey("bits");
        Assert.Equal(new byte[] { 10, 158, 82, 54, 158 }, JaxRandom.Bits<byte>(key, shape, ThreefryMode.Original).Span.ToArray());
        Assert.Equal(new ushort[] { 6738, 38161, 50695, 57337, 61600 }, JaxRandom.Bits<ushort>(key, shape, ThreefryMode.Original).Span.ToArray());
        Assert.Equal(new uint[] { 1978747883, 4134381225, 3628107870, 689687174, 2788938207 }, JaxRandom.Bits<uint>(key, shape, ThreefryMode.Original).Span.ToArray());
        Assert.Equal(
            new ulong[] { 17649965731882839947, 1415307058040849897, 8282622628079774249, 14024425113645909402, 2012979996110532418 },
            JaxRandom.Bits<ulong>(CaseKey("bits", x64: true), shape, ThreefryMode.Original).Span.ToArray());
    }

    public static TheoryData<string, double[]> SixDecimalCases => new()
    {
        { "uniform", [0.298671, 0.073213, 0.873356, 0.260549, 0.412797] },
        { "normal", [-1.173234, -1.511662, 0.070593, -0.099764, 1.052845] },
        { "truncated_normal", [0.582807, 1.709771, 0.159513, 0.861376, 0.36148] },
    };

    [Theory]
    [MemberData(nameof(SixDecimalCases))]
    public void Random_values_cases_match_to_the_six_decimals_published(string name, double[] expected)
    {
        // These rows were printed with six decimals, so six decimals is all they pin down.
        PrngKey key = CaseKey(name);
        var shape = new Shape(5);
        NDArray<float> actual = name switch
        {
            "uniform" => JaxRandom.Uniform(key, shape, mode: ThreefryMode.Original),
            "normal" => JaxRandom.Normal(key, shape, ThreefryMode.Original),
            _ => JaxRandom.TruncatedNormal(key, shape, 0f, 2f, ThreefryMode.Original),
        };
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].ToString("F6", System.Globalization.CultureInfo.InvariantCulture), ((double)actual.Span[i]).ToString("F6", System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}

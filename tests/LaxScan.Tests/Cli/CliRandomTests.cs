using System.Text.Json;
using LaxScan.Random;
using static LaxScan.Tests.Cli.CliHarness;

namespace LaxScan.Tests.Cli;

/// <summary>
/// <c>laxscan random ...</c> against JAX's published outputs (where each is published: <see cref="Random.JaxRandomTests"/>), and against the
/// library's own API where JAX publishes nothing. No expected value here was printed by the CLI first.
/// </summary>
public class CliRandomTests
{
    [Fact]
    public void Split_seed_0_is_JAXs_partitionable_split()
    {
        CliRun run = Run("random", "split", "--seed", "0");
        Assert.Equal("[[1797259609,2579123966],[928981903,3453687069]]", run.Text);
        _ = run.Json;
    }

    [Fact]
    public void Split_original_num_4_is_JAXs_split()
    {
        CliRun run = Run("random", "split", "--seed", "0", "--num", "4", "--threefry", "original");
        Assert.Equal("[[2285895361,1501764800],[1518642379,4090693311],[433833334,4221794875],[839183663,3740430601]]", run.Text);
    }

    [Theory]
    [InlineData("partitionable")]
    [InlineData("original")]
    public void Fold_in_4_is_JAXs_in_both_modes(string mode)
    {
        Assert.Equal("[2285895361,433833334]", Run("random", "fold-in", "--seed", "0", "--data", "4", "--threefry", mode).Text);
    }

    [Fact]
    public void Bits_seed_0_is_a_bare_number()
    {
        CliRun run = Run("random", "bits", "--seed", "0");
        Assert.Equal("4070199207", run.Text);
        Assert.Equal(JsonValueKind.Number, run.Json.ValueKind);
    }

    [Theory]
    [InlineData("8", "[216,115,43]")]
    [InlineData("16", "[41682,1300,55017]")]
    [InlineData("32", "[56197195,4200222568,961309823]")]
    public void Bits_seed_1701_original_are_JAXs(string width, string expected)
    {
        Assert.Equal(expected, Run("random", "bits", "--seed", "1701", "--shape", "3", "--width", width, "--threefry", "original").Text);
    }

    [Theory]
    [InlineData("partitionable")]
    [InlineData("original")]
    public void Bits_64_are_the_librarys(string mode)
    {
        ThreefryMode m = mode == "original" ? ThreefryMode.Original : ThreefryMode.Partitionable;
        ulong[] expected = JaxRandom.Bits<ulong>(PrngKey.FromSeed(3), new Shape(5), m).Data;
        Assert.Equal(expected, Integers(Run("random", "bits", "--seed", "3", "--shape", "5", "--width", "64", "--threefry", mode).Json));
    }

    [Fact]
    public void Uniform_seed_0_is_JAXs()
    {
        float[] values = Floats(Run("random", "uniform", "--seed", "0", "--shape", "3").Json);
        Assert.Equal(["0.947667", "0.9785799", "0.33229148"], values.Select(NumpyText.Format));
    }

    [Fact]
    public void Normal_seed_42_is_JAXs_and_prints_the_shortest_float32_text()
    {
        CliRun run = Run("random", "normal", "--seed", "42", "--shape", "3");

        // cli.md's own example: the shortest round-trip text of the float numpy prints as -0.02830462.
        Assert.StartsWith("[-0.028304616,", run.Text, StringComparison.Ordinal);
        Assert.Equal(["-0.02830462", "0.46713185", "0.29570296"], Floats(run.Json).Select(NumpyText.Format));
    }

    [Fact]
    public void Normal_seed_0_is_JAXs()
    {
        Assert.Equal(["1.6226422", "2.0252647", "-0.43359444"], Floats(Run("random", "normal", "--seed", "0", "--shape", "3").Json).Select(NumpyText.Format));
    }

    [Fact]
    public void Normal_original_scalar_is_JAXs_bare_number()
    {
        CliRun run = Run("random", "normal", "--seed", "0", "--threefry", "original");
        Assert.Equal(JsonValueKind.Number, run.Json.ValueKind);
        Assert.Equal("-0.20584226", NumpyText.Format(Float(run.Json)));
    }

    [Fact]
    public void Key_and_seed_name_the_same_keys_as_PRNGKey()
    {
        // PRNGKey(S) with x64 off is [0, S mod 2^32]: so -1 is [0, 4294967295] and 2^32 + 5 is [0, 5].
        Assert.Equal(Run("random", "split", "--seed", "0").Text, Run("random", "split", "--key", "0,0").Text);
        Assert.Equal(Run("random", "split", "--seed", "-1").Text, Run("random", "split", "--key", "0,4294967295").Text);
        Assert.Equal(Run("random", "split", "--seed", "4294967301").Text, Run("random", "split", "--key", "0,5").Text);
        Assert.Equal(Run("random", "split", "--seed=-9223372036854775808").Text, Run("random", "split", "--key", "0,0").Text);
        Assert.Equal(Run("random", "split").Text, Run("random", "split", "--seed", "0").Text);
    }

    [Fact]
    public void Split_with_a_raw_key_is_the_librarys()
    {
        var key = new PrngKey(123456789, 4000000000);
        PrngKey[] keys = JaxRandom.Split(key, 3, ThreefryMode.Original);
        string expected = "[" + string.Join(',', keys.Select(k => $"[{k.K0},{k.K1}]")) + "]";
        Assert.Equal(expected, Run("random", "split", "--key", "123456789,4000000000", "--num", "3", "--threefry", "original").Text);
    }

    [Fact]
    public void Split_num_0_is_an_empty_array()
    {
        Assert.Equal("[]", Run("random", "split", "--num", "0").Text);
    }

    [Theory]
    [InlineData("partitionable")]
    [InlineData("original")]
    public void Uniform_with_bounds_is_the_librarys(string mode)
    {
        ThreefryMode m = mode == "original" ? ThreefryMode.Original : ThreefryMode.Partitionable;
        NDArray<float> expected = JaxRandom.Uniform(new PrngKey(1, 2), new Shape(2, 3), -1.5f, 2.25f, m);
        CliRun run = Run("random", "uniform", "--key", "1,2", "--shape", "2,3", "--minval", "-1.5", "--maxval", "2.25", "--threefry", mode);
        AssertSameArray(expected, run.Json);
    }

    [Theory]
    [InlineData("partitionable")]
    [InlineData("original")]
    public void Truncated_normal_is_the_librarys(string mode)
    {
        ThreefryMode m = mode == "original" ? ThreefryMode.Original : ThreefryMode.Partitionable;
        NDArray<float> expected = JaxRandom.TruncatedNormal(PrngKey.FromSeed(7), new Shape(4, 2), -1f, 0.5f, m);
        CliRun run = Run("random", "truncated-normal", "--seed", "7", "--shape", "4,2", "--lower", "-1", "--upper", "0.5", "--threefry", mode);
        AssertSameArray(expected, run.Json);
    }

    [Fact]
    public void Truncated_normal_defaults_are_minus_2_and_2()
    {
        NDArray<float> expected = JaxRandom.TruncatedNormal(PrngKey.FromSeed(0), new Shape(6));
        AssertSameArray(expected, Run("random", "truncated-normal", "--shape", "6").Json);
    }

    [Fact]
    public void Shapes_print_as_nested_arrays_and_the_scalar_shape_as_a_bare_number()
    {
        JsonElement rank3 = Run("random", "normal", "--shape", "2,3,4").Json;
        Assert.Equal(2, rank3.GetArrayLength());
        Assert.All(rank3.EnumerateArray(), a =>
        {
            Assert.Equal(3, a.GetArrayLength());
            Assert.All(a.EnumerateArray(), b => Assert.Equal(4, b.GetArrayLength()));
        });

        // The flattened nested output is the library's row-major buffer.
        NDArray<float> flat = JaxRandom.Normal(PrngKey.FromSeed(0), new Shape(2, 3, 4));
        Assert.Equal(flat.Data, rank3.EnumerateArray().SelectMany(a => a.EnumerateArray()).SelectMany(Floats));

        Assert.Equal(JsonValueKind.Number, Run("random", "uniform", "--shape", "").Json.ValueKind);
        Assert.Equal(Run("random", "uniform").Text, Run("random", "uniform", "--shape", "").Text);
        Assert.Equal("[]", Run("random", "normal", "--shape", "0").Text);
        Assert.Equal("[[],[]]", Run("random", "normal", "--shape", "2,0").Text);
        Assert.Equal("[]", Run("random", "bits", "--shape", "0,5").Text);
        Assert.Equal(Run("random", "normal", "--shape", "2,3").Text, Run("random", "normal", "--shape", " 2 , 3 ").Text);
    }

    [Fact]
    public void Option_values_may_follow_an_equals_sign_and_may_be_negative()
    {
        Assert.Equal(Run("random", "uniform", "--minval", "-2").Text, Run("random", "uniform", "--minval=-2").Text);
        AssertSameArray(JaxRandom.Uniform(PrngKey.FromSeed(-5), Shape.Scalar, -2f, -1f), Run("random", "uniform", "--seed", "-5", "--minval", "-2", "--maxval", "-1").Json);
    }

}

using LaxScan.Nn;
using LaxScan.Random;
using static LaxScan.Tests.Cli.CliHarness;

namespace LaxScan.Tests.Cli;

/// <summary><c>laxscan init NAME</c>: the CLI's array is the library's initializer called on the same key and shape.</summary>
public class CliInitTests
{
    public static TheoryData<string> FanInitializers => new()
    {
        "lecun_normal", "lecun_uniform", "glorot_normal", "glorot_uniform", "he_normal", "he_uniform",
        "xavier_normal", "xavier_uniform", "kaiming_normal", "kaiming_uniform", "variance_scaling",
    };

    [Theory]
    [MemberData(nameof(FanInitializers))]
    public void Fan_initializers_are_the_librarys(string name)
    {
        NDArray<float> expected = Initializers.ByName(name)(PrngKey.FromSeed(5), new Shape(4, 3));
        AssertSameArray(expected, Run("init", name, "--seed", "5", "--shape", "4,3").Json);
    }

    [Theory]
    [InlineData("normal")]
    [InlineData("uniform")]
    [InlineData("truncated_normal")]
    [InlineData("zeros")]
    [InlineData("ones")]
    public void Fanless_initializers_take_any_rank_including_scalars(string name)
    {
        AssertSameArray(Initializers.ByName(name)(PrngKey.FromSeed(1), new Shape(5)), Run("init", name, "--seed", "1", "--shape", "5").Json);
        AssertSameArray(Initializers.ByName(name)(PrngKey.FromSeed(1), Shape.Scalar), Run("init", name, "--seed", "1", "--shape", "").Json);
    }

    [Fact]
    public void Options_reach_the_initializer()
    {
        var key = new PrngKey(3, 4);
        AssertSameArray(
            Initializers.VarianceScaling(2.5, FanMode.FanGeoAvg, Distribution.Uniform, inAxis: 0, outAxis: 2)(key, new Shape(3, 4, 5), ThreefryMode.Original),
            Run("init", "variance_scaling", "--key", "3,4", "--shape", "3,4,5", "--scale", "2.5", "--mode", "fan_geo_avg", "--distribution", "uniform", "--in-axis", "0", "--out-axis", "2", "--threefry", "original").Json);
        AssertSameArray(
            Initializers.VarianceScaling(1, FanMode.FanOut, Distribution.Normal)(key, new Shape(6, 2)),
            Run("init", "variance_scaling", "--key", "3,4", "--shape", "6,2", "--mode", "fan_out", "--distribution", "normal").Json);
        AssertSameArray(
            Initializers.VarianceScaling(1, FanMode.FanAvg, Distribution.TruncatedNormal)(key, new Shape(6, 2)),
            Run("init", "variance_scaling", "--key", "3,4", "--shape", "6,2", "--mode", "fan_avg", "--distribution", "truncated_normal").Json);
        AssertSameArray(
            Initializers.TruncatedNormal(0.5f, -1f, 3f)(key, new Shape(7)),
            Run("init", "truncated_normal", "--key", "3,4", "--shape", "7", "--stddev", "0.5", "--lower", "-1", "--upper", "3").Json);
        AssertSameArray(Initializers.Normal(2f)(key, new Shape(7)), Run("init", "normal", "--key", "3,4", "--shape", "7", "--stddev", "2").Json);
        AssertSameArray(Initializers.Uniform(3f)(key, new Shape(7)), Run("init", "uniform", "--key", "3,4", "--shape", "7", "--scale", "3").Json);
        AssertSameArray(Initializers.HeNormal(inAxis: -1, outAxis: -2)(key, new Shape(2, 9)), Run("init", "he_normal", "--key", "3,4", "--shape", "2,9", "--in-axis", "-1", "--out-axis", "-2").Json);
    }

    [Fact]
    public void Constant_prints_its_value_with_special_floats_as_strings()
    {
        Assert.Equal("[0.5,0.5]", Run("init", "constant", "--shape", "2", "--value", "0.5").Text);
        Assert.Equal("[[\"NaN\"],[\"NaN\"]]", Run("init", "constant", "--shape", "2,1", "--value", "nan").Text);
        Assert.Equal("[\"Infinity\"]", Run("init", "constant", "--shape", "1", "--value", "inf").Text);
        Assert.Equal("[\"-Infinity\"]", Run("init", "constant", "--shape", "1", "--value", "-Infinity").Text);
        Assert.Equal("[-0,-0]", Run("init", "constant", "--shape", "2", "--value", "-0").Text);
        Assert.Equal("1E-05", Run("init", "constant", "--shape", "", "--value", "0.00001").Text);
        Assert.Equal("0", Run("init", "zeros", "--shape", "").Text);
        Assert.Equal("[[1,1,1]]", Run("init", "ones", "--shape", "1,3").Text);
    }

    [Fact]
    public void A_value_is_read_as_a_Python_float_then_rounded_to_float32()
    {
        // 1 + 2^-24 + 2.5e-17: as a double it rounds to the float32 midpoint 1 + 2^-24, which ties to even, 1.0, as
        // np.float32(1.0000000596046448) gives. Parsing straight to float32 would round up to 1.0000001.
        Assert.Equal("1", Run("init", "constant", "--shape", "", "--value", "1.0000000596046448").Text);
    }

    [Fact]
    public void The_key_is_used_raw_without_Flax_derivation()
    {
        // lecun_normal's draw is truncated_normal(key) scaled: the same key, not a folded one.
        NDArray<float> draw = JaxRandom.TruncatedNormal(PrngKey.FromSeed(0), new Shape(4, 3));
        float[] values = Floats(Run("init", "lecun_normal", "--seed", "0", "--shape", "4,3").Json.EnumerateArray().First());
        float stddev = MathF.Sqrt(1f / 4) / 0.87962566103423978f;
        Assert.Equal(draw.Data[..3].Select(x => x * stddev), values);
    }
}

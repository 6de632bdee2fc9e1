using LaxScan.Nn;
using LaxScan.Random;

namespace LaxScan.Tests.Nn;

public class FansTests
{
    [Fact]
    public void A_dense_kernel_has_fan_in_rows_and_fan_out_columns()
    {
        Assert.Equal((3.0, 5.0), Fans.Compute(new Shape(3, 5), [-2], [-1], []));
    }

    [Fact]
    public void A_conv_kernel_multiplies_by_the_receptive_field()
    {
        // HWIO (3, 3, 16, 32): receptive field 9.
        Assert.Equal((144.0, 288.0), Fans.Compute(new Shape(3, 3, 16, 32), [-2], [-1], []));
    }

    [Fact]
    public void In_and_out_axes_may_name_the_same_axis()
    {
        // in = out = shape[0] = 4: receptive = 24 / 4 / 4 = 1.5.
        Assert.Equal((6.0, 6.0), Fans.Compute(new Shape(4, 6), [0], [0], []));
    }

    [Fact]
    public void Several_axes_multiply_and_batch_axes_count_in_neither_fan()
    {
        Assert.Equal((6.0, 5.0), Fans.Compute(new Shape(7, 2, 3, 5), [1, 2], [3], [0]));
    }

    [Fact]
    public void Rank_below_two_is_an_error_only_with_the_default_in_axis()
    {
        var e = Assert.Throws<ArgumentException>(() => Fans.Compute(new Shape(5), [-2], [-1], []));
        Assert.StartsWith("Can't compute input and output sizes of a 1-dimensional weights tensor (5,) with default in_axis. Must be at least 2D or specify in_axis explicitly.", e.Message, StringComparison.Ordinal);
        Assert.Equal((1.0, 1.0), Fans.Compute(new Shape(5), [0], [-1], []));
    }

    [Fact]
    public void Bad_axes_and_zero_sizes_are_errors()
    {
        Assert.Contains("in_axis 2 is out of range for the rank-2 shape (3, 5)", Assert.Throws<ArgumentOutOfRangeException>(() => Fans.Compute(new Shape(3, 5), [2], [-1], [])).Message, StringComparison.Ordinal);
        Assert.Contains("has size 0", Assert.Throws<ArgumentException>(() => Fans.Compute(new Shape(0, 5), [-2], [-1], [])).Message, StringComparison.Ordinal);
    }
}

public class InitializersTests
{
    private static readonly PrngKey Key = PrngKey.FromSeed(7);
    private static readonly Shape Shape = new(6, 10);

    [Fact]
    public void Variance_scaling_truncated_normal_is_tn_times_sqrt_variance_over_the_truncation_stddev()
    {
        // jax/_src/nn/initializers.py:353 (jax-v0.11.0): stddev = sqrt(variance) / .87962566103423978, in float32. The
        // constant is derived here, not copied: the standard deviation of a unit normal truncated to (-2, 2), whose
        // variance is 1 - 2 * 2 * pdf(2) / (cdf(2) - cdf(-2)); the mass is integrated (Simpson's rule) from the pdf.
        double mass = 0;
        const int n = 20_000;
        for (int i = 0; i <= n; i++)
        {
            double x = -2 + (4.0 * i / n);
            mass += (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2) * Math.Exp(-x * x / 2) / Math.Sqrt(2 * Math.PI);
        }

        mass *= 4.0 / n / 3;
        double truncatedStddev = Math.Sqrt(1 - (4 * Math.Exp(-2) / Math.Sqrt(2 * Math.PI) / mass));
        Assert.True(Math.Abs(truncatedStddev - 0.87962566103423978) < 1e-12, $"the truncated normal's stddev is {truncatedStddev:R}");

        // fan_in = 6: variance = f32(1 / 6); stddev = rn(sqrt(variance) / f32(that constant)).
        float variance = (float)(1.0 / 6.0);
        float stddev = MathF.Sqrt(variance) / (float)truncatedStddev;
        NDArray<float> tn = JaxRandom.TruncatedNormal(Key, Shape);
        NDArray<float> actual = Initializers.LecunNormal()(Key, Shape);
        Bits.Equal([.. tn.Data.Select(v => v * stddev)], actual.Span);
    }

    [Theory]
    [InlineData(FanMode.FanIn, 6.0)]
    [InlineData(FanMode.FanOut, 10.0)]
    [InlineData(FanMode.FanAvg, 8.0)]
    [InlineData(FanMode.FanGeoAvg, 7.745966692414834)]
    public void Each_mode_divides_by_its_fan(FanMode mode, double denominator)
    {
        float variance = (float)(2.0 / denominator);
        NDArray<float> n = JaxRandom.Normal(Key, Shape);
        NDArray<float> actual = Initializers.VarianceScaling(2.0, mode, Distribution.Normal)(Key, Shape);
        Bits.Equal([.. n.Data.Select(v => v * MathF.Sqrt(variance))], actual.Span);
    }

    [Fact]
    public void Uniform_variance_scaling_draws_in_minus_one_to_one_times_sqrt_three_variance()
    {
        float variance = (float)(1.0 / 8.0);
        NDArray<float> u = JaxRandom.Uniform(Key, Shape, -1f, 1f);
        NDArray<float> actual = Initializers.GlorotUniform()(Key, Shape);
        Bits.Equal([.. u.Data.Select(v => v * MathF.Sqrt(3f * variance))], actual.Span);
    }

    [Fact]
    public void Named_initializers_scale_the_draws_by_their_own_fans_and_scales()
    {
        // Derived by hand from jax/_src/nn/initializers.py for shape (6, 10): fan_in 6, fan_out 10, fan_avg 8. Each
        // is compared with the raw draw times its scale, so a named initializer with the wrong scale, mode or
        // distribution fails (comparing it with variance_scaling(...) would only repeat its own definition).
        NDArray<float> tn = JaxRandom.TruncatedNormal(Key, Shape, -2f, 2f);
        NDArray<float> u = JaxRandom.Uniform(Key, Shape, -1f, 1f);
        float TnScale(double variance) => MathF.Sqrt((float)variance) / 0.87962566103423978f;
        Bits.Equal([.. tn.Data.Select(v => v * TnScale(2.0 / 6.0))], Initializers.HeNormal()(Key, Shape).Span, "he_normal: 2 / fan_in");
        Bits.Equal([.. tn.Data.Select(v => v * TnScale(2.0 / 6.0))], Initializers.KaimingNormal()(Key, Shape).Span, "kaiming_normal");
        Bits.Equal([.. tn.Data.Select(v => v * TnScale(1.0 / 8.0))], Initializers.XavierNormal()(Key, Shape).Span, "xavier_normal: 1 / fan_avg");
        Bits.Equal([.. tn.Data.Select(v => v * TnScale(1.0 / 6.0))], Initializers.LecunNormal()(Key, Shape).Span, "lecun_normal: 1 / fan_in");
        Bits.Equal([.. u.Data.Select(v => v * MathF.Sqrt(3f * (float)(2.0 / 6.0)))], Initializers.KaimingUniform()(Key, Shape).Span, "kaiming_uniform: 2 / fan_in");
        Bits.Equal([.. u.Data.Select(v => v * MathF.Sqrt(3f * (float)(1.0 / 6.0)))], Initializers.LecunUniform()(Key, Shape).Span, "lecun_uniform: 1 / fan_in");
        Bits.Equal([.. u.Data.Select(v => v * MathF.Sqrt(3f * (float)(1.0 / 8.0)))], Initializers.XavierUniform()(Key, Shape).Span, "xavier_uniform: 1 / fan_avg");
    }

    [Fact]
    public void Constants_ignore_the_key()
    {
        Assert.All(Initializers.Zeros(Key, Shape).Data, v => Assert.Equal(0u, Bits.Of(v)));
        Assert.All(Initializers.Ones(Key, Shape).Data, v => Assert.Equal(1f, v));
        Assert.All(Initializers.Constant(-2.5f)(PrngKey.FromSeed(1), Shape).Data, v => Assert.Equal(-2.5f, v));
    }

    [Fact]
    public void By_name_builds_each_initializer_with_its_options()
    {
        Bits.Equal(Initializers.LecunNormal()(Key, Shape).Span, Initializers.ByName("lecun_normal")(Key, Shape).Span);
        Bits.Equal(Initializers.Normal(0.5f)(Key, Shape).Span, Initializers.ByName("normal", new InitializerOptions { Stddev = 0.5f })(Key, Shape).Span);
        Bits.Equal(
            Initializers.VarianceScaling(3.0, FanMode.FanOut, Distribution.Uniform, 0, 1)(Key, Shape).Span,
            Initializers.ByName("variance_scaling", new InitializerOptions { Scale = 3.0, Mode = FanMode.FanOut, Distribution = Distribution.Uniform, InAxis = 0, OutAxis = 1 })(Key, Shape).Span);
        Assert.Equal(Initializers.Names.Count, Initializers.Names.Distinct().Count());
        foreach (string name in Initializers.Names.Where(n => n != "constant"))
        {
            Assert.Equal(Shape, Initializers.ByName(name)(Key, Shape).Shape);
        }
    }

    [Fact]
    public void Unknown_names_and_misplaced_options_are_clear_errors()
    {
        Assert.Contains("unknown initializer 'lecun'; known: lecun_normal", Assert.Throws<ArgumentException>(() => Initializers.ByName("lecun")).Message, StringComparison.Ordinal);
        Assert.Contains("initializer 'zeros' does not take option 'stddev'; it takes no options", Assert.Throws<ArgumentException>(() => Initializers.ByName("zeros", new InitializerOptions { Stddev = 1 })).Message, StringComparison.Ordinal);
        Assert.Contains("initializer 'constant' needs a value", Assert.Throws<ArgumentException>(() => Initializers.ByName("constant")).Message, StringComparison.Ordinal);
        Assert.Contains("positive finite scale", Assert.Throws<ArgumentOutOfRangeException>(() => Initializers.VarianceScaling(0, FanMode.FanIn, Distribution.Normal)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_vector_shape_needs_an_explicit_in_axis_for_fans()
    {
        Assert.Throws<ArgumentException>(() => Initializers.LecunNormal()(Key, new Shape(5)));
        Assert.Equal(new Shape(5), Initializers.LecunNormal(inAxis: 0, outAxis: 0)(Key, new Shape(5)).Shape);
    }
}

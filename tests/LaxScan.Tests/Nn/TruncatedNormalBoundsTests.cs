using LaxScan.Nn;
using LaxScan.Random;
using LaxScan.Tests.Cli;
using static LaxScan.Tests.Cli.CliHarness;

namespace LaxScan.Tests.Nn;

/// <summary>
/// Bounds with lower &gt;= upper (issue 10 item 16): JAX checks them nowhere, neither in
/// <c>jax.random.truncated_normal</c> nor in <c>jax.nn.initializers.truncated_normal</c>, so both give what the
/// source computes, and the two paths agree. The expected value is read from the source, not from a JAX run
/// (jax-v0.11.0; docs/parity.md): <c>uniform</c> with maxval &lt; minval returns <c>max(minval, ...)</c> = minval
/// everywhere (random/core.py:552), and <c>jnp.clip</c> takes the max with <c>nextafter(lower, inf)</c> and then the
/// min with <c>nextafter(upper, -inf)</c> (numpy/lax_numpy.py:3408-3410), which leaves <c>nextafter(upper, -inf)</c>.
/// </summary>
public class TruncatedNormalBoundsTests
{
    public static TheoryData<float, float, uint> Bounds => new()
    {
        // nextafter(-2, -inf) = -2.0000002 (0xC0000001); nextafter(1, -inf) = 0.99999994 (0x3F7FFFFF).
        { 2f, -2f, 0xC0000001 },
        { 1f, 1f, 0x3F7FFFFF },
        { 0.5f, -3f, 0xC0400001 },
    };

    [Theory]
    [MemberData(nameof(Bounds))]
    public void Random_and_the_initializer_give_nextafter_upper_down_everywhere(float lower, float upper, uint expectedBits)
    {
        var shape = new Shape(3, 5);
        NDArray<float> random = JaxRandom.TruncatedNormal(PrngKey.FromSeed(7), shape, lower, upper);
        NDArray<float> initializer = Initializers.TruncatedNormal(stddev: 1f, lower, upper)(PrngKey.FromSeed(7), shape, ThreefryMode.Partitionable);
        Assert.All(random.Data, v => Bits.Equal(expectedBits, v));
        Bits.Equal(random.Span, initializer.Span);

        // stddev 0.5 halves the value exactly.
        NDArray<float> half = Initializers.TruncatedNormal(stddev: 0.5f, lower, upper)(PrngKey.FromSeed(7), shape, ThreefryMode.Partitionable);
        Assert.All(half.Data, v => Bits.Equal(BitConverter.UInt32BitsToSingle(expectedBits) * 0.5f, v));
    }

    public static TheoryData<string, float, float, uint> SaturatedBounds => new()
    {
        // JAX >= 0.10.1 (and before 0.7.1): erf(+-7.07) = +-1 exactly, so u = a = b = +-1 everywhere, erf_inv(+-1) =
        // +-inf (stablehlo/transforms/ChloLegalizeToStablehlo.cpp erfInv32: "erfinv(+/-1) = +/-inf"), sqrt2 * +-inf = +-inf, and
        // jnp.clip returns the bound on that side: nextafter(-10, +inf) = -9.999999 (0xC11FFFFF), nextafter(10, -inf) =
        // 9.999999 (0x411FFFFF).
        { "0.11.0", -10f, -9f, 0xC11F_FFFF },
        { "0.11.0", 9f, 10f, 0x411F_FFFF },
        { "0.7.0", 9f, 10f, 0x411F_FFFF },
        // JAX 0.7.1-0.10.0: erf clamps its argument and stops 3 ulps short of 1 (0x3F7FFFFD, XLA's own comment), so
        // u = +-0.9999998, erf_inv(u) * sqrt2 is about +-5.2, inside neither bound: the clip's first step (the max with
        // nextafter(lower, inf)) or its second (the min with nextafter(upper, -inf)) gives the bound nearer zero.
        { "0.10.0", 9f, 10f, 0x4110_0001 },
        { "0.10.0", -10f, -9f, 0xC110_0001 },
    };

    [Theory]
    [MemberData(nameof(SaturatedBounds))]
    public void Bounds_past_erf_s_saturation_give_one_clip_bound_everywhere(string jax, float lower, float upper, uint expectedBits)
    {
        // Read from the source (jax/_src/random/core.py:1128-1148, as the class summary cites), worked by hand. 67
        // values: whole vectors at every width and a scalar tail, in both threefry layouts.
        JaxVersion version = JaxVersion.Parse(jax);
        foreach (ThreefryMode mode in new[] { ThreefryMode.Partitionable, ThreefryMode.Original })
        {
            NDArray<float> random = JaxRandom.TruncatedNormal(PrngKey.FromSeed(5), new Shape(67), lower, upper, mode, version);
            Assert.All(random.Data, v => Bits.Equal(expectedBits, v, $"jax {jax} {mode}"));
            NDArray<float> initializer = Initializers.TruncatedNormal(1f, lower, upper, version)(PrngKey.FromSeed(5), new Shape(67), mode);
            Assert.All(initializer.Data, v => Bits.Equal(expectedBits, v, $"initializer, jax {jax} {mode}"));
        }
    }

    [Fact]
    public void The_init_and_random_commands_agree_on_reversed_bounds()
    {
        CliRun init = Run("init", "truncated_normal", "--seed", "3", "--shape", "4", "--stddev", "1", "--lower", "2", "--upper", "-2");
        CliRun random = Run("random", "truncated-normal", "--seed", "3", "--shape", "4", "--lower", "2", "--upper", "-2");
        Assert.Equal(random.Text, init.Text);
        Assert.Equal("[-2.0000002,-2.0000002,-2.0000002,-2.0000002]", init.Text);
    }
}

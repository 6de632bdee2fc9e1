using LaxScan.Nn;
using LaxScan.Random;

namespace LaxScan.Tests.Nn;

/// <summary>
/// The examples in jax/_src/nn/initializers.py docstrings: <c>initializer(jax.random.key(42), (2, 3), jnp.float32)</c>,
/// written when original threefry was JAX's default. Printed as numpy arrays, so compared as numpy prints.
/// </summary>
/// <remarks>
/// The docstrings of normal(5.0), glorot_normal, lecun_normal and he_normal are left out on purpose: they are
/// 1-2 ulp off JAX's own current output in several elements (stale 2022 numerics, marked +SKIP).
/// </remarks>
public class PublishedInitializerTests
{
    private static readonly PrngKey Key42 = PrngKey.FromSeed(42);
    private static readonly Shape Shape23 = new(2, 3);

    public static TheoryData<string, string[]> Docstrings => new()
    {
        { "uniform(10.0)", ["7.298188", "8.691938", "8.7230015", "2.0818567", "1.8662417", "5.5022564"] },
        { "truncated_normal(5.0)", ["2.9047365", "5.2338114", "5.29852", "-3.836303", "-4.192359", "0.6022964"] },
        { "glorot_uniform()", ["0.50350785", "0.8088631", "0.81566876", "-0.6393332", "-0.6865721", "0.11003882"] },
        { "lecun_uniform()", ["0.56293887", "0.90433645", "0.9119454", "-0.71479625", "-0.7676109", "0.12302713"] },
        { "he_uniform()", ["0.79611576", "1.2789248", "1.2896855", "-1.0108745", "-1.0855657", "0.17398663"] },
    };

    [Theory]
    [MemberData(nameof(Docstrings))]
    public void Docstring_examples_match(string call, string[] expected)
    {
        Initializer init = call switch
        {
            "uniform(10.0)" => Initializers.Uniform(10f),
            "truncated_normal(5.0)" => Initializers.TruncatedNormal(5f),
            "glorot_uniform()" => Initializers.GlorotUniform(),
            "lecun_uniform()" => Initializers.LecunUniform(),
            _ => Initializers.HeUniform(),
        };
        NDArray<float> actual = init(Key42, Shape23, ThreefryMode.Original);
        Assert.Equal(expected, actual.Data.Select(NumpyText.Format));
    }
}

using System.Globalization;
using LaxScan.Random;

namespace LaxScan.Tests.Linen;

/// <summary>
/// Values Flax itself publishes. Source: the Flax RNG guide, docs/guides/flax_fundamentals/rng_guide.ipynb in
/// google/flax (run with jax_threefry_partitionable=True; <c>jax.random.key(n)</c> has the data of <c>PRNGKey(n)</c>).
/// A value this project's code printed is never an expected value here.
/// </summary>
public static class FlaxPublished
{
    /// <summary>Cell 12: a root module calling <c>make_rng('rng_stream')</c> three times, key(0).</summary>
    public static readonly PrngKey[] RootKey0 = [new(1428664606, 3351135085), new(3456700291, 3873160899), new(2411773124, 4124888837)];

    /// <summary>Cell 14: the same with key(1).</summary>
    public static readonly PrngKey[] RootKey1 = [new(3077990774, 2166202870), new(3825832496, 2886313970), new(791337683, 1373966058)];

    /// <summary>Cell 28: <c>RNGSubModule_0</c> (a compact submodule of the root), counts 1 and 2, key(0).</summary>
    public static readonly PrngKey[] SubModule0 = [new(3858825717, 2323087578), new(601859108, 3782857444)];

    /// <summary>Cell 28: <c>RNGSubModule_0/RNGSubSubModule_0</c>, counts 1 and 2, key(0).</summary>
    public static readonly PrngKey[] SubSubModule0 = [new(234240654, 1028548813), new(3650462303, 2124609379)];

    /// <summary>Cell 32: the root's second <c>RNGSubModule()</c>, named <c>RNGSubModule_1</c>, counts 1 and 2, key(0).</summary>
    public static readonly PrngKey[] SubModule1 = [new(426957352, 2006350344), new(4006253729, 4205356731)];

    /// <summary>
    /// Asserts float32 values against numpy's printout of them. numpy prints the shortest decimal that rounds back to
    /// the float32 value, unless that needs more than 8 fractional digits: then the value rounded to 8 decimals (trailing
    /// zeros dropped). So either the text parses to exactly the value, or the value lies within half a unit of the 8th
    /// decimal. For |x| >= 0.125 no other float32 passes either test, so the bits are pinned; below that, to a few ulps.
    /// </summary>
    public static void AssertPrinted(ReadOnlySpan<float> actual, params string[] printed)
    {
        Assert.Equal(printed.Length, actual.Length);
        for (int i = 0; i < printed.Length; i++)
        {
            bool roundTrips = float.Parse(printed[i], CultureInfo.InvariantCulture) == actual[i];
            double distance = Math.Abs(actual[i] - double.Parse(printed[i], CultureInfo.InvariantCulture));
            Assert.True(roundTrips || distance <= 5e-9, $"element {i}: {actual[i]:R} does not print as {printed[i]}");
        }
    }
}

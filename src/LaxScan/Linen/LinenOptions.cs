using LaxScan.Random;

namespace LaxScan.Linen;

/// <summary>
/// The JAX/Flax flags that change what <see cref="Module{TIn, TOut}.Init(PrngKey, TIn, LinenOptions?)"/> draws. They are
/// passed explicitly so that two models in one process can use different settings.
/// </summary>
/// <param name="ThreefryMode">
/// JAX's <c>jax_threefry_partitionable</c> flag, handed to every initializer; the default
/// <see cref="ThreefryMode.Partitionable"/> is JAX's default since 0.5.0.
/// </param>
/// <param name="FixRngSeparator">
/// Flax's <c>flax_fix_rng_separator</c> flag (default off, as in Flax): when on, a 0x00 byte precedes each path item and
/// the counter in the SHA-1 that derives a scope's RNG, so that the paths ("ab", "c") and ("a", "bc") differ.
/// </param>
public sealed record LinenOptions(
    ThreefryMode ThreefryMode = ThreefryMode.Partitionable,
    bool FixRngSeparator = false)
{
    /// <summary>JAX's and Flax's defaults: partitionable threefry, no RNG separator.</summary>
    public static LinenOptions Default { get; } = new();
}

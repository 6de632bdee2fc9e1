using LaxScan.Random;

namespace LaxScan.Linen;

/// <summary>
/// The JAX/Flax flags that change what <see cref="Module{TIn, TOut}.Init(PrngKey, TIn, LinenOptions?, CancellationToken)"/> draws, and the
/// JAX release whose rules <c>init</c> and <c>apply</c> follow. They are passed explicitly so that two models in one
/// process can use different settings.
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
    private readonly JaxVersion _jaxVersion = LaxScan.JaxVersion.Default;

    /// <summary>JAX's and Flax's defaults: partitionable threefry, no RNG separator, <see cref="JaxVersion.Default"/>.</summary>
    public static LinenOptions Default { get; } = new();

    /// <summary>
    /// The JAX release whose XLA:CPU rules the modules follow where releases differ (see <see cref="LaxScan.JaxVersion"/>):
    /// <c>Dense</c>'s bias inside a transform body, the refusal of YNNPACK releases for <c>x @ W</c> with H &gt;= 8.
    /// Defaults to <see cref="JaxVersion.Default"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException">Set to null.</exception>
    public JaxVersion JaxVersion
    {
        get => _jaxVersion;
        init => _jaxVersion = value ?? throw new ArgumentNullException(nameof(value));
    }
}

using LaxScan.Random;

namespace LaxScan.Nn;

/// <summary>
/// A <c>jax.nn.initializers</c> function: <c>(key, shape) -&gt; float32 array</c>. Initializers are made by the
/// factories of <see cref="Initializers"/> and never keep state: the same key and shape give the same array.
/// </summary>
/// <param name="key">The PRNG key to draw from (constant initializers ignore it).</param>
/// <param name="shape">The shape of the array to make.</param>
/// <param name="mode">JAX's <c>jax_threefry_partitionable</c> flag for the random draws.</param>
public delegate NDArray<float> Initializer(PrngKey key, Shape shape, ThreefryMode mode = ThreefryMode.Partitionable);

/// <summary>Which fan a variance-scaling initializer divides by.</summary>
public enum FanMode
{
    /// <summary><c>"fan_in"</c>: the input size times the receptive field.</summary>
    FanIn,

    /// <summary><c>"fan_out"</c>: the output size times the receptive field.</summary>
    FanOut,

    /// <summary><c>"fan_avg"</c>: the mean of fan in and fan out.</summary>
    FanAvg,

    /// <summary><c>"fan_geo_avg"</c>: the geometric mean of fan in and fan out.</summary>
    FanGeoAvg,
}

/// <summary>Which distribution a variance-scaling initializer draws from.</summary>
public enum Distribution
{
    /// <summary><c>"truncated_normal"</c>: a normal truncated to (-2, 2), rescaled to the target variance.</summary>
    TruncatedNormal,

    /// <summary><c>"normal"</c>: an untruncated normal.</summary>
    Normal,

    /// <summary><c>"uniform"</c>: uniform on (-limit, limit) with the target variance.</summary>
    Uniform,
}

namespace LaxScan.Nn;

/// <summary>The keyword arguments of the <c>jax.nn.initializers</c> factories, for <see cref="Initializers.ByName(string, InitializerOptions?)"/>; unset means JAX's default.</summary>
public sealed record InitializerOptions
{
    /// <summary><c>stddev</c> of <c>normal</c> and <c>truncated_normal</c> (default 0.01).</summary>
    public float? Stddev { get; init; }

    /// <summary><c>scale</c> of <c>uniform</c> (default 0.01) and <c>variance_scaling</c> (default 1).</summary>
    public double? Scale { get; init; }

    /// <summary><c>value</c> of <c>constant</c>.</summary>
    public float? Value { get; init; }

    /// <summary><c>lower</c> of <c>truncated_normal</c> (default -2).</summary>
    public float? Lower { get; init; }

    /// <summary><c>upper</c> of <c>truncated_normal</c> (default 2).</summary>
    public float? Upper { get; init; }

    /// <summary><c>mode</c> of <c>variance_scaling</c> (default fan_in).</summary>
    public FanMode? Mode { get; init; }

    /// <summary><c>distribution</c> of <c>variance_scaling</c> (default truncated_normal).</summary>
    public Distribution? Distribution { get; init; }

    /// <summary><c>in_axis</c> of the fan-based initializers (default -2).</summary>
    public int? InAxis { get; init; }

    /// <summary><c>out_axis</c> of the fan-based initializers (default -1).</summary>
    public int? OutAxis { get; init; }

    /// <summary>The JAX names of the options that are set.</summary>
    internal IEnumerable<string> SetNames()
    {
        if (Stddev is not null) { yield return "stddev"; }
        if (Scale is not null) { yield return "scale"; }
        if (Value is not null) { yield return "value"; }
        if (Lower is not null) { yield return "lower"; }
        if (Upper is not null) { yield return "upper"; }
        if (Mode is not null) { yield return "mode"; }
        if (Distribution is not null) { yield return "distribution"; }
        if (InAxis is not null) { yield return "in_axis"; }
        if (OutAxis is not null) { yield return "out_axis"; }
    }
}

namespace LaxScan.Linen.Transforms;

/// <summary>
/// The arguments of Flax's <c>nn.scan</c> (flax/linen/transforms.py <c>scan</c>, flax/core/lift.py <c>scan</c>) that
/// LaxScan implements. The defaults are the ones <c>nn.RNN</c> passes: <c>variable_broadcast="params"</c>,
/// <c>split_rngs={"params": False}</c>, <c>in_axes=0</c>, <c>out_axes=0</c>, <c>unroll=1</c>.
/// </summary>
public sealed record ScanOptions
{
    /// <summary>The options nn.RNN uses.</summary>
    public static ScanOptions Default { get; } = new();

    /// <summary>
    /// <c>variable_broadcast</c>: the collection created once (by Flax's init-mode pass over the body) and closed over
    /// by every step. Only <c>"params"</c> is supported.
    /// </summary>
    public string VariableBroadcast { get; init; } = "params";

    /// <summary>
    /// <c>split_rngs</c>: for each RNG stream lifted into the body, whether it is split per step. Only
    /// <c>{"params": false}</c> (the stream shared by every step, so a param's key is what it would be outside the
    /// scan) is supported; streams not named are not visible inside the body, as in Flax.
    /// </summary>
    public IReadOnlyDictionary<string, bool> SplitRngs { get; init; } = new Dictionary<string, bool>(StringComparer.Ordinal) { ["params"] = false };

    /// <summary><c>in_axes</c>: the axis of the scanned input that indexes the steps.</summary>
    public int InAxes { get; init; }

    /// <summary><c>out_axes</c>: the axis of the stacked outputs that indexes the steps.</summary>
    public int OutAxes { get; init; }

    /// <summary><c>length</c>: the number of steps, needed when there is no scanned input.</summary>
    public long? Length { get; init; }

    /// <summary><c>reverse</c>: run the steps from last to first; outputs keep their step positions.</summary>
    public bool Reverse { get; init; }

    /// <summary>
    /// <c>unroll</c>: how many steps one iteration of XLA's loop holds. It changes speed in JAX, never the bits (every
    /// step is the same computation; no product of one step meets an add of the next in one fused loop), so LaxScan
    /// checks it (at least 1) and otherwise ignores it.
    /// </summary>
    public int Unroll { get; init; } = 1;

    /// <summary>Refuses what is not implemented, naming the supported values.</summary>
    internal void Validate()
    {
        if (VariableBroadcast != "params")
        {
            throw new NotSupportedException($"nn.scan with variable_broadcast='{VariableBroadcast}' is not supported: LaxScan implements variable_broadcast='params', as nn.RNN uses it");
        }

        if (SplitRngs is null || SplitRngs.Any(p => p.Value))
        {
            throw new NotSupportedException("nn.scan with split_rngs that split a stream per step is not supported: LaxScan implements split_rngs={'params': False}, as nn.RNN uses it (a broadcast param cannot depend on a per-step key anyway)");
        }

        if (Unroll < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange($"unroll must be >= 1, but was given {Unroll}", nameof(Unroll));
        }

        if (Length is < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange($"scan length must be >= 0, but was given {Length}", nameof(Length));
        }
    }
}

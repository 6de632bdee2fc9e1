namespace LaxScan.Verification;

/// <summary>How <see cref="Verifier"/> runs.</summary>
internal sealed record VerifyOptions
{
    /// <summary>All defaults: the bundle's own JAX version, 8 listed mismatches per case.</summary>
    public static VerifyOptions Default { get; } = new();

    /// <summary>Follow this release's rules instead of the version the bundle records (to learn what another release's rules give).</summary>
    public JaxVersion? JaxVersion { get; init; }

    /// <summary>How many mismatching elements each case lists (all are counted).</summary>
    public int MaxListedPerCase { get; init; } = 8;
}

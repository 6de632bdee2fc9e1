namespace LaxScan.Verification;

/// <summary>What became of one case. Only the first five count toward a bundle's "P/Q cases bit-exact".</summary>
internal enum CaseStatus
{
    /// <summary>Every compared bit equals JAX's.</summary>
    BitExact,

    /// <summary>Some element differs from JAX's.</summary>
    Mismatch,

    /// <summary>LaxScan refuses the case: the JAX release computes it in a way LaxScan cannot reproduce (the reason says why).</summary>
    Refused,

    /// <summary>No handler knows the case's kind: it is reported, never silently passed.</summary>
    UnknownKind,

    /// <summary>LaxScan failed on a case JAX computed (the reason is the error).</summary>
    Failed,

    /// <summary>Computed and compared, but outside what LaxScan promises (a batch's matrix product); not counted.</summary>
    Informational,

    /// <summary>Nothing to compare (an <c>hlo</c> dump, or a case the harness did not run); not counted.</summary>
    Skipped,

    /// <summary>JAX itself failed on the case (its error is in the bundle); not counted.</summary>
    JaxFailed,
}

/// <summary>Helpers on <see cref="CaseStatus"/>.</summary>
internal static class CaseStatuses
{
    /// <summary>Whether the status counts toward "P/Q cases bit-exact".</summary>
    public static bool Counts(this CaseStatus status) => status <= CaseStatus.Failed;

    /// <summary>The status as the JSON report spells it: <c>bit_exact</c>, <c>mismatch</c>, <c>refused</c>, ...</summary>
    public static string Name(this CaseStatus status) => status switch
    {
        CaseStatus.BitExact => "bit_exact",
        CaseStatus.Mismatch => "mismatch",
        CaseStatus.Refused => "refused",
        CaseStatus.UnknownKind => "unknown_kind",
        CaseStatus.Failed => "failed",
        CaseStatus.Informational => "informational",
        CaseStatus.Skipped => "skipped",
        _ => "jax_failed",
    };
}

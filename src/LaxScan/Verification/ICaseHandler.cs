namespace LaxScan.Verification;

/// <summary>
/// Recomputes the cases of one kind with LaxScan and compares them with JAX's bits. One class per kind, listed in
/// <see cref="CaseHandlers.Default"/>; the Python side of a kind is <c>reference/jax/kinds/NAME.py</c>.
/// </summary>
/// <remarks>
/// A handler reads the case's fields from <see cref="CaseCheck.Case"/>, computes with the rules of
/// <see cref="CaseCheck.Version"/>, and hands each result to one of <see cref="CaseCheck"/>'s comparisons, which find
/// the matching field in <see cref="CaseCheck.Truth"/>. It throws <see cref="NotSupportedException"/> for a case
/// LaxScan refuses (the message says why) and <see cref="ReferenceBundleException"/> for a case that breaks the schema.
/// </remarks>
internal interface ICaseHandler
{
    /// <summary>The case kind this handler checks, as <c>cases.json</c> spells it.</summary>
    string Kind { get; }

    /// <summary>Recomputes one case and compares every result field it has.</summary>
    /// <param name="check">The case, JAX's result, the rules to follow, and the comparisons.</param>
    void Check(CaseCheck check);
}

namespace LaxScan.Verification;

/// <summary>The outcome of one case: its status, why (when not bit-exact), and the first mismatching elements.</summary>
/// <param name="Id">The case id.</param>
/// <param name="Kind">The case kind.</param>
/// <param name="Status">What became of it.</param>
/// <param name="Reason">Why it is not bit-exact, skipped or refused; for a bit-exact case, null, or the notes on fields compared outside the count (<see cref="CaseCheck.Notes"/>).</param>
/// <param name="Mismatches">The first mismatching elements (at most <see cref="VerifyOptions.MaxListedPerCase"/>).</param>
/// <param name="MismatchCount">How many elements differ in all.</param>
internal sealed record CaseReport(string Id, string Kind, CaseStatus Status, string? Reason, IReadOnlyList<BitMismatch> Mismatches, long MismatchCount);

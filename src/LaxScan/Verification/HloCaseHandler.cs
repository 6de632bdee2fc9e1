namespace LaxScan.Verification;

/// <summary><c>hlo</c>: XLA's optimised HLO text of the seed's scan, for a reader; informational, so skipped.</summary>
internal sealed class HloCaseHandler : ICaseHandler
{
    public string Kind => "hlo";

    public void Check(CaseCheck check) => check.Skip("hlo cases hold XLA's optimised HLO for a reader; there are no bits to compare");
}

using System.Globalization;

namespace LaxScan.Verification;

/// <summary>The outcome of checking one bundle: every case's report, the counts, and the summary line.</summary>
internal sealed class BundleReport
{
    internal BundleReport(ReferenceBundle bundle, JaxVersion version, bool versionFromBundle, IReadOnlyList<CaseReport> cases)
    {
        Path = bundle.Path;
        JaxVersionText = bundle.Provenance.JaxVersionText;
        Cpu = bundle.Provenance.Cpu;
        Version = version;
        VersionFromBundle = versionFromBundle;
        Cases = cases;
    }

    /// <summary>The bundle's folder.</summary>
    public string Path { get; }

    /// <summary>The JAX version the bundle records, or null.</summary>
    public string? JaxVersionText { get; }

    /// <summary>The CPU the bundle records, or null.</summary>
    public string? Cpu { get; }

    /// <summary>The release whose rules were asked for (the bundle's, or <see cref="VerifyOptions.JaxVersion"/>).</summary>
    public JaxVersion Version { get; }

    /// <summary>Whether <see cref="Version"/> is the bundle's own.</summary>
    public bool VersionFromBundle { get; }

    /// <summary>Every case, in the bundle's order.</summary>
    public IReadOnlyList<CaseReport> Cases { get; }

    /// <summary>The cases that count toward the summary (not informational, skipped or failed in JAX).</summary>
    public int Counted => Cases.Count(c => c.Status.Counts());

    /// <summary>The counted cases whose every bit equals JAX's.</summary>
    public int BitExact => Cases.Count(c => c.Status == CaseStatus.BitExact);

    /// <summary>Whether every counted case is bit-exact.</summary>
    public bool AllBitExact => BitExact == Counted;

    /// <summary>How many cases have each status.</summary>
    public IReadOnlyDictionary<CaseStatus, int> CountByStatus => Cases.GroupBy(c => c.Status).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>
    /// The human summary, <c>verify: P/Q cases bit-exact (jax X.Y.Z on CPU)</c>, with what was not counted and, for a
    /// release whose rules are not established, which rules ran.
    /// </summary>
    public string SummaryLine
    {
        get
        {
            string jax = JaxVersionText ?? "unknown version";
            string cpu = Cpu ?? "an unrecorded CPU";
            var notes = new List<string>();
            if (!VersionFromBundle)
            {
                notes.Add($"rules of jax {Version} as asked");
            }

            if (!Version.RulesAreEstablished)
            {
                notes.Add($"rules of jax {Version.RulesVersion}: those of {Version} are unverified");
            }

            IReadOnlyDictionary<CaseStatus, int> counts = CountByStatus;
            foreach (CaseStatus s in new[] { CaseStatus.Informational, CaseStatus.Skipped, CaseStatus.JaxFailed })
            {
                if (counts.TryGetValue(s, out int n))
                {
                    notes.Add(s switch
                    {
                        CaseStatus.Informational => $"{n} informational not counted",
                        CaseStatus.Skipped => $"{n} skipped",
                        _ => $"{n} failed in JAX",
                    });
                }
            }

            string extra = notes.Count == 0 ? string.Empty : "; " + string.Join("; ", notes);
            return string.Create(CultureInfo.InvariantCulture, $"verify: {BitExact}/{Counted} cases bit-exact (jax {jax} on {cpu}{extra})");
        }
    }
}

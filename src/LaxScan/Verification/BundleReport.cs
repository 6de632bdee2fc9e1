using System.Globalization;

namespace LaxScan.Verification;

/// <summary>The outcome of checking one bundle: every case's report, the counts, and the summary line.</summary>
internal sealed class BundleReport
{
    internal BundleReport(ReferenceBundle bundle, JaxVersion version, bool versionFromBundle, IReadOnlyList<CaseReport> cases)
    {
        Path = bundle.Path;
        JaxVersionText = bundle.Provenance.JaxVersionText;
        JaxlibVersionText = bundle.Provenance.JaxlibVersionText;
        Cpu = bundle.Provenance.Cpu;
        Version = version;
        VersionFromBundle = versionFromBundle;
        Cases = cases;
    }

    /// <summary>The bundle's folder.</summary>
    public string Path { get; }

    /// <summary>The JAX version the bundle records, or null.</summary>
    public string? JaxVersionText { get; }

    /// <summary>The jaxlib version the bundle records, or null: the version whose rules apply (<see cref="Verifier.VersionFor"/>).</summary>
    public string? JaxlibVersionText { get; }

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

    /// <summary>The counted cases whose bits were compared with JAX's: bit-exact or mismatching.</summary>
    public int Compared => Cases.Count(c => c.Status is CaseStatus.BitExact or CaseStatus.Mismatch);

    /// <summary>The cases JAX itself failed on (not counted).</summary>
    public int JaxFailed => Cases.Count(c => c.Status == CaseStatus.JaxFailed);

    /// <summary>Whether every counted case is bit-exact.</summary>
    public bool AllBitExact => BitExact == Counted;

    /// <summary>
    /// Why the bundle proves too little to pass even when nothing differs, or null: no case was compared (an empty
    /// case list, no results, or every case skipped or failed in JAX), or JAX failed on more cases than were compared
    /// (a run that broke for most cases checks little of what it claims). <c>laxscan verify</c> fails on it (exit 1)
    /// and the fixture tests require it to be null.
    /// </summary>
    public string? Problem
    {
        get
        {
            if (Compared == 0)
            {
                return string.Create(CultureInfo.InvariantCulture, $"no case of bundle '{Path}' was compared ({Cases.Count} cases, {JaxFailed} failed in JAX, {Cases.Count(c => c.Status == CaseStatus.Skipped)} skipped)");
            }

            return JaxFailed > Compared
                ? string.Create(CultureInfo.InvariantCulture, $"JAX failed on {JaxFailed} cases of bundle '{Path}', more than the {Compared} compared; the run that made it broke for most of its cases")
                : null;
        }
    }

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
            if (JaxlibVersionText is { } jaxlib && JaxVersionText is not null && jaxlib != JaxVersionText)
            {
                notes.Add($"jaxlib {jaxlib}, not {jax}: XLA ships in jaxlib, so jaxlib's version picks the rules");
            }

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

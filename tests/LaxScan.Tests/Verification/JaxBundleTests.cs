using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using LaxScan.Verification;

namespace LaxScan.Tests.Verification;

/// <summary>
/// Every case of every bundle under <c>tests/LaxScan.Tests/JaxBundles/</c> (bundles a real JAX run made, with their
/// provenance) must be bit-exact: one test per case, so a mismatch names the bundle and the case. With no bundle
/// committed, the one test skips and says why; it never passes without checking something.
/// </summary>
public class JaxBundleTests
{
    private const string None = "(none)";

    private static string Folder([CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(source))!, "JaxBundles");

    private static readonly Dictionary<string, ReferenceBundle> Loaded = [];

    private static ReferenceBundle Load(string folder, string name)
    {
        string path = Path.Combine(folder, name);
        lock (Loaded)
        {
            if (!Loaded.TryGetValue(path, out ReferenceBundle? bundle))
            {
                bundle = ReferenceBundle.Load(path);
                Loaded[path] = bundle;
            }

            return bundle;
        }
    }

    /// <summary>The bundle folders (those holding a truth.json) in a fixture folder.</summary>
    public static IEnumerable<string> BundleNames(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateDirectories(folder).Where(d => File.Exists(Path.Combine(d, "truth.json"))).Select(Path.GetFileName).Order(StringComparer.Ordinal)!
            : [];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (string name in BundleNames(Folder()))
        {
            foreach (BundleCase c in Load(Folder(), name).Cases)
            {
                data.Add(name, c.Id);
            }
        }

        if (data.Count == 0)
        {
            data.Add(None, None);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_case_of_every_JAX_made_bundle_is_bit_exact(string bundleName, string caseId)
    {
        if (bundleName == None)
        {
            Assert.Skip("no bundle made by a real JAX run is committed under tests/LaxScan.Tests/JaxBundles yet (see its README.md): nothing here has been checked against JAX");
        }

        Check(Folder(), bundleName, caseId);
    }

    /// <summary>The fixture test's check of one case: passes, skips (with the reason) or fails naming the case.</summary>
    private static void Check(string folder, string bundleName, string caseId)
    {
        ReferenceBundle bundle = Load(folder, bundleName);
        Assert.True(bundle.Provenance.JaxVersionText is not null && bundle.Provenance.Cpu is not null, $"{bundleName} must carry its provenance: the JAX version and the CPU");
        CaseReport report = new Verifier().VerifyCase(bundle, bundle.Cases.Single(c => c.Id == caseId));
        switch (report.Status)
        {
            case CaseStatus.BitExact:
                return;
            case CaseStatus.Skipped or CaseStatus.JaxFailed:
                Assert.Skip($"{bundleName} {caseId}: {report.Reason}");
                return;
            case CaseStatus.Informational when report.MismatchCount == 0:
                return;
            case CaseStatus.Informational:
                Assert.Skip($"{bundleName} {caseId} is informational (outside LaxScan's promise): {report.Reason}");
                return;
            default:
                Assert.Fail($"{bundleName} {caseId} ({report.Kind}) is {report.Status.Name()}: {report.Reason}\n{string.Join('\n', report.Mismatches)}");
                return;
        }
    }

    public static TheoryData<string> Bundles()
    {
        var data = new TheoryData<string>();
        foreach (string name in BundleNames(Folder()))
        {
            data.Add(name);
        }

        if (data.Count == 0)
        {
            data.Add(None);
        }

        return data;
    }

    /// <summary>
    /// The per-case test skips a case JAX failed on or did not reach, so a bundle of only such cases would pass having
    /// compared nothing: each bundle must have a bit-exact case, and no more JAX failures than compared cases
    /// (<see cref="BundleReport.Problem"/>, the rule <c>laxscan verify</c> fails on).
    /// </summary>
    [Theory]
    [MemberData(nameof(Bundles))]
    public void Every_JAX_made_bundle_compares_at_least_one_case_bit_exact(string bundleName)
    {
        Assert.SkipWhen(bundleName == None, "no bundle made by a real JAX run is committed under tests/LaxScan.Tests/JaxBundles yet (see its README.md)");
        BundleReport report = new Verifier().Verify(Load(Folder(), bundleName));
        Assert.True(report.Problem is null, report.Problem);
        Assert.True(report.BitExact >= 1, $"{bundleName}: no case is bit-exact ({report.SummaryLine})");
    }

    [Fact]
    public void A_bundle_in_the_fixture_folder_has_every_case_checked_the_recurrent_kinds_included()
    {
        // The fixture test's own enumeration and check, on a folder holding the tests' bundle of published and
        // hand-derived values (PublishedBundle: not a JAX run, so it is never committed as a fixture). Every case must
        // be found and pass, the rnn and rnn_math ones among them; one flipped bit of the rnn case must fail it.
        using var directory = new Cli.TempDirectory();
        string folder = directory["fixtures"];
        var published = new PublishedBundle();
        published.WriteTo(Path.Combine(folder, "published"));
        JsonArray outs = (JsonArray)((JsonArray)published.Result("rnn_simple_identity")["out"]!)[0]!;
        outs[2] = (uint)outs[2]! ^ 1;
        published.WriteTo(Path.Combine(folder, "one_bit_off"));
        Directory.CreateDirectory(Path.Combine(folder, "not_a_bundle"));

        Assert.Equal<string>(["one_bit_off", "published"], [.. BundleNames(folder)]);
        ReferenceBundle bundle = Load(folder, "published");
        Assert.Equal(published.CaseCount, bundle.Cases.Count);
        Assert.Contains(bundle.Cases, c => c.Kind == "rnn");
        Assert.Contains(bundle.Cases, c => c.Kind == "rnn_math");
        foreach (BundleCase c in bundle.Cases)
        {
            Check(folder, "published", c.Id);
        }

        var failure = Assert.ThrowsAny<Exception>(() => Check(folder, "one_bit_off", "rnn_simple_identity"));
        Assert.Contains("one_bit_off rnn_simple_identity (rnn) is mismatch", failure.Message, StringComparison.Ordinal);
        Check(folder, "one_bit_off", "exp_exact");
    }

    [Fact]
    public void The_fixture_folder_holds_only_bundles_with_their_provenance()
    {
        string[] directories = [.. Directory.EnumerateDirectories(Folder())];
        Assert.SkipWhen(directories.Length == 0, "no bundle is committed under tests/LaxScan.Tests/JaxBundles yet");
        foreach (string directory in directories)
        {
            Assert.True(File.Exists(Path.Combine(directory, "truth.json")), $"{directory} is not a bundle (no truth.json)");
            Assert.True(File.Exists(Path.Combine(directory, "provenance.json")), $"{directory} has no provenance.json: a JAX-made bundle keeps its provenance beside it");
        }
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using LaxScan.Cli;
using LaxScan.Tests.Cli;
using static LaxScan.Tests.Cli.CliHarness;
using static LaxScan.Tests.Verification.PublishedBundle;

namespace LaxScan.Tests.Verification;

/// <summary>
/// <c>laxscan verify</c> on bundles whose truth is independent of LaxScan: values JAX, XLA and Random123 publish
/// (<see cref="PublishedBundle"/>). A bundle that agrees passes; one flipped bit fails and is named with its case,
/// index, both bit patterns and the ulp distance; a broken bundle is one <c>error:</c> line.
/// </summary>
public class VerifyCommandTests
{
    private static (CliRun Run, JsonElement Report) Verify(params string[] args)
    {
        CliRun run = Run(["verify", .. args]);
        return (run, run.Stdout.Length > 0 ? Report(run.Stdout) : default);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void A_bundle_of_published_values_is_bit_exact()
    {
        using var directory = new TempDirectory();
        var bundle = new PublishedBundle();
        string path = bundle.WriteTo(directory["published"]);

        (CliRun run, JsonElement report) = Verify(path);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal($"verify: {bundle.CaseCount}/{bundle.CaseCount} cases bit-exact (jax 0.11.0 on published values)\n", run.Stderr);
        Assert.True(report.GetProperty("bit_exact").GetBoolean());
        Assert.Equal(bundle.CaseCount, report.GetProperty("cases").GetInt32());
        JsonElement b = report.GetProperty("bundles")[0];
        Assert.Equal("0.11.0", b.GetProperty("rules").GetString());
        Assert.True(b.GetProperty("rules_established").GetBoolean());
        Assert.Equal(0, b.GetProperty("not_bit_exact").GetArrayLength());
    }

    [Fact]
    public void One_flipped_bit_fails_naming_the_case_the_index_both_patterns_and_the_ulps()
    {
        using var directory = new TempDirectory();
        var bundle = new PublishedBundle();
        JsonArray bits = (JsonArray)((JsonArray)bundle.Result("init_tn5")["f32"]!)[0]!;
        uint published = (uint)bits[4]!;
        bits[4] = published ^ 1;   // the lowest mantissa bit: 1 ulp away
        string path = bundle.WriteTo(directory["flipped"]);

        (CliRun run, JsonElement report) = Verify(path);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        string[] lines = Lines(run.Stderr);
        Assert.Equal(
            $"init_tn5 (init) f32[4]: jax 0x{published ^ 1:X8} ({Bits.Float(published ^ 1):R}), laxscan 0x{published:X8} ({Bits.Float(published):R}) (1 ulp)",
            lines[0]);
        Assert.Equal($"error: 1 of {bundle.CaseCount} cases are not bit-exact with JAX", lines[1]);
        Assert.Equal($"verify: {bundle.CaseCount - 1}/{bundle.CaseCount} cases bit-exact (jax 0.11.0 on published values)", lines[2]);
        Assert.Equal(3, lines.Length);
        Assert.False(report.GetProperty("bit_exact").GetBoolean());
        JsonElement failed = report.GetProperty("bundles")[0].GetProperty("not_bit_exact")[0];
        Assert.Equal("init_tn5", failed.GetProperty("case").GetString());
        Assert.Equal("mismatch", failed.GetProperty("status").GetString());
        JsonElement m = failed.GetProperty("mismatches")[0];
        Assert.Equal(4, m.GetProperty("index").GetInt32());
        Assert.Equal(published ^ 1, m.GetProperty("jax").GetUInt32());
        Assert.Equal(published, m.GetProperty("laxscan").GetUInt32());
        Assert.Equal(1, m.GetProperty("ulps").GetInt32());
    }

    [Fact]
    public void A_flipped_key_word_or_check_value_fails_too()
    {
        using var directory = new TempDirectory();
        var bundle = new PublishedBundle();
        JsonArray words = (JsonArray)bundle.Result("split_p")["u32"]!;
        words[3] = (long)words[3]! ^ 0x8000_0000L;
        JsonArray eager = (JsonArray)bundle.Result("check_tanh")["in_scan"]!;
        eager[0] = (uint)eager[0]! + 3;
        string path = bundle.WriteTo(directory["flipped"]);

        (CliRun run, _) = Verify(path);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("split_p (random) u32[3]: jax 1306203421, laxscan 3453687069\n", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("check_tanh (math) in_scan[0]: jax 0x3EEC9AA2", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("(3 ulps)", run.Stderr, StringComparison.Ordinal);
        Assert.EndsWith($"verify: {bundle.CaseCount - 2}/{bundle.CaseCount} cases bit-exact (jax 0.11.0 on published values)\n", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_rnn_handler_compares_the_outputs_and_the_carry_and_applies_the_bundle_s_checkpoint()
    {
        using var directory = new TempDirectory();
        var bundle = new PublishedBundle();
        JsonObject result = bundle.Result("rnn_simple_identity");
        JsonArray outs = (JsonArray)((JsonArray)result["out"]!)[0]!;
        JsonArray carry = (JsonArray)((JsonArray)result["carry_h"]!)[0]!;
        uint published = (uint)outs[4]!;
        outs[4] = published ^ 1;
        carry[0] = (uint)carry[0]! ^ 0x8000_0000u;
        string path = bundle.WriteTo(directory["flipped"]);

        (CliRun run, _) = Verify(path);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains($"rnn_simple_identity (rnn) out[4]: jax 0x{published ^ 1:X8}", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("rnn_simple_identity (rnn) carry_h[0]: jax 0x", run.Stderr, StringComparison.Ordinal);
        Assert.EndsWith($"verify: {bundle.CaseCount - 1}/{bundle.CaseCount} cases bit-exact (jax 0.11.0 on published values)\n", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_kinds_are_reported_and_fail_hlo_and_jax_failures_are_not_counted()
    {
        using var directory = new TempDirectory();
        var bundle = new PublishedBundle();
        bundle.Add(Case("gru_0", "gru_cell", ("hidden", 3)), new JsonObject { ["out"] = Pair([1], [0]) });
        bundle.Add(Case("h0009", "hlo", ("hidden", 9)), new JsonObject { ["hlo_scan"] = "HloModule jit_seed_scan" });
        bundle.Add(Case("r_bad", "random", ("fn", "normal"), ("shape", Ints(3)), ("seed", 0)), new JsonObject { ["error"] = "Traceback ...\nValueError: boom" });
        int published = bundle.CaseCount - 3;
        string path = bundle.WriteTo(directory["mixed"]);

        (CliRun run, JsonElement report) = Verify(path);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("gru_0 (gru_cell) unknown_kind: no handler for kind 'gru_cell' in this LaxScan; known: dense, dot, hlo, init, math, mission, random, rnn, rnn_math\n", run.Stderr, StringComparison.Ordinal);
        Assert.EndsWith($"verify: {published}/{published + 1} cases bit-exact (jax 0.11.0 on published values; 1 skipped; 1 failed in JAX)\n", run.Stderr, StringComparison.Ordinal);
        JsonElement statuses = report.GetProperty("bundles")[0].GetProperty("statuses");
        Assert.Equal(1, statuses.GetProperty("unknown_kind").GetInt32());
        Assert.Equal(1, statuses.GetProperty("skipped").GetInt32());
        Assert.Equal(1, statuses.GetProperty("jax_failed").GetInt32());
    }

    [Fact]
    public void A_NaN_matches_a_NaN_of_another_payload_but_not_a_number()
    {
        using var directory = new TempDirectory();
        var bundle = new PublishedBundle();
        // log(-1) on XLA:CPU is the all-ones NaN; a bundle with the default quiet NaN still matches (payloads are not promised).
        bundle.Add(Case("log_neg", "math", ("fn", "log"), ("x", Words(Bits.Of(-1f)))), new JsonObject { ["eager"] = Words(0x7FC0_0000), ["in_scan"] = Words(0x3F80_0000) });
        string path = bundle.WriteTo(directory["nan"]);

        (CliRun run, _) = Verify(path);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("log_neg (math) in_scan[0]: jax 0x3F800000 (1), laxscan 0xFFFFFFFF (NaN) (NaN against a number)\n", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("eager", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_release_whose_dot_LaxScan_cannot_reproduce_is_refused_and_counted()
    {
        using var directory = new TempDirectory();
        var bundle = new PublishedBundle { JaxVersion = "0.9.0" };
        bundle.Add(Case("v008", "dot", ("hidden", 8), ("w_seed", 0), ("x", Words([.. Enumerable.Repeat(Bits.Of(1f), 8)])), ("where", "eager")), new JsonObject { ["out"] = Pair([8], new uint[8]) });
        string path = bundle.WriteTo(directory["ynnpack"]);

        (CliRun run, _) = Verify(path);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("v008 (dot) refused: JAX 0.9.0 computes x @ W with H >= 8 in YNNPACK", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("dot_zero_x (dot) refused: JAX 0.9.0 computes x @ W with H >= 8 in YNNPACK", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("rnn_simple_identity (rnn) refused: SimpleCell follows XLA as JAX 0.10.2 and later compile it", run.Stderr, StringComparison.Ordinal);
        Assert.EndsWith($"verify: {bundle.CaseCount - 3}/{bundle.CaseCount} cases bit-exact (jax 0.9.0 on published values)\n", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_release_newer_than_the_established_rules_runs_with_them_and_says_so()
    {
        using var directory = new TempDirectory();
        var bundle = new PublishedBundle { JaxVersion = "0.11.2" };
        string path = bundle.WriteTo(directory["newer"]);

        (CliRun run, JsonElement report) = Verify(path);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal($"verify: {bundle.CaseCount}/{bundle.CaseCount} cases bit-exact (jax 0.11.2 on published values; rules of jax 0.11.0: those of 0.11.2 are unverified)\n", run.Stderr);
        Assert.False(report.GetProperty("bundles")[0].GetProperty("rules_established").GetBoolean());
    }

    [Fact]
    public void The_version_comes_from_the_bundle_unless_given_and_a_harness_bundle_without_provenance_reads_its_meta()
    {
        using var directory = new TempDirectory();
        var bundle = new PublishedBundle { WithProvenance = false, JaxVersion = "0.10.0" };
        string path = bundle.WriteTo(directory["meta"]);

        (CliRun run, _) = Verify(path, "--jax-version", "0.10.2");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal($"verify: {bundle.CaseCount}/{bundle.CaseCount} cases bit-exact (jax 0.10.0 on (published values, no CPU); rules of jax 0.10.2 as asked)\n", run.Stderr);
    }

    [Fact]
    public void Several_bundles_are_checked_in_order_with_one_summary_line_each()
    {
        using var directory = new TempDirectory();
        string a = new PublishedBundle().WriteTo(directory["a"]);
        var broken = new PublishedBundle();
        ((JsonArray)broken.Result("fold4_o")["u32"]!)[0] = 1;
        string b = broken.WriteTo(directory["b"]);

        (CliRun run, JsonElement report) = Verify(a, b);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        string[] lines = Lines(run.Stderr);
        Assert.StartsWith($"{b}: fold4_o (random) u32[0]: jax 1, laxscan 2285895361", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"{a}: verify: ", lines[^2], StringComparison.Ordinal);
        Assert.StartsWith($"{b}: verify: ", lines[^1], StringComparison.Ordinal);
        Assert.Equal(2, report.GetProperty("bundles").GetArrayLength());
    }

    public static TheoryData<string, string> BrokenBundles => new()
    {
        { "missing", "no such folder" },
        { "file", "is a file; give the bundle's folder" },
        { "no truth", "has no truth.json" },
        { "bad json", "truth.json is not valid JSON" },
        { "results not an object", "truth.json is not an object with \"results\"" },
        { "cases not a list", "cases.json is not a list of cases" },
        { "case without kind", "cases.json[0] is not an object with a string \"id\" and \"kind\"" },
        { "duplicate id", "the case id 'split_p' appears twice" },
        { "hash", "truth.json does not match the sha256 in provenance.json" },
        { "bad field", "case 'split_p' (random) field \"n\" is not an int32" },
        { "bad pair", "the result of case 'init_tn5' field \"f32\" has 5 values for shape (2, 3)" },
        { "no version", "does not say which JAX made it" },
        { "old version", "JAX 0.4.35 is older than 0.5.0" },
    };

    [Theory]
    [MemberData(nameof(BrokenBundles))]
    public void A_bundle_that_cannot_be_read_is_one_error_line(string breakage, string message)
    {
        using var directory = new TempDirectory();
        var bundle = new PublishedBundle();
        string path = directory["bundle"];
        switch (breakage)
        {
            case "missing":
                break;
            case "file":
                File.WriteAllText(path, "{}");
                break;
            case "duplicate id":
                bundle.Add(Case("split_p", "random", ("fn", "split"), ("n", 2), ("seed", 0)), new JsonObject());
                bundle.WriteTo(path);
                break;
            case "bad field":
                ((JsonObject)bundle.Result("split_p")).Remove("u32");
                bundle.WriteTo(path);
                File.WriteAllText(Path.Combine(path, "cases.json"), File.ReadAllText(Path.Combine(path, "cases.json")).Replace("\"n\":2", "\"n\":\"two\"", StringComparison.Ordinal));
                File.Delete(Path.Combine(path, "provenance.json"));
                break;
            case "bad pair":
                ((JsonArray)((JsonArray)bundle.Result("init_tn5")["f32"]!)[0]!).RemoveAt(5);
                bundle.WriteTo(path);
                break;
            case "no version":
                bundle.WithProvenance = false;
                bundle.WriteTo(path);
                File.WriteAllText(Path.Combine(path, "truth.json"), File.ReadAllText(Path.Combine(path, "truth.json")).Replace("\"jax\":\"0.11.0\",", string.Empty, StringComparison.Ordinal));
                break;
            case "old version":
                bundle.JaxVersion = "0.4.35";
                bundle.WriteTo(path);
                break;
            default:
                bundle.WriteTo(path);
                string truth = Path.Combine(path, "truth.json");
                string cases = Path.Combine(path, "cases.json");
                switch (breakage)
                {
                    case "no truth": File.Delete(truth); break;
                    case "bad json": File.WriteAllText(truth, "{\"results\": {"); File.Delete(Path.Combine(path, "provenance.json")); break;
                    case "results not an object": File.WriteAllText(truth, "{\"results\": []}"); File.Delete(Path.Combine(path, "provenance.json")); break;
                    case "cases not a list": File.WriteAllText(cases, "{}"); File.Delete(Path.Combine(path, "provenance.json")); break;
                    case "case without kind": File.WriteAllText(cases, "[{\"id\": \"a\"}]"); File.Delete(Path.Combine(path, "provenance.json")); break;
                    case "hash": File.AppendAllText(truth, " "); break;
                }

                break;
        }

        string error = AssertFails(Run("verify", path), ExitCodes.Failure);

        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[] { "verify" }, "Required argument 'BUNDLE' missing for command: 'verify'.")]
    [InlineData(new string[] { "verify", "b", "--jax-version", "abc" }, "--jax-version expects a JAX version such as 0.10.2, but got 'abc'")]
    [InlineData(new string[] { "verify", "b", "--max-mismatches", "-1" }, "--max-mismatches must be 0 or more, but got -1")]
    [InlineData(new string[] { "verify", "b", "--bogus" }, "Unrecognized command or argument '--bogus'.")]
    public void Usage_errors_exit_2(string[] args, string message)
    {
        Assert.Contains(message, AssertFails(Run(args), ExitCodes.Usage), StringComparison.Ordinal);
    }

    [Fact]
    public void Mismatch_lines_are_capped_per_case_and_every_one_is_counted()
    {
        using var directory = new TempDirectory();
        var bundle = new PublishedBundle();
        JsonArray bits = (JsonArray)((JsonArray)bundle.Result("init_uniform10")["f32"]!)[0]!;
        for (int i = 0; i < bits.Count; i++)
        {
            bits[i] = (uint)bits[i]! + 2;
        }

        string path = bundle.WriteTo(directory["capped"]);

        (CliRun run, JsonElement report) = Verify(path, "--max-mismatches", "2");

        string[] lines = Lines(run.Stderr);
        Assert.Equal(2, lines.Count(l => l.StartsWith("init_uniform10 (init) f32[", StringComparison.Ordinal)));
        Assert.Contains("init_uniform10 (init) ... 4 more elements differ", lines);
        Assert.Equal(6, report.GetProperty("bundles")[0].GetProperty("not_bit_exact")[0].GetProperty("mismatch_count").GetInt32());
    }
}

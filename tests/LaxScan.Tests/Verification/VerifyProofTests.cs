using System.Text.Json;
using System.Text.Json.Nodes;
using LaxScan.Cli;
using LaxScan.Cli.Cancellation;
using LaxScan.Cli.Io;
using LaxScan.Tests.Cli;
using LaxScan.Verification;
using static LaxScan.Tests.Cli.CliHarness;
using static LaxScan.Tests.Verification.PublishedBundle;

namespace LaxScan.Tests.Verification;

/// <summary>
/// What makes a <c>laxscan verify</c> pass mean something: a bundle that compared nothing fails, the rules come from
/// jaxlib (which ships XLA), a long case stops on Ctrl-C, and the comparison helpers the init path relies on (the
/// sha256 of W, the float32 bytes, the checkpoint hex, the states) meet answers computed outside LaxScan.
/// </summary>
public class VerifyProofTests
{
    /// <summary>Writes a bundle from raw JSON (cases.json, truth.json's results and meta), without provenance.json.</summary>
    private static string WriteRaw(string folder, string cases, string results, string jax = "0.11.0", string? jaxlib = null)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "cases.json"), cases);
        var meta = new JsonObject { ["jax"] = jax, ["cpu"] = "test CPU" };
        if (jaxlib is not null)
        {
            meta["jaxlib"] = jaxlib;
        }

        File.WriteAllText(Path.Combine(folder, "truth.json"), new JsonObject { ["meta"] = meta, ["results"] = JsonNode.Parse(results) }.ToJsonString());
        return folder;
    }

    // check_tanh of PublishedBundle: XLA's check value tanh(0.5) = 0x3EEC9A9F, eager and in a scan body.
    private const string TanhCase = """{"id": "tanh", "kind": "math", "fn": "tanh", "x": [1056964608]}""";
    private const string TanhResult = """{"eager": [1055693471], "in_scan": [1055693471]}""";
    private const string Failed = """{"error": "Traceback ...\nRuntimeError: boom"}""";

    public static TheoryData<string, string, string> NothingCompared => new()
    {
        { "every case failed in JAX", $"[{TanhCase}, {TanhCase.Replace("\"tanh\",", "\"tanh2\",", StringComparison.Ordinal)}]", $$"""{"tanh": {{Failed}}, "tanh2": {{Failed}}}""" },
        { "no results", $"[{TanhCase}]", "{}" },
        { "no cases", "[]", "{}" },
    };

    [Theory]
    [MemberData(nameof(NothingCompared))]
    public void A_bundle_that_compared_nothing_fails_instead_of_printing_0_of_0(string what, string cases, string results)
    {
        using var directory = new TempDirectory();
        string path = WriteRaw(directory["b"], cases, results);

        CliRun run = Run("verify", path);

        Assert.True(run.ExitCode == ExitCodes.Failure, $"{what}: exit {run.ExitCode}, stderr: {run.Stderr}");
        Assert.Contains($"error: no case of bundle '{path}' was compared", run.Stderr, StringComparison.Ordinal);
        Assert.Single(run.Stderr.Split('\n'), l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.False(Report(run.Stdout).GetProperty("bit_exact").GetBoolean());
        Assert.NotNull(new Verifier().Verify(ReferenceBundle.Load(path)).Problem);
    }

    [Fact]
    public void More_JAX_failures_than_compared_cases_fail_and_as_many_pass()
    {
        using var directory = new TempDirectory();
        string Case(string id) => TanhCase.Replace("\"tanh\",", $"\"{id}\",", StringComparison.Ordinal);
        string worse = WriteRaw(directory["worse"], $"[{TanhCase}, {Case("f1")}, {Case("f2")}]", $$"""{"tanh": {{TanhResult}}, "f1": {{Failed}}, "f2": {{Failed}}}""");
        string even = WriteRaw(directory["even"], $"[{TanhCase}, {Case("f1")}]", $$"""{"tanh": {{TanhResult}}, "f1": {{Failed}}}""");

        CliRun failing = Run("verify", worse);
        CliRun passing = Run("verify", even);

        Assert.Equal(ExitCodes.Failure, failing.ExitCode);
        Assert.Contains($"error: JAX failed on 2 cases of bundle '{worse}', more than the 1 compared", failing.Stderr, StringComparison.Ordinal);
        Assert.EndsWith("verify: 1/1 cases bit-exact (jax 0.11.0 on test CPU; 2 failed in JAX)\n", failing.Stderr, StringComparison.Ordinal);
        Assert.True(passing.ExitCode == 0, passing.Stderr);
        Assert.Equal("verify: 1/1 cases bit-exact (jax 0.11.0 on test CPU; 1 failed in JAX)\n", passing.Stderr);
    }

    [Fact]
    public void The_rules_are_jaxlib_s_and_the_summary_says_when_jax_differs()
    {
        using var directory = new TempDirectory();
        var bundle = new PublishedBundle();
        string path = bundle.WriteTo(directory["mixed"]);

        // provenance.json is not itself hashed: a jaxlib older than jax (pip allows any pairing within limits).
        string provenance = Path.Combine(path, "provenance.json");
        JsonObject p = JsonNode.Parse(File.ReadAllText(provenance))!.AsObject();
        p["jaxlib"] = "0.9.0";
        File.WriteAllText(provenance, p.ToJsonString());

        CliRun run = Run("verify", path);
        JsonElement report = Report(run.Stdout);

        // SimpleCell is refused under 0.9.0's rules (docs/parity.md: YNNPACK for H >= 8 then; the cells follow 0.10.2+):
        // jax's 0.11.0 would have run it and passed, so the refusal shows jaxlib picked the rules.
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("rnn_simple_identity (rnn) refused: SimpleCell follows XLA as JAX 0.10.2 and later compile it", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("(jax 0.11.0 on published values; jaxlib 0.9.0, not 0.11.0: XLA ships in jaxlib, so jaxlib's version picks the rules)", run.Stderr, StringComparison.Ordinal);
        JsonElement b = report.GetProperty("bundles")[0];
        Assert.Equal("0.9.0", b.GetProperty("jaxlib").GetString());
        Assert.Equal("0.9.0", b.GetProperty("rules").GetString());
    }

    [Fact]
    public void A_harness_bundle_without_provenance_takes_jaxlib_from_its_meta()
    {
        using var directory = new TempDirectory();
        string path = WriteRaw(directory["meta"], $"[{TanhCase}]", $$"""{"tanh": {{TanhResult}}}""", jax: "0.11.0", jaxlib: "0.4.30");

        CliRun run = Run("verify", path);

        // jaxlib 0.4.30 is older than any release LaxScan follows: refused by jaxlib's version although jax's is fine.
        Assert.Contains("JAX 0.4.30 is older than 0.5.0", AssertFails(run, ExitCodes.Failure), StringComparison.Ordinal);
    }

    [Fact]
    public void The_by_hand_states_are_compared_and_a_flipped_state_is_named()
    {
        using var directory = new TempDirectory();
        var bundle = new PublishedBundle();
        JsonArray states = (JsonArray)((JsonArray)bundle.Result("mission_identity")["states"]!)[0]!;
        uint published = (uint)states[7]!;
        states[7] = published ^ 1;
        string path = bundle.WriteTo(directory["states"]);

        CliRun run = Run("verify", path);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains($"mission_identity (mission) states[7]: jax 0x{published ^ 1:X8}", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void States_the_harness_flagged_with_a_note_are_informational()
    {
        using var directory = new TempDirectory();
        var bundle = new PublishedBundle();
        JsonObject result = bundle.Result("mission_identity");
        JsonArray states = (JsonArray)((JsonArray)result["states"]!)[0]!;
        states[7] = (uint)states[7]! ^ 1;
        result["states_note"] = "the traced scan ended on other bits than apply: XLA compiled the two scans differently";
        string path = bundle.WriteTo(directory["noted"]);

        CliRun run = Run("verify", path);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("mission_identity (mission) bit_exact; states: 1 of 18 elements differ (informational, not counted: the harness noted: the traced scan ended", run.Stderr, StringComparison.Ordinal);
        Assert.EndsWith($"verify: {bundle.CaseCount}/{bundle.CaseCount} cases bit-exact (jax 0.11.0 on published values)\n", run.Stderr, StringComparison.Ordinal);
    }

    private static CaseCheck CheckOf(string truth)
    {
        using JsonDocument c = JsonDocument.Parse("""{"id": "k", "kind": "mission"}""");
        using JsonDocument t = JsonDocument.Parse(truth);
        return new CaseCheck(new BundleCase("k", "mission", c.RootElement.Clone()), new CaseTruth("k", t.RootElement.Clone()), JaxVersion.Default, maxListed: 8);
    }

    [Fact]
    public void The_sha256_comparison_meets_the_published_test_vector()
    {
        // FIPS 180-2, Appendix B.1: SHA-256("abc").
        CaseCheck good = CheckOf("""{"W_sha256": "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"}""");
        good.Sha256("W_sha256", "abc"u8);
        CaseCheck bad = CheckOf("""{"W_sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ae"}""");
        bad.Sha256("W_sha256", "abc"u8);

        Assert.Equal((1L, 0L), (good.Compared, good.MismatchCount));
        Assert.Equal(1, bad.MismatchCount);
        Assert.Equal("W_sha256: the hashes differ (jax ba7816bf8f01cfea..., laxscan ba7816bf8f01cfea...)", bad.Mismatches[0].ToString());
    }

    [Fact]
    public void W_s_bytes_and_their_sha256_meet_numpy_and_hashlib()
    {
        // Computed when this test was written, outside LaxScan, with Debian's numpy 1.24.2 and Python's hashlib:
        //   a = np.array([1, -2, 0.1, -0.0, np.inf], dtype='<f4')
        //   a.tobytes().hex()                    -> 0000803f000000c0cdcccc3d000000800000807f
        //   hashlib.sha256(a.tobytes()).hexdigest() -> bad89da7ed7dea63c184bc878f413117db462327e21421b055a95d420be47122
        float[] w = [1f, -2f, 0.1f, -0f, float.PositiveInfinity];
        byte[] bytes = MissionCaseHandler.Float32Bytes(w);
        CaseCheck check = CheckOf("""{"W_sha256": "bad89da7ed7dea63c184bc878f413117db462327e21421b055a95d420be47122", "raw_hex": "0000803f000000c0cdcccc3d000000800000807f"}""");

        check.Sha256("W_sha256", bytes);
        check.HexBytes("raw_hex", bytes);

        Assert.Equal("0000803f000000c0cdcccc3d000000800000807f", Convert.ToHexStringLower(bytes));
        Assert.Equal((21L, 0L), (check.Compared, check.MismatchCount));
    }

    [Fact]
    public void The_hex_comparison_names_the_byte_offset_that_differs()
    {
        // bytes.hex() of msgpack {"a": 1} as Python writes it: 0x81 (a map of one), 0xa1 'a' (a 1-byte str), 0x01.
        CaseCheck check = CheckOf("""{"msgpack_hex": "81a16101"}""");
        check.HexBytes("msgpack_hex", [0x81, 0xA1, 0x61, 0x02]);
        CaseCheck upper = CheckOf("""{"msgpack_hex": "81A16101"}""");
        upper.HexBytes("msgpack_hex", [0x81, 0xA1, 0x61, 0x01]);

        Assert.Equal("msgpack_hex[3]: jax 0x01, laxscan 0x02", Assert.Single(check.Mismatches).ToString());
        Assert.Equal((4L, 0L), (upper.Compared, upper.MismatchCount));
    }

    [Fact]
    public async Task A_long_case_stops_inside_the_case_when_cancelled()
    {
        using var directory = new TempDirectory();
        var bundle = new PublishedBundle();
        // T = 10^12 steps of H = 3: hours of work. Only a check inside the case can stop it in time.
        bundle.Add(Case("mission_long", "mission", ("mode", "partitionable"), ("hidden", 3), ("T", 1_000_000_000_000L), ("xshape", Ints(3)), ("x", Words(0, 0, 0)), ("W", Words(new uint[9]))), new JsonObject { ["out"] = Pair([3], [0, 0, 0]) });
        ReferenceBundle loaded = ReferenceBundle.Load(bundle.WriteTo(directory["long"]));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        Task verify = Task.Run(() => new Verifier().Verify(loaded, cancellationToken: cancel.Token));

        Assert.True(await Task.WhenAny(verify, Task.Delay(TimeSpan.FromMinutes(2))) == verify, "verify ran on two minutes after its token was cancelled");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => verify);
    }

    [Fact]
    public async Task Ctrl_C_inside_a_long_case_exits_130()
    {
        using var directory = new TempDirectory();
        var bundle = new PublishedBundle();
        bundle.Add(Case("mission_long", "mission", ("mode", "partitionable"), ("hidden", 3), ("T", 1_000_000_000_000L), ("xshape", Ints(3)), ("x", Words(0, 0, 0)), ("W", Words(new uint[9]))), new JsonObject { ["out"] = Pair([3], [0, 0, 0]) });
        string path = bundle.WriteTo(directory["long"]);
        using var interrupt = InterruptSignal.Manual();
        using var timer = new Timer(_ => interrupt.Raise(), null, TimeSpan.FromMilliseconds(500), Timeout.InfiniteTimeSpan);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        Task<int> run = Task.Run(() => LaxScanCli.Run(["verify", path], stdout, stderr, new NpyArrayFiles(), interrupt: interrupt));

        Assert.True(await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(2))) == run, "verify ran on two minutes after Ctrl-C");
        Assert.Equal((130, string.Empty, "error: interrupted\n"), (await run, stdout.ToString(), stderr.ToString()));
    }

    [Fact]
    public void A_field_error_names_the_bundle_and_items_are_counted_from_0_as_in_mismatch_lines()
    {
        using var directory = new TempDirectory();
        var bundle = new PublishedBundle();
        JsonArray words = (JsonArray)bundle.Result("split_p")["u32"]!;
        words[2] = "x";
        string path = bundle.WriteTo(directory["field"]);

        string error = AssertFails(Run("verify", path), ExitCodes.Failure);

        Assert.Equal($"bundle '{path}': the result of case 'split_p' field \"u32\"[2] is a string, not an unsigned integer", error);
    }

    [Fact]
    public void A_case_LaxScan_fails_on_gives_its_reason_without_NET_parameter_names()
    {
        using var directory = new TempDirectory();
        var bundle = new PublishedBundle();
        bundle.Add(Case("mission_h0", "mission", ("mode", "partitionable"), ("hidden", 0), ("T", 1), ("xshape", Ints(0)), ("x", Words()), ("W", Words())), new JsonObject { ["out"] = Pair([0], []) });
        string path = bundle.WriteTo(directory["h0"]);

        CliRun run = Run("verify", path);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("mission_h0 (mission) failed: LaxScan failed: ArgumentOutOfRangeException: hidden must be >= 1", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", run.Stdout, StringComparison.Ordinal);
    }
}

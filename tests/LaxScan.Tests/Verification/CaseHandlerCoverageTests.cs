using System.Text.Json.Nodes;
using LaxScan.Tests.Cli;
using LaxScan.Verification;
using static LaxScan.Tests.Verification.PublishedBundle;

namespace LaxScan.Tests.Verification;

/// <summary>
/// Every case kind the harness writes (reference/jax/kinds/*.py; <see cref="HarnessTests"/> checks that list against
/// <see cref="CaseHandlers.Default"/>) on a small hand-written case from <see cref="PublishedBundle"/>: its handler
/// passes the correct truth and reports a truth one bit off as a mismatch at that field and index. A handler that
/// compared nothing, compared the wrong field, or ignored an element would pass the first half and fail the second.
/// </summary>
public class CaseHandlerCoverageTests
{
    /// <summary>One case per kind: the result field to change, the element, and how the element is stored.</summary>
    public static TheoryData<string, string, string, int> Kinds => new()
    {
        { "random", "split_p", "u32", 3 },                 // Random123/JAX-published split of key(0)
        { "init", "init_tn5", "f32", 4 },                  // jax.nn.initializers.truncated_normal's docstring
        { "math", "check_erf", "eager", 0 },               // XLA's check value erf(1)
        { "mission", "mission_identity", "out", 0 },       // by hand: W = I, tanh(x) = x for tiny x
        { "dense", "dense_ints", "out", 1 },               // by hand: small integers
        { "dot", "dot_zero_x", "out", 5 },                 // by hand: x = +0 in one tile of 8
        { "rnn", "rnn_simple_identity", "carry_h", 1 },    // by hand: SimpleCell with kernel I
        { "rnn_math", "exp_exact", "in_scan", 1 },         // exact: exp(-0) = 1
    };

    [Fact]
    public void Every_handler_but_hlo_s_has_a_case_here()
    {
        string[] covered = [.. Kinds.Select(row => row.Data.Item1).Append("hlo").Order(StringComparer.Ordinal)];
        Assert.Equal<string>([.. CaseHandlers.Default.Select(h => h.Kind).Order(StringComparer.Ordinal)], covered);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_handler_passes_the_right_bits_and_reports_one_flipped_bit(string kind, string caseId, string field, int index)
    {
        using var directory = new TempDirectory();
        var bundle = new PublishedBundle();
        CaseReport right = VerifyOne(bundle.WriteTo(directory["right"]), caseId);
        Assert.Equal(kind, right.Kind);
        Assert.True(right.Status == CaseStatus.BitExact, $"{caseId}: {right.Status.Name()} {right.Reason} {string.Join("; ", right.Mismatches)}");
        Assert.Equal(0, right.MismatchCount);

        // f32 and out-style results are [bits, shape]; u32, eager and in_scan are flat lists of words.
        JsonNode node = bundle.Result(caseId)[field]!;
        JsonArray words = node is JsonArray { Count: 2 } pair && pair[0] is JsonArray inner && pair[1] is JsonArray ? inner : (JsonArray)node;
        ulong original = ulong.Parse(words[index]!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
        words[index] = original ^ 1;
        CaseReport wrong = VerifyOne(bundle.WriteTo(directory["one_bit_off"]), caseId);

        Assert.Equal(CaseStatus.Mismatch, wrong.Status);
        Assert.Equal(1, wrong.MismatchCount);
        BitMismatch m = Assert.Single(wrong.Mismatches);
        Assert.Equal((field, (long)index, original ^ 1, original), (m.Field, m.Index, m.Jax, m.LaxScan));
    }

    [Fact]
    public void An_hlo_case_has_no_bits_and_is_skipped_never_counted_as_bit_exact()
    {
        // hlo results are XLA's optimised HLO text for a reader (reference/jax/kinds/hlo.py): there is nothing to flip.
        using var directory = new TempDirectory();
        var bundle = new PublishedBundle();
        bundle.Add(Case("h0009", "hlo", ("hidden", 9)), new JsonObject { ["hlo_scan"] = "HloModule jit_seed_scan" });
        CaseReport report = VerifyOne(bundle.WriteTo(directory["hlo"]), "h0009");
        Assert.Equal(CaseStatus.Skipped, report.Status);
        Assert.False(report.Status.Counts());
    }

    [Theory]
    [InlineData("seq_lengths", "\"4\"")]
    [InlineData("seq_lengths", "[4, 1.5]")]
    [InlineData("unroll", "\"two\"")]
    [InlineData("return_carry", "1")]
    [InlineData("reverse", "\"yes\"")]
    public void A_malformed_rnn_option_is_a_bundle_error_naming_the_field(string option, string json)
    {
        // Before, these were read unchecked: a wrong type surfaced as "LaxScan failed" (or a flag read as false),
        // blaming LaxScan for the bundle's fault.
        using var directory = new TempDirectory();
        var bundle = new PublishedBundle();
        ((JsonObject)bundle.CaseFields("rnn_simple_identity")["options"]!)[option] = JsonNode.Parse(json);
        var e = Assert.Throws<ReferenceBundleException>(() => VerifyOne(bundle.WriteTo(directory["bad"]), "rnn_simple_identity"));
        Assert.Contains($"\"options.{option}\"", e.Message, StringComparison.Ordinal);
    }

    private static CaseReport VerifyOne(string folder, string caseId)
    {
        ReferenceBundle loaded = ReferenceBundle.Load(folder);
        return new Verifier().VerifyCase(loaded, loaded.Cases.Single(c => c.Id == caseId));
    }
}

using System.Security.Cryptography;
using System.Text.Json.Nodes;
using LaxScan.Cli;
using LaxScan.Io;
using LaxScan.Linen;
using LaxScan.Models;
using LaxScan.Random;
using LaxScan.Tests.Cli;
using static LaxScan.Tests.Cli.CliHarness;
using static LaxScan.Tests.Verification.PublishedBundle;

namespace LaxScan.Tests.Verification;

/// <summary>
/// <c>laxscan verify</c> sees one flipped bit in each field a mission case compares: <c>W</c>, <c>W_sha256</c>,
/// <c>msgpack_hex</c>, <c>states</c> and <c>out</c>. The bug each catches: a field read but never compared, or compared
/// with itself, or a comparison that stops early. No JAX run has made an init case yet, so the unflipped fields are
/// LaxScan's own results, written as a bundle would hold them: they are no reference for LaxScan's bits, only the
/// baseline that shows it is the one flipped bit, not anything else, that makes verify fail.
/// </summary>
public class VerifyFieldMismatchTests
{
    private const int Hidden = 3;
    private const long Steps = 2;

    private static (JsonObject Case, JsonObject Result) InitCase()
    {
        float[] x = [0.5f, -1f, 0.25f];
        var options = new LaxScanOptions { Linen = new LinenOptions(ThreefryMode.Partitionable) };
        Variables variables = LaxScanFunctions.Params(PrngKey.FromSeed(0), Hidden, options);
        NDArray<float> w = variables.GetFloat32("params", "W");
        var states = new List<float>();
        NDArray<float> output = LaxScanFunctions.Apply(variables, new NDArray<float>(new Shape(Hidden), x), Hidden, Steps, new LaxScanOptions { Linen = options.Linen, OnStep = (_, s) => states.AddRange(s.ToArray()) });
        byte[] wBytes = [.. w.Data.SelectMany(BitConverter.GetBytes)];

        JsonObject bundleCase = Case("mission_init", "mission", ("mode", "partitionable"), ("hidden", Hidden), ("T", Steps), ("xshape", Ints(Hidden)), ("x", Words([.. x.Select(Bits.Of)])), ("seed", 0));
        var result = new JsonObject
        {
            ["out"] = Pair([Hidden], [.. output.Data.Select(Bits.Of)]),
            ["W"] = Pair([Hidden, Hidden], [.. w.Data.Select(Bits.Of)]),
            ["W_sha256"] = Convert.ToHexStringLower(SHA256.HashData(wBytes)),
            ["msgpack_hex"] = Convert.ToHexStringLower(FlaxSerialization.ToBytes(variables)),
            ["states"] = Pair([(int)Steps + 1, Hidden], [.. states.Select(Bits.Of)]),
        };
        return (bundleCase, result);
    }

    private static string FlipHexBit(string hex, int digit)
    {
        int nibble = Convert.ToInt32(hex[digit].ToString(), 16) ^ 1;
        return string.Concat(hex.AsSpan(0, digit), nibble.ToString("x", System.Globalization.CultureInfo.InvariantCulture), hex.AsSpan(digit + 1));
    }

    private static void FlipWord(JsonObject result, string field, int index)
    {
        JsonArray words = (JsonArray)((JsonArray)result[field]!)[0]!;
        words[index] = (uint)words[index]! ^ 1;
    }

    [Fact]
    public void The_unflipped_init_case_passes_so_a_failure_below_is_the_flip()
    {
        using var directory = new TempDirectory();
        var bundle = new PublishedBundle();
        (JsonObject c, JsonObject r) = InitCase();
        bundle.Add(c, r);

        CliRun run = Run("verify", bundle.WriteTo(directory["b"]));

        Assert.True(run.ExitCode == 0, run.Stderr);
    }

    [Theory]
    [InlineData("W", "mission_init (mission) W[4]: jax 0x")]
    [InlineData("W_sha256", "mission_init (mission) W_sha256: the hashes differ")]
    [InlineData("msgpack_hex", "mission_init (mission) msgpack_hex[")]
    [InlineData("states", "mission_init (mission) states[5]: jax 0x")]
    [InlineData("out", "mission_init (mission) out[1]: jax 0x")]
    public void One_flipped_bit_in_a_field_fails_verify_and_is_named(string field, string line)
    {
        using var directory = new TempDirectory();
        var bundle = new PublishedBundle();
        (JsonObject c, JsonObject r) = InitCase();
        switch (field)
        {
            case "W":
                FlipWord(r, "W", 4);
                break;
            case "states":
                FlipWord(r, "states", 5);
                break;
            case "out":
                FlipWord(r, "out", 1);
                break;
            default:
                // The last hex digit: for msgpack_hex a bit of W's last float, deep in the payload, not the header.
                string hex = (string)r[field]!;
                r[field] = FlipHexBit(hex, hex.Length - 1);
                break;
        }

        bundle.Add(c, r);
        CliRun run = Run("verify", bundle.WriteTo(directory["b"]));

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains(line, run.Stderr, StringComparison.Ordinal);
        Assert.Contains("error: 1 of ", run.Stderr, StringComparison.Ordinal);
        Assert.False(Report(run.Stdout).GetProperty("bit_exact").GetBoolean());
    }
}

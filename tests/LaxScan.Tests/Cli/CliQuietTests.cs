using LaxScan.Cli;
using LaxScan.Io;
using LaxScan.Models;
using LaxScan.Random;
using static LaxScan.Tests.Cli.CliHarness;

namespace LaxScan.Tests.Cli;

/// <summary>
/// <c>--quiet</c> (issue 10 item 6): with <c>--out</c>, a one-line summary instead of the values, so a large result
/// need not be printed as gigabytes of JSON; the file is the same as without it.
/// </summary>
public class CliQuietTests
{
    [Fact]
    public void Params_quiet_prints_the_tree_with_dtypes_and_shapes_and_writes_the_same_file()
    {
        using var directory = new TempDirectory();
        CliRun run = Run("params", "--hidden", "5", "--seed", "3", "--out", directory["W.npy"], "--quiet");
        Assert.Equal($"{{\"out\":{System.Text.Json.JsonSerializer.Serialize(directory["W.npy"])},\"variables\":{{\"params\":{{\"W\":{{\"dtype\":\"float32\",\"shape\":[5,5]}}}}}}}}", run.Text);
        _ = run.Json;
        Bits.Equal(LaxScanFunctions.Params(PrngKey.FromSeed(3), 5).GetFloat32("params", "W").Span, NpyReader.ReadFloat32(directory["W.npy"]).Span);
    }

    [Fact]
    public void Params_quiet_with_a_checkpoint_summarises_the_checkpoint()
    {
        using var directory = new TempDirectory();
        CliRun run = Run("params", "--hidden", "2", "--out", directory["v.msgpack"], "--quiet");
        Assert.EndsWith(",\"variables\":{\"params\":{\"W\":{\"dtype\":\"float32\",\"shape\":[2,2]}}}}", run.Text, StringComparison.Ordinal);
        Assert.Equal(new Shape(2, 2), FlaxSerialization.ReadFile(directory["v.msgpack"]).GetFloat32("params", "W").Shape);
    }

    [Theory]
    [InlineData("float32", "[3,4]", new[] { "random", "normal", "--shape", "3,4" })]
    [InlineData("uint8", "[7]", new[] { "random", "bits", "--shape", "7", "--width", "8" })]
    [InlineData("uint32", "[3,2]", new[] { "random", "split", "--num", "3" })]
    [InlineData("float32", "[4,3]", new[] { "init", "lecun_normal", "--shape", "4,3" })]
    [InlineData("float32", "[4]", new[] { "run", "--hidden", "4", "--steps", "2", "--x", "1,2,3,4" })]
    public void Every_command_with_out_prints_a_summary_when_quiet(string dtype, string shape, string[] args)
    {
        using var directory = new TempDirectory();
        CliRun run = Run([.. args, "--out", directory["o.npy"], "--quiet"]);
        Assert.Equal($"{{\"out\":{System.Text.Json.JsonSerializer.Serialize(directory["o.npy"])},\"dtype\":\"{dtype}\",\"shape\":{shape}}}", run.Text);
        Assert.Equal(["o.npy"], directory.Files());
    }

    [Fact]
    public void Quiet_without_out_is_a_usage_error()
    {
        Assert.Equal(
            "--quiet leaves the values out of standard output, so it needs --out FILE to save them",
            AssertFails(Run("random", "normal", "--quiet"), ExitCodes.Usage));
    }
}

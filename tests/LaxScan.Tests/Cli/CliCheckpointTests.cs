using LaxScan.Cli;
using LaxScan.Io;
using LaxScan.Linen;
using LaxScan.Models;
using LaxScan.Random;
using static LaxScan.Tests.Cli.CliHarness;

namespace LaxScan.Tests.Cli;

/// <summary><c>params --out variables.msgpack</c> and <c>run --params variables.msgpack</c>: Flax checkpoints in and out.</summary>
public class CliCheckpointTests
{
    [Fact]
    public void Params_out_msgpack_writes_the_variables_as_a_Flax_checkpoint()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "variables.msgpack");
        CliRun run = Run("params", "--hidden", "4", "--seed", "0", "--out", path);
        Assert.Equal(0, run.ExitCode);

        Variables expected = LaxScanFunctions.Params(PrngKey.FromSeed(0), 4);
        Assert.Equal(FlaxSerialization.ToBytes(expected), File.ReadAllBytes(path));
        Variables read = FlaxSerialization.ReadFile(path);
        Bits.Equal(expected.GetFloat32("params", "W").Span, read.GetFloat32("params", "W").Span);
        Assert.Equal(["variables.msgpack"], dir.Files());
    }

    /// <summary>
    /// <c>--format</c> decides what <c>--out</c> gets where the name cannot (a FIFO, <c>/dev/stdout</c>); the bug it
    /// catches is a format taken from the name alone, which wrote a .npy to <c>--out v.bin --format msgpack</c>.
    /// </summary>
    [Fact]
    public void Params_format_overrides_the_name_both_ways()
    {
        using var dir = new TempDirectory();
        Variables expected = LaxScanFunctions.Params(PrngKey.FromSeed(0), 4);

        Assert.Equal(0, Run("params", "--hidden", "4", "--seed", "0", "--out", dir["v.bin"], "--format", "msgpack", "--quiet").ExitCode);
        Assert.Equal(0, Run("params", "--hidden", "4", "--seed", "0", "--out", dir["w.msgpack"], "--format", "npy", "--quiet").ExitCode);

        Assert.Equal(FlaxSerialization.ToBytes(expected), File.ReadAllBytes(dir["v.bin"]));
        Bits.Equal(expected.GetFloat32("params", "W").Span, NpyReader.Read<float>(dir["w.msgpack"]).Span);
    }

    [Fact]
    public void Format_without_out_and_rnn_init_without_a_checkpoint_name_are_usage_errors()
    {
        using var dir = new TempDirectory();
        Assert.Equal("--format says how to write --out, so it needs --out FILE", AssertFails(Run("params", "--hidden", "4", "--format", "msgpack"), ExitCodes.Usage));
        Assert.Contains("--format", AssertFails(Run("params", "--hidden", "4", "--out", dir["v.bin"], "--format", "json"), ExitCodes.Usage), StringComparison.Ordinal);
        Assert.Contains("(or give --format msgpack)", AssertFails(Run("rnn", "init", "--cell", "simple", "--hidden", "2", "--features", "2", "--out", dir["v.bin"]), ExitCodes.Usage), StringComparison.Ordinal);
        Assert.Equal(0, Run("rnn", "init", "--cell", "simple", "--hidden", "2", "--features", "2", "--out", dir["v.bin"], "--format", "msgpack", "--quiet").ExitCode);
        Assert.NotNull(FlaxSerialization.ReadFile(dir["v.bin"]));
    }

    [Fact]
    public void A_checkpoint_that_cannot_be_written_leaves_nothing()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "missing", "variables.msgpack");
        AssertFails(Run("params", "--hidden", "4", "--out", path), ExitCodes.Failure);
        Assert.Empty(dir.Files());
    }

    private static readonly string[] SeedRun = ["run", "--hidden", "4", "--steps", "10", "--x", "0.5,-1,0.25,2"];

    [Fact]
    public void Run_params_applies_the_checkpoint_that_params_wrote()
    {
        using var dir = new TempDirectory();
        string path = dir["variables.msgpack"];
        Assert.Equal(0, Run("params", "--hidden", "4", "--seed", "5", "--out", path).ExitCode);

        CliRun applied = Run([.. SeedRun, "--params", path]);
        CliRun initialized = Run([.. SeedRun, "--seed", "5"]);
        Assert.Equal(0, applied.ExitCode);
        Assert.Equal(initialized.Stdout, applied.Stdout);
    }

    [Fact]
    public void Run_params_with_a_key_is_a_usage_error()
    {
        using var dir = new TempDirectory();
        string path = dir["variables.msgpack"];
        Run("params", "--hidden", "4", "--out", path);
        string message = AssertFails(Run([.. SeedRun, "--params", path, "--seed", "1"]), ExitCodes.Usage);
        Assert.Contains("--params applies given variables, which uses no key", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_checkpoint_whose_W_has_another_shape_is_Flax_s_shape_error()
    {
        using var dir = new TempDirectory();
        string path = dir["variables.msgpack"];
        Run("params", "--hidden", "3", "--out", path);
        string message = AssertFails(Run([.. SeedRun, "--params", path]), ExitCodes.Failure);
        Assert.Contains("\"W\"", message, StringComparison.Ordinal);
        Assert.Contains("(3, 3)", message, StringComparison.Ordinal);
        Assert.Contains("(4, 4)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_doubled_params_level_is_Flax_s_structure_error()
    {
        using var dir = new TempDirectory();
        string path = dir["variables.msgpack"];
        Variables good = LaxScanFunctions.Params(PrngKey.FromSeed(0), 4);
        FlaxSerialization.WriteFile(path, Variables.Empty.With("params", good));
        string message = AssertFails(Run([.. SeedRun, "--params", path]), ExitCodes.Failure);
        Assert.Contains("Expect the `variables` (first argument) passed to apply() to be a dict with the structure", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_corrupt_or_missing_checkpoint_fails_cleanly()
    {
        using var dir = new TempDirectory();
        string path = dir["variables.msgpack"];
        Run("params", "--hidden", "4", "--out", path);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        Assert.Contains("not a loadable Flax checkpoint", AssertFails(Run([.. SeedRun, "--params", path]), ExitCodes.Failure), StringComparison.Ordinal);
        Assert.Contains("nothing.msgpack", AssertFails(Run([.. SeedRun, "--params", dir["nothing.msgpack"]]), ExitCodes.Failure), StringComparison.Ordinal);
    }
}

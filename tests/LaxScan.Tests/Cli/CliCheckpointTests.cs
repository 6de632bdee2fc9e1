using LaxScan.Cli;
using LaxScan.Io;
using LaxScan.Linen;
using LaxScan.Models;
using LaxScan.Random;
using static LaxScan.Tests.Cli.CliHarness;

namespace LaxScan.Tests.Cli;

/// <summary><c>params --out variables.msgpack</c>: the variables as a Flax checkpoint.</summary>
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

    [Fact]
    public void A_checkpoint_that_cannot_be_written_leaves_nothing()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "missing", "variables.msgpack");
        AssertFails(Run("params", "--hidden", "4", "--out", path), ExitCodes.Failure);
        Assert.Empty(dir.Files());
    }
}

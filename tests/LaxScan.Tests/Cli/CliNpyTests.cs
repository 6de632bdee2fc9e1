using LaxScan.Cli;
using LaxScan.Io;
using LaxScan.Models;
using LaxScan.Random;
using static LaxScan.Tests.Cli.CliHarness;

namespace LaxScan.Tests.Cli;

/// <summary><c>--out</c> and <c>--x-file</c> with the library's real .npy reader and writer.</summary>
public class CliNpyTests
{
    [Fact]
    public void Out_writes_the_printed_float32_array()
    {
        using var directory = new TempDirectory();
        CliRun run = Run("random", "normal", "--seed", "42", "--shape", "2,3", "--out", directory["n.npy"]);
        NDArray<float> file = NpyReader.ReadFloat32(directory["n.npy"]);
        Assert.Equal(new Shape(2, 3), file.Shape);
        AssertSameArray(file, run.Json);
        AssertSameArray(JaxRandom.Normal(PrngKey.FromSeed(42), new Shape(2, 3)), run.Json);
        Assert.Equal(["n.npy"], directory.Files());
    }

    [Fact]
    public void Out_writes_keys_as_uint32_and_bits_at_their_width()
    {
        using var directory = new TempDirectory();
        Assert.Equal(0, Run("random", "split", "--seed", "0", "--out", directory["k.npy"]).ExitCode);
        NDArray<uint> keys = NpyReader.ReadUInt32(directory["k.npy"]);
        Assert.Equal(new Shape(2, 2), keys.Shape);
        Assert.Equal<uint>([1797259609, 2579123966, 928981903, 3453687069], keys.Data);

        Assert.Equal(0, Run("random", "fold-in", "--seed", "0", "--data", "4", "--out", directory["f.npy"]).ExitCode);
        Assert.Equal<uint>([2285895361, 433833334], NpyReader.ReadUInt32(directory["f.npy"]).Data);

        Assert.Equal(0, Run("random", "bits", "--seed", "1701", "--shape", "3", "--width", "8", "--threefry", "original", "--out", directory["b8.npy"]).ExitCode);
        Assert.Equal<byte>([216, 115, 43], NpyReader.Read<byte>(directory["b8.npy"]).Data);
        Assert.Equal(0, Run("random", "bits", "--seed", "1701", "--shape", "3", "--width", "16", "--threefry", "original", "--out", directory["b16.npy"]).ExitCode);
        Assert.Equal<ushort>([41682, 1300, 55017], NpyReader.Read<ushort>(directory["b16.npy"]).Data);
        Assert.Equal(0, Run("random", "bits", "--seed", "0", "--width", "64", "--out", directory["b64.npy"]).ExitCode);
        NDArray<ulong> wide = NpyReader.Read<ulong>(directory["b64.npy"]);
        Assert.Equal(Shape.Scalar, wide.Shape);
        Assert.Equal(JaxRandom.Bits<ulong>(PrngKey.FromSeed(0), Shape.Scalar).Data, wide.Data);
    }

    [Fact]
    public void Params_out_is_W_and_run_out_is_the_state()
    {
        using var directory = new TempDirectory();
        CliRun parameters = Run("params", "--hidden", "4", "--out", directory["W.npy"]);
        AssertSameArray(NpyReader.ReadFloat32(directory["W.npy"]), parameters.Json.GetProperty("params").GetProperty("W"));

        CliRun run = Run("run", "--hidden", "4", "--steps", "10", "--x", "0.5,-1,0.25,2", "--out", directory["y.npy"]);
        AssertSameArray(NpyReader.ReadFloat32(directory["y.npy"]), run.Json);
    }

    [Fact]
    public void Out_replaces_an_existing_file_whole()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory["n.npy"], "old contents");
        CliRun run = Run("random", "uniform", "--shape", "5", "--out", directory["n.npy"]);
        AssertSameArray(NpyReader.ReadFloat32(directory["n.npy"]), run.Json);
        Assert.Equal(["n.npy"], directory.Files());
    }

    [Fact]
    public void A_failed_command_leaves_an_existing_out_file_alone()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory["n.npy"], "old contents");
        AssertFails(Run("random", "normal", "--shape", "-2", "--out", directory["n.npy"]), ExitCodes.Failure);
        Assert.Equal("old contents", File.ReadAllText(directory["n.npy"]));
        Assert.Equal(["n.npy"], directory.Files());
    }

    [Fact]
    public void An_unwritable_out_path_is_one_error_line_and_no_stdout()
    {
        using var directory = new TempDirectory();
        string message = AssertFails(Run("random", "normal", "--out", Path.Combine(directory.Path, "no-such-dir", "n.npy")), ExitCodes.Failure);
        Assert.Contains("no-such-dir", message, StringComparison.Ordinal);

        Directory.CreateDirectory(directory["taken.npy"]);
        AssertFails(Run("random", "normal", "--out", directory["taken.npy"]), ExitCodes.Failure);
        Assert.Equal(["taken.npy"], directory.Files());
    }

    [Fact]
    public void X_file_gives_the_same_run_as_x()
    {
        using var directory = new TempDirectory();
        NpyWriter.Write(directory["x.npy"], new NDArray<float>(new Shape(4), [0.5f, -1f, 0.25f, 2f]));
        Assert.Equal(
            Run("run", "--hidden", "4", "--steps", "10", "--x", "0.5,-1,0.25,2").Text,
            Run("run", "--hidden", "4", "--steps", "10", "--x-file", directory["x.npy"]).Text);

        var batch = new NDArray<float>(new Shape(3, 4), [0.5f, -1f, 0.25f, 2f, 1f, 0f, -1f, 0f, 0f, 0f, 0f, 0f]);
        NpyWriter.Write(directory["b.npy"], batch);
        AssertSameArray(LaxScanFunctions.LaxScanInModule(PrngKey.FromSeed(0), batch, 4, 2), Run("run", "--hidden", "4", "--steps", "2", "--x-file", directory["b.npy"]).Json);
    }

    [Fact]
    public void A_bad_x_file_fails_with_the_readers_message()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory["text.npy"], "0.5,-1,0.25,2");
        string message = AssertFails(Run("run", "--hidden", "4", "--steps", "1", "--x-file", directory["text.npy"]), ExitCodes.Failure);
        Assert.Contains("text.npy", message, StringComparison.Ordinal);

        NpyWriter.Write(directory["u.npy"], new NDArray<uint>(new Shape(4), [1, 2, 3, 4]));
        message = AssertFails(Run("run", "--hidden", "4", "--steps", "1", "--x-file", directory["u.npy"]), ExitCodes.Failure);
        Assert.Contains("u.npy", message, StringComparison.Ordinal);

        message = AssertFails(Run("run", "--hidden", "4", "--steps", "1", "--x-file", directory["missing.npy"]), ExitCodes.Failure);
        Assert.Contains("missing.npy", message, StringComparison.Ordinal);
    }
}

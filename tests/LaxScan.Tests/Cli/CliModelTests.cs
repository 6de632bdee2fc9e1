using System.Text.Json;
using LaxScan.Cli;
using LaxScan.Linen;
using LaxScan.Models;
using LaxScan.Nn;
using LaxScan.Random;
using static LaxScan.Tests.Cli.CliHarness;

namespace LaxScan.Tests.Cli;

/// <summary><c>laxscan run</c> and <c>laxscan params</c>: the library's LaxScanModule through the command line.</summary>
public class CliModelTests
{
    // A root module's first make_rng("params") folds in the first four bytes of SHA-1(0x01) (jax-parity.md section 6).
    private const uint FirstParamsHash = 3213575472;

    private static readonly float[] SeedX = [0.5f, -1f, 0.25f, 2f];

    [Theory]
    [InlineData("partitionable")]
    [InlineData("original")]
    public void Params_is_lecun_normal_under_Flaxs_first_params_key(string mode)
    {
        ThreefryMode m = mode == "original" ? ThreefryMode.Original : ThreefryMode.Partitionable;
        JsonElement json = Run("params", "--hidden", "5", "--seed", "3", "--threefry", mode).Json;
        Assert.Equal(["params"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["W"], json.GetProperty("params").EnumerateObject().Select(p => p.Name));
        NDArray<float> expected = Initializers.LecunNormal()(PrngKey.FromSeed(3).FoldIn(FirstParamsHash), new Shape(5, 5), m);
        AssertSameArray(expected, json.GetProperty("params").GetProperty("W"));
    }

    [Fact]
    public void Params_is_init_under_the_folded_key_composed_from_other_commands()
    {
        JsonElement key = Run("random", "fold-in", "--seed", "0", "--data", FirstParamsHash.ToString(System.Globalization.CultureInfo.InvariantCulture)).Json;
        string k = $"{key[0].GetUInt32()},{key[1].GetUInt32()}";
        JsonElement w = Run("params", "--hidden", "4").Json.GetProperty("params").GetProperty("W");
        Assert.Equal(Run("init", "lecun_normal", "--key", k, "--shape", "4,4").Text, w.GetRawText());
    }

    [Fact]
    public void Params_with_a_key_is_the_librarys()
    {
        Variables expected = LaxScanFunctions.Params(new PrngKey(7, 8), 3);
        AssertSameArray(expected.GetFloat32("params", "W"), Run("params", "--hidden", "3", "--key", "7,8").Json.GetProperty("params").GetProperty("W"));
    }

    [Theory]
    [InlineData(0, 4, 10, "partitionable")]
    [InlineData(0, 4, 0, "partitionable")]
    [InlineData(42, 4, 3, "original")]
    [InlineData(-1, 4, 1, "partitionable")]
    public void Run_is_lax_scan_in_module(long seed, int hidden, long steps, string mode)
    {
        var options = new LaxScanOptions { Linen = new LinenOptions(mode == "original" ? ThreefryMode.Original : ThreefryMode.Partitionable) };
        NDArray<float> expected = LaxScanFunctions.LaxScanInModule(seed, SeedX, hidden, steps, options);
        CliRun run = Run(
            "run", "--hidden", $"{hidden}", "--steps", $"{steps}", "--x", "0.5,-1,0.25,2", $"--seed={seed}", "--threefry", mode);
        AssertSameArray(expected, run.Json);
        Assert.Equal(hidden, run.Json.GetArrayLength());
    }

    [Fact]
    public void Run_with_a_key_uses_it_as_init_s_key()
    {
        NDArray<float> expected = LaxScanFunctions.LaxScanInModule(new PrngKey(1, 2), new NDArray<float>(new Shape(4), SeedX), 4, 5);
        AssertSameArray(expected, Run("run", "--hidden", "4", "--steps", "5", "--x", "0.5,-1,0.25,2", "--key", "1,2").Json);
        Assert.Equal(
            Run("run", "--hidden", "4", "--steps", "5", "--x", "0.5,-1,0.25,2", "--seed", "-1").Text,
            Run("run", "--hidden", "4", "--steps", "5", "--x", "0.5,-1,0.25,2", "--key", "0,4294967295").Text);
    }

    [Fact]
    public void Run_steps_0_is_tanh_of_x_at_W()
    {
        NDArray<float> expected = LaxScanFunctions.LaxScanInModule(0, SeedX, 4, 0);
        AssertSameArray(expected, Run("run", "--hidden", "4", "--steps", "0", "--x", "0.5,-1,0.25,2").Json);
    }

    [Fact]
    public void Run_accepts_NaN_and_infinities_as_JAX_does()
    {
        // A NaN among the inputs reaches every output through the dot product, as in JAX.
        CliRun run = Run("run", "--hidden", "4", "--steps", "2", "--x", "1,nan,inf,-inf");
        Assert.Equal("[\"NaN\",\"NaN\",\"NaN\",\"NaN\"]", run.Text);

        float[] x = [float.NegativeInfinity, 0.5f, float.PositiveInfinity, 0f];
        NDArray<float> expected = LaxScanFunctions.LaxScanInModule(0, x, 4, 1);
        AssertSameArray(expected, Run("run", "--hidden", "4", "--steps", "1", "--x", "-Infinity,0.5,INF,0").Json);
    }

    [Fact]
    public void Run_reads_x_from_a_file_including_a_batch()
    {
        var files = new RecordingArrayFiles();
        files.Readable["x.npy"] = new NDArray<float>(new Shape(4), SeedX);
        Assert.Equal(
            Run("run", "--hidden", "4", "--steps", "3", "--x", "0.5,-1,0.25,2").Text,
            Run(files, "run", "--hidden", "4", "--steps", "3", "--x-file", "x.npy").Text);

        var batch = new NDArray<float>(new Shape(2, 4), [.. SeedX, 1f, 2f, 3f, 4f]);
        files.Readable["b.npy"] = batch;
        AssertSameArray(LaxScanFunctions.LaxScanInModule(PrngKey.FromSeed(0), batch, 4, 3), Run(files, "run", "--hidden", "4", "--steps", "3", "--x-file", "b.npy").Json);
    }

    [Fact]
    public void Run_and_params_write_their_out_files()
    {
        var files = new RecordingArrayFiles();
        CliRun run = Run(files, "run", "--hidden", "4", "--steps", "3", "--x", "0.5,-1,0.25,2", "--out", "y.npy");
        AssertSameArray(Assert.IsType<NDArray<float>>(files.Written["y.npy"]), run.Json);

        CliRun parameters = Run(files, "params", "--hidden", "3", "--out", "W.npy");
        var w = Assert.IsType<NDArray<float>>(files.Written["W.npy"]);
        Assert.Equal(new Shape(3, 3), w.Shape);
        AssertSameArray(w, parameters.Json.GetProperty("params").GetProperty("W"));
    }

    [Fact]
    public void Steps_is_a_64_bit_count()
    {
        // Beyond int32, --steps still parses: the library, not the parser, rejects a negative count.
        string message = AssertFails(Run("run", "--hidden", "2", "--steps", "-4294967296", "--x", "1,2"), ExitCodes.Failure);
        Assert.Contains("-4294967296", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_and_params_help_list_their_options()
    {
        foreach (string command in new[] { "run", "params" })
        {
            CliRun help = Run(command, "--help");
            Assert.Equal(0, help.ExitCode);
            foreach (string word in new[] { "--hidden <H>", "--seed <S>", "--key <K0,K1>", "--threefry", "--out <FILE.npy>", "Examples:" })
            {
                Assert.Contains(word, help.Stdout, StringComparison.Ordinal);
            }
        }

        Assert.Contains("--x-file <x.npy>", Run("run", "--help").Stdout, StringComparison.Ordinal);
        Assert.Contains("--steps <T>", Run("run", "--help").Stdout, StringComparison.Ordinal);
    }
}

using System.Buffers.Binary;
using LaxScan.Cli.Plotting;
using LaxScan.Models;
using LaxScan.Random;
using static LaxScan.Tests.Cli.CliHarness;

namespace LaxScan.Tests.Cli;

/// <summary><c>run --plot FILE.png</c>: a real PNG, written atomically, the same JSON as without it, and its failures.</summary>
public class PlotTests
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void Plot_writes_a_1200x800_png_and_prints_the_same_state()
    {
        using var directory = new TempDirectory();
        CliRun run = Run("run", "--seed", "0", "--hidden", "4", "--steps", "10", "--x", "0.5,-1,0.25,2", "--plot", directory["run.png"]);
        AssertSameArray(LaxScanFunctions.LaxScanInModule(0, [0.5f, -1f, 0.25f, 2f], 4, 10), run.Json);
        AssertPng(directory["run.png"], 1200, 800);
        Assert.Equal(["run.png"], directory.Files());
    }

    [Theory]
    [InlineData("--steps", "0", "--hidden", "1", "--x", "0.5")]
    [InlineData("--steps", "3", "--hidden", "4", "--x", "1,nan,inf,-inf", "--key", "0,42", "--threefry", "original")]
    public void Plot_draws_edge_cases_one_state_one_unit_and_NaN(params string[] args)
    {
        using var directory = new TempDirectory();
        CliRun run = Run(["run", .. args, "--plot", directory["edge.png"]]);
        Assert.Equal(0, run.ExitCode);
        AssertPng(directory["edge.png"], 1200, 800);
        Assert.Equal(["edge.png"], directory.Files());
    }

    [Fact]
    public void Plot_and_out_both_write_and_a_batch_plots_its_first_row()
    {
        using var directory = new TempDirectory();
        var x = new NDArray<float>(new Shape(2, 3), [0.5f, -1f, 0.25f, 2f, 0f, -3f]);
        LaxScan.Io.NpyWriter.Write(directory["x.npy"], x);
        CliRun run = Run("run", "--hidden", "3", "--steps", "5", "--x-file", directory["x.npy"], "--out", directory["y.npy"], "--plot", directory["p.png"]);
        AssertSameArray(LaxScanFunctions.LaxScanInModule(PrngKey.FromSeed(0), x, 3, 5), run.Json);
        AssertPng(directory["p.png"], 1200, 800);
        Assert.Equal(["p.png", "x.npy", "y.npy"], directory.Files());
    }

    [Fact]
    public void Plot_replaces_an_existing_file()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory["run.png"], "old");
        Assert.Equal(0, Run("run", "--hidden", "2", "--steps", "2", "--x", "1,2", "--plot", directory["run.png"]).ExitCode);
        AssertPng(directory["run.png"], 1200, 800);
        Assert.Equal(["run.png"], directory.Files());
    }

    [Fact]
    public void A_plot_in_a_missing_directory_fails_before_the_run_with_one_error_line()
    {
        using var directory = new TempDirectory();
        string path = Path.Combine(directory.Path, "no-such-dir", "run.png");
        string message = AssertFails(Run("run", "--hidden", "4", "--steps", "10", "--x", "0.5,-1,0.25,2", "--plot", path), 1);
        Assert.Contains("--plot", message, StringComparison.Ordinal);
        Assert.Contains("does not exist", message, StringComparison.Ordinal);
        Assert.Empty(directory.Files());
    }

    [Fact]
    public void A_plot_path_that_is_a_directory_fails_with_exit_1()
    {
        using var directory = new TempDirectory();
        Directory.CreateDirectory(directory["d.png"]);
        string message = AssertFails(Run("run", "--hidden", "2", "--steps", "1", "--x", "1,2", "--plot", directory["d.png"]), 1);
        Assert.Contains("is a directory", message, StringComparison.Ordinal);
        Assert.Equal(["d.png"], directory.Files());
    }

    [Fact]
    public void A_failing_out_after_the_plot_leaves_stdout_empty_and_no_temporary_file()
    {
        using var directory = new TempDirectory();
        string badOut = Path.Combine(directory.Path, "missing", "y.npy");
        AssertFails(Run("run", "--hidden", "2", "--steps", "1", "--x", "1,2", "--plot", directory["p.png"], "--out", badOut), 1);
        Assert.DoesNotContain(directory.Files(), name => name.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("run.jpg")]
    [InlineData("run")]
    [InlineData("")]
    public void A_plot_name_not_ending_in_png_is_a_usage_error(string name)
    {
        using var directory = new TempDirectory();
        string path = name.Length == 0 ? string.Empty : directory[name];
        AssertFails(Run("run", "--hidden", "2", "--steps", "1", "--x", "1,2", "--plot", path), 2);
        Assert.Empty(directory.Files());
    }

    [Fact]
    public void A_rejected_run_writes_no_plot()
    {
        using var directory = new TempDirectory();
        AssertFails(Run("run", "--hidden", "3", "--steps", "1", "--x", "1,2", "--plot", directory["p.png"]), 1);
        AssertFails(Run("run", "--hidden", "2", "--steps", "-1", "--x", "1,2", "--plot", directory["p.png"]), 1);
        Assert.Empty(directory.Files());
    }

    // The colour scale follows the data, so the states of a large H (near +-0.1) are not washed out by a fixed [-1, 1].
    [Fact]
    public void The_colour_scale_is_the_99th_percentile_of_the_magnitudes()
    {
        // 200 cells: 198 of magnitude 0.1 or less, two outliers of 0.9; the 99th percentile (198th of 200) is 0.1.
        var grid = new double[2, 100];
        for (int c = 0; c < 100; c++)
        {
            grid[0, c] = 0.001 * c;
            grid[1, c] = -0.1;
        }

        grid[0, 98] = 0.9;
        grid[0, 99] = -0.9;
        Assert.Equal(0.1, RunPlotRenderer.ColourScale(grid));

        Assert.Equal(0.5, RunPlotRenderer.ColourScale(new double[,] { { double.NaN, -0.5 } })); // NaN cells are black and do not count
        Assert.Equal(1, RunPlotRenderer.ColourScale(new double[3, 3]));                       // all zero
        Assert.Equal(1, RunPlotRenderer.ColourScale(new double[,] { { double.NaN } }));       // nothing finite
        Assert.Equal(1e-8, RunPlotRenderer.ColourScale(new double[,] { { 0, 0, 0, -1e-8 } })); // a run that decays to 0
    }

    [Fact]
    public void Recorder_averages_steps_in_bins_and_strides_units()
    {
        // H = 5, T = 9: ten states; at most 4 columns and 2 rows gives bins of 3 steps (4 columns, the last holding
        // one step) and every 3rd unit (units 0 and 3).
        var recorder = new StateRecorder(hidden: 5, steps: 9, maxColumns: 4, maxRows: 2);
        Assert.Equal((3L, 4, 3, 2), (recorder.StepsPerColumn, recorder.Columns, recorder.UnitStride, recorder.Rows));
        for (int t = 0; t <= 9; t++)
        {
            float[] state = [t, 10 + t, 20 + t, 30 + t, 40 + t];
            recorder.Observe(t, state);
        }

        double[,] grid = recorder.Heatmap();
        Assert.Equal(new double[,] { { 1, 4, 7, 9 }, { 31, 34, 37, 39 } }, grid);
        (double[] step, double[] mean, double[] min, double[] max) = recorder.Norms();
        Assert.Equal([1, 4, 7, 9], step);
        double Norm(int t) => Math.Sqrt(Enumerable.Range(0, 5).Sum(u => Math.Pow((10 * u) + t, 2)));
        Assert.Equal(Norm(0), min[0], 12);
        Assert.Equal(Norm(2), max[0], 12);
        Assert.Equal((Norm(3) + Norm(4) + Norm(5)) / 3, mean[1], 12);
        Assert.Equal(Norm(9), mean[3], 12);
        Assert.Equal(10, recorder.Observed);
    }

    [Fact]
    public void Recorder_stays_bounded_for_huge_runs_and_keeps_row_0_of_a_batch()
    {
        var huge = new StateRecorder(hidden: 100_000, steps: 1_000_000_000_000);
        Assert.True(huge.Columns <= StateRecorder.MaxColumns && huge.Rows <= StateRecorder.MaxRows);
        Assert.True(huge.Columns * huge.StepsPerColumn >= 1_000_000_000_001);

        var batch = new StateRecorder(hidden: 2, steps: 0);
        batch.Observe(0, [3f, 4f, 100f, 100f]);
        Assert.Equal(new double[,] { { 3 }, { 4 } }, batch.Heatmap());
        Assert.Equal(5, batch.Norms().Mean[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.Observe(1, [0f, 0f]));
    }

    private static void AssertPng(string path, int width, int height)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 33, $"{path} has only {bytes.Length} bytes");
        Assert.Equal(PngSignature, bytes[..8]);

        // The first chunk is IHDR: length 13, then the width and height as big-endian 32-bit integers.
        Assert.Equal(13u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(8)));
        Assert.Equal("IHDR"u8.ToArray(), bytes[12..16]);
        Assert.Equal((uint)width, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal((uint)height, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(20)));
        Assert.Equal("IEND"u8.ToArray(), bytes[^8..^4]);
    }
}

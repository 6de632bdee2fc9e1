using System.Diagnostics;
using LaxScan.Cli;
using LaxScan.Numerics;
using LaxScan.Tests.Cli;
using static LaxScan.Tests.Cli.CliHarness;

namespace LaxScan.Tests.Reliability;

/// <summary>
/// The one error line, where it used to be wrong (issue 10 items 13 to 15): a bad <c>LAXSCAN_SIMD</c>, a
/// <c>--params</c> path that is a directory, missing or a device, T + 1 overflowing in the trace's message, and an
/// error with standard error closed.
/// </summary>
public class ErrorLineTests
{
    [Fact]
    public void A_bad_LAXSCAN_SIMD_is_the_documented_message_not_a_TypeInitializationException()
    {
        (int exitCode, string stdout, string stderr) = LaxscanProcess.Run(
            new Dictionary<string, string?> { [SimdTiers.EnvironmentVariable] = "bogus" },
            "run", "--hidden", "4", "--steps", "2", "--x", "1,2,3,4");
        Assert.Equal((1, string.Empty), (exitCode, stdout));
        Assert.Equal("error: LAXSCAN_SIMD=bogus is not a SIMD tier; use scalar, 128, 256 or 512\n", stderr);
    }

    [Theory]
    [InlineData("bogus", null)]
    [InlineData(" 256 ", SimdTier.Vector256)]
    [InlineData("SCALAR", SimdTier.Scalar)]
    [InlineData("", null)]
    public void A_tier_word_resolves_or_names_itself_without_throwing(string cap, SimdTier? tier)
    {
        (SimdTier resolved, string? error) = SimdTiers.Resolve(cap);
        if (cap == "bogus")
        {
            Assert.Equal("LAXSCAN_SIMD=bogus is not a SIMD tier; use scalar, 128, 256 or 512", error);
        }
        else
        {
            Assert.Null(error);
            Assert.Equal(tier is { } t && t < SimdTiers.Hardware ? t : SimdTiers.Hardware, resolved);
        }
    }

    [Fact]
    public void Params_that_is_a_directory_says_so_and_names_the_option()
    {
        using var directory = new TempDirectory();
        Assert.Equal(
            $"--params '{directory.Path}': is a directory, not a Flax checkpoint",
            AssertFails(Run("run", "--hidden", "4", "--steps", "1", "--x", "1,2,3,4", "--params", directory.Path), ExitCodes.Failure));
    }

    [Fact]
    public void Params_that_is_missing_names_the_option()
    {
        using var directory = new TempDirectory();
        Assert.Equal(
            $"--params '{directory["v.msgpack"]}': no such file",
            AssertFails(Run("run", "--hidden", "4", "--steps", "1", "--x", "1,2,3,4", "--params", directory["v.msgpack"]), ExitCodes.Failure));
        Assert.Equal(
            $"--params '{directory["none/v.msgpack"]}': no such file (its directory does not exist)",
            AssertFails(Run("run", "--hidden", "4", "--steps", "1", "--x", "1,2,3,4", "--params", directory["none/v.msgpack"]), ExitCodes.Failure));
    }

    [Theory]
    [InlineData("--params", "a Flax checkpoint")]
    [InlineData("--x-file", "a .npy file")]
    public void An_input_that_is_a_device_says_so(string option, string what)
    {
        // A node of the test's own with /dev/zero's numbers (1, 5) would read as empty or endless; /dev/null's (1, 3)
        // reads as empty, which is what made "--params /dev/zero" say "the checkpoint is empty".
        using var directory = new TempDirectory();
        SpecialFiles.MakeNullDevice(directory["dev"]);
        string[] input = option == "--params" ? ["--x", "1,2,3,4", "--params", directory["dev"]] : ["--x-file", directory["dev"]];
        Assert.Equal(
            $"{option} '{directory["dev"]}': is a character device, not {what}",
            AssertFails(Run(["run", "--hidden", "4", "--steps", "1", .. input]), ExitCodes.Failure));
    }

    [Fact]
    public async Task A_fifo_input_is_read()
    {
        // A pipe (a FIFO, /dev/stdin, a shell's <(...)) is a fine input: the checkpoint reader must not ask its length.
        using var directory = new TempDirectory();
        LaxScan.Linen.Variables variables = LaxScan.Models.LaxScanFunctions.Params(LaxScan.Random.PrngKey.FromSeed(2), 4);
        byte[] bytes = LaxScan.Io.FlaxSerialization.ToBytes(variables);
        SpecialFiles.MakeFifo(directory["v.msgpack"]);
        Task writer = Task.Factory.StartNew(() => File.WriteAllBytes(directory["v.msgpack"], bytes), TaskCreationOptions.LongRunning);
        CliRun run = Run("run", "--hidden", "4", "--steps", "2", "--x", "1,2,3,4", "--params", directory["v.msgpack"]);
        await writer.WaitAsync(TimeSpan.FromMinutes(1));
        AssertSameArray(LaxScan.Models.LaxScanFunctions.Apply(variables, new NDArray<float>(new Shape(4), [1, 2, 3, 4]), 4, 2), run.Json);
    }

    [Fact]
    public void A_trace_of_long_MaxValue_steps_counts_T_plus_1_without_overflowing()
    {
        using var directory = new TempDirectory();
        string message = AssertFails(Run("run", "--hidden", "1", "--steps", "9223372036854775807", "--x", "1", "--trace", directory["t.npy"]), ExitCodes.Failure);
        Assert.Equal(
            $"--trace '{directory["t.npy"]}' would hold T + 1 = 9,223,372,036,854,775,808 states, more than the 2,147,483,647 rows a trace can have; trace at most 2,147,483,646 steps",
            message);
    }

    [Fact]
    public async Task An_error_with_standard_error_closed_still_exits_with_its_code()
    {
        Assert.SkipUnless(File.Exists("/bin/sh"), "needs /bin/sh to start laxscan with standard error closed");
        ProcessStartInfo start = LaxscanProcess.StartInfo(new Dictionary<string, string?>(), "run", "--hidden", "0", "--steps", "1", "--x", "1");
        var shell = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var variable in start.Environment)
        {
            shell.Environment[variable.Key] = variable.Value;
        }

        // exec 2>&-: the shell closes descriptor 2, then becomes laxscan, which inherits it closed.
        shell.ArgumentList.Add("-c");
        shell.ArgumentList.Add("exec 2>&-; exec \"$0\" \"$@\"");
        shell.ArgumentList.Add(start.FileName);
        foreach (string arg in start.ArgumentList)
        {
            shell.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(shell)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "laxscan did not finish in 2 minutes");
        Assert.Equal(ExitCodes.Failure, process.ExitCode);
        Assert.Equal(string.Empty, await stdout);
    }
}

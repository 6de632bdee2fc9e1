using System.Text.Json;
using static LaxScan.Tests.Cli.CliHarness;

namespace LaxScan.Tests.Cli;

/// <summary>
/// The built <c>laxscan</c> as a real process (<c>dotnet LaxScan.Cli.dll</c>, copied next to the tests by the project
/// reference): the real stdout/stderr plumbing and exit codes. Few, because each starts a runtime.
/// </summary>
public class CliProcessTests
{
    [Fact]
    public void Split_seed_0_prints_JAXs_keys()
    {
        (int exitCode, string stdout, string stderr) = Laxscan("random", "split", "--seed", "0");
        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, stderr);
        Assert.Equal("[[1797259609,2579123966],[928981903,3453687069]]\n", stdout);
    }

    [Fact]
    public void Normal_seed_42_prints_JAXs_floats()
    {
        (int exitCode, string stdout, _) = Laxscan("random", "normal", "--seed", "42", "--shape", "3");
        Assert.Equal(0, exitCode);
        float[] values = Floats(JsonDocument.Parse(stdout).RootElement);
        Assert.Equal(["-0.02830462", "0.46713185", "0.29570296"], values.Select(NumpyText.Format));
    }

    [Fact]
    public void A_large_output_streams_as_one_valid_document()
    {
        (int exitCode, string stdout, _) = Laxscan("random", "bits", "--seed", "0", "--shape", "300,1000");
        Assert.Equal(0, exitCode);
        JsonElement json = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(300, json.GetArrayLength());
        Assert.Equal(4070199207UL, json[0][0].GetUInt64());
    }

    [Fact]
    public void Out_writes_a_npy_file_numpy_can_read()
    {
        using var directory = new TempDirectory();
        (int exitCode, string stdout, _) = Laxscan("run", "--hidden", "4", "--steps", "10", "--x", "0.5,-1,0.25,2", "--seed", "0", "--out", directory["y.npy"]);
        Assert.Equal(0, exitCode);
        NDArray<float> file = LaxScan.Io.NpyReader.ReadFloat32(directory["y.npy"]);
        AssertSameArray(file, JsonDocument.Parse(stdout).RootElement);
        AssertSameArray(LaxScan.Models.LaxScanFunctions.LaxScanInModule(0, [0.5f, -1f, 0.25f, 2f], 4, 10), JsonDocument.Parse(stdout).RootElement);
    }

    [Theory]
    [InlineData(2, new[] { "random", "split", "--seed", "0", "--key", "0,0" })]
    [InlineData(2, new[] { "random", "normal", "--bogus" })]
    [InlineData(1, new[] { "init", "lecun_normal", "--shape", "3" })]
    public void Failures_exit_with_the_contracts_code_and_one_error_line(int expected, string[] args)
    {
        (int exitCode, string stdout, string stderr) = Laxscan(args);
        Assert.Equal(expected, exitCode);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    // One way to run the built tool: Reliability/LaxscanProcess, which kills a child that hangs and clears the
    // parent's SIMD variables so the child runs under its own defaults.
    private static (int ExitCode, string Stdout, string Stderr) Laxscan(params string[] args) =>
        Reliability.LaxscanProcess.Run(new Dictionary<string, string?>(), args);
}

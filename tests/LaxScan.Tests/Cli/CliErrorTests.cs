using LaxScan.Cli;
using static LaxScan.Tests.Cli.CliHarness;

namespace LaxScan.Tests.Cli;

/// <summary>
/// Every failure path: exit 2 for a line that cannot be understood, exit 1 for one the computation rejects; always
/// one <c>error:</c> line on stderr, nothing on stdout, and no <c>--out</c> file.
/// </summary>
public class CliErrorTests
{
    public static TheoryData<string[], string> UsageErrors => new()
    {
        { ["rnadom", "split"], "rnadom" },
        { ["random", "shuffle"], "shuffle" },
        { ["random", "split", "--foo"], "--foo" },
        { ["random", "split", "extra"], "extra" },
        { ["random", "split", "--seed"], "--seed" },
        { ["random", "split", "--seed", "abc"], "--seed expects an integer, but got 'abc'" },
        { ["random", "split", "--seed", "1.5"], "--seed expects an integer" },
        { ["random", "split", "--seed", "0x10"], "--seed expects an integer" },
        { ["random", "split", "--seed", "9223372036854775808"], "outside the signed 64-bit range" },
        { ["random", "split", "--seed", "-9223372036854775809"], "outside the signed 64-bit range" },
        { ["random", "split", "--seed", "1", "--seed", "2"], "--seed" },
        { ["random", "split", "--seed", "0", "--key", "0,0"], "--seed and --key" },
        { ["random", "split", "--key", "5"], "two uint32 words" },
        { ["random", "split", "--key", "1,2,3"], "two uint32 words" },
        { ["random", "split", "--key", "1,"], "item 2 of 2 is empty" },
        { ["random", "split", "--key", "1,-2"], "outside the uint32 range" },
        { ["random", "split", "--key", "1,4294967296"], "outside the uint32 range" },
        { ["random", "split", "--key", "a,b"], "expects an integer" },
        { ["random", "split", "--threefry", "Original"], "--threefry must be one of partitionable, original" },
        { ["random", "split", "--threefry"], "--threefry" },
        { ["random", "split", "--num", "two"], "--num expects an integer" },
        { ["random", "split", "--num", "2147483648"], "outside the int32 range" },
        { ["random", "fold-in", "--seed", "0"], "--data" },
        { ["random", "fold-in", "--data", "-1"], "outside the uint32 range" },
        { ["random", "fold-in", "--data", "4294967296"], "outside the uint32 range" },
        { ["random", "bits", "--width", "12"], "--width must be one of 8, 16, 32, 64" },
        { ["random", "bits", "--shape", "2,,3"], "--shape item 2 of 3 is empty" },
        { ["random", "bits", "--shape", "2,"], "--shape item 2 of 2 is empty" },
        { ["random", "bits", "--shape", "a"], "--shape item 1 expects an integer" },
        { ["random", "bits", "--shape", "1.5"], "--shape item 1 expects an integer" },
        { ["random", "bits", "--shape", "3000000000"], "outside the int32 range" },
        { ["random", "uniform", "--minval", "zero"], "--minval expects a number, but got 'zero'" },
        { ["random", "uniform", "--maxval", "1,2"], "--maxval expects a number" },
        { ["random", "uniform", "--maxval", "0x1p3"], "--maxval expects a number" },
        { ["random", "truncated-normal", "--lower", "--upper", "1"], "--lower" },
        { ["random", "normal", "--out", ""], "--out expects a file path" },
        { ["init"], "NAME" },
        { ["init", "lecun_normal"], "--shape" },
        { ["init", "lecun_normall", "--shape", "2,2"], "unknown initializer 'lecun_normall'" },
        { ["init", "zeros", "--shape", "2", "--stddev", "1"], "does not take --stddev" },
        { ["init", "lecun_normal", "--shape", "2,2", "--scale", "2"], "does not take --scale" },
        { ["init", "constant", "--shape", "2"], "'constant' needs --value" },
        { ["init", "variance_scaling", "--shape", "2,2", "--mode", "fan_sum"], "--mode must be one of fan_in, fan_out, fan_avg, fan_geo_avg" },
        { ["init", "variance_scaling", "--shape", "2,2", "--distribution", "untruncated_normal"], "--distribution must be one of truncated_normal, normal, uniform" },
        { ["init", "normal", "--shape", "2", "--stddev", "x"], "--stddev expects a number" },
        { ["init", "he_normal", "--shape", "2,2", "--in-axis", "a"], "--in-axis expects an integer" },
        { ["run", "--steps", "1", "--x", "1"], "--hidden" },
        { ["run", "--hidden", "1", "--x", "1"], "--steps" },
        { ["run", "--hidden", "1", "--steps", "1"], "give --x v1,v2,... or --x-file x.npy" },
        { ["run", "--hidden", "1", "--steps", "1", "--x", "1", "--x-file", "x.npy"], "--x and --x-file" },
        { ["run", "--hidden", "2", "--steps", "1", "--x", "1,2,"], "--x item 3 of 3 is empty" },
        { ["run", "--hidden", "2", "--steps", "1", "--x", "1,,2"], "--x item 2 of 3 is empty" },
        { ["run", "--hidden", "2", "--steps", "1", "--x", ""], "--x item 1 of 1 is empty" },
        { ["run", "--hidden", "2", "--steps", "1", "--x", "1,two"], "--x item 2 expects a number, but got 'two'" },
        // Python's float('1_000') is 1000.0; LaxScan refuses the grouping with its own reason instead of guessing.
        { ["run", "--hidden", "2", "--steps", "1", "--x", "1_000,2"], "--x item 1 expects a number, but got '1_000': digit-grouping underscores are not accepted, write the digits alone ('1000')" },
        { ["run", "--hidden", "2", "--steps", "1_0", "--x", "1,2"], "--steps expects an integer, but got '1_0': digit-grouping underscores are not accepted, write the digits alone ('10')" },
        { ["run", "--hidden", "2", "--steps", "1", "--x", "1;2"], "--x item 1 expects a number, but got '1;2'" },
        { ["run", "--hidden", "2.5", "--steps", "1", "--x", "1,2"], "--hidden expects an integer" },
        { ["run", "--hidden", "2", "--steps", "1e3", "--x", "1,2"], "--steps expects an integer" },
        { ["run", "--hidden", "2", "--steps", "9223372036854775808", "--x", "1,2"], "outside the signed 64-bit range" },
        { ["run", "--hidden", "2", "--steps", "1", "--x-file", ""], "--x-file expects a file path" },
        { ["run", "--hidden", "2", "--steps", "1", "--x", "1,2", "--seed", "1", "--key", "1,2"], "--seed and --key" },
        { ["params"], "--hidden" },
        { ["params", "--hidden", "x"], "--hidden expects an integer" },
        { ["params", "--hidden", "2", "--threefry", "new"], "--threefry must be one of" },
    };

    public static TheoryData<string[], string> Failures => new()
    {
        { ["random", "normal", "--shape", "-1"], "negative dimension" },
        { ["random", "split", "--num", "-1"], "num >= 0" },
        { ["random", "normal", "--shape", "100000,100000"], "10,000,000,000 elements" },
        { ["random", "bits", "--shape", "2147483647,2147483647", "--width", "64"], "elements" },
        { ["random", "split", "--num", "2000000000"], "split into 2,000,000,000 keys" },
        { ["init", "lecun_normal", "--shape", "3"], "Must be at least 2D" },
        { ["init", "glorot_uniform", "--shape", "0,3"], "size 0" },
        { ["init", "he_normal", "--shape", "2,2", "--in-axis", "5"], "in_axis 5 is out of range" },
        { ["init", "variance_scaling", "--shape", "2,2", "--scale", "0"], "positive finite scale" },
        { ["init", "variance_scaling", "--shape", "2,2", "--scale", "-inf"], "positive finite scale" },
        { ["run", "--hidden", "3", "--steps", "1", "--x", "1,2"], "x has shape (2,)" },
        { ["run", "--hidden", "0", "--steps", "1", "--x", "1"], "hidden must be >= 1" },
        { ["run", "--hidden", "1", "--steps", "-1", "--x", "1"], "steps (T) must be >= 0" },
        { ["run", "--hidden", "2", "--steps", "1", "--x-file", "missing.npy"], "missing.npy" },
        { ["params", "--hidden", "100000"], "10,000,000,000 elements" },
        { ["params", "--hidden", "-3"], "hidden must be >= 1" },
    };

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public void Usage_errors_exit_2_with_one_error_line(string[] args, string expected)
    {
        string message = AssertFails(Run(args), ExitCodes.Usage);
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public void Failures_exit_1_with_one_error_line(string[] args, string expected)
    {
        string message = AssertFails(Run(args), ExitCodes.Failure);
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter '", message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(UsageErrors))]
    [MemberData(nameof(Failures))]
    public void No_out_file_is_written_on_any_failure(string[] args, string expected)
    {
        _ = expected;
        using var directory = new TempDirectory();
        CliRun run = Run([.. args, "--out", directory["result.npy"]]);
        Assert.NotEqual(ExitCodes.Success, run.ExitCode);
        Assert.Equal(string.Empty, run.Stdout);
        Assert.Empty(directory.Files());
    }

    // A person who types `laxscan` (or `laxscan random`) alone gets that command's help; a script still gets a usage
    // error: exit 2, nothing on stdout, and the error line last on stderr, after the help.
    [Theory]
    [InlineData(new string[0], "laxscan", "random")]
    [InlineData(new[] { "random" }, "laxscan random", "truncated-normal")]
    public void A_group_without_its_command_prints_its_help_on_stderr_and_exits_2(string[] args, string name, string listed)
    {
        CliRun run = Run(args);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal(string.Empty, run.Stdout);
        string[] lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("Usage:", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.TrimStart().StartsWith(listed + " ", StringComparison.Ordinal));
        Assert.Equal($"error: no command given: {name} needs one of the commands above", lines[^1]);
        Assert.Single(lines, l => l.StartsWith("error: ", StringComparison.Ordinal));
    }

    /// <summary>
    /// A mistyped command names itself and the commands there are, instead of the parser's "Required command was not
    /// provided." followed by every word it could not place (as the tool said before).
    /// </summary>
    [Fact]
    public void An_unknown_command_is_named_with_the_commands_there_are()
    {
        Assert.Equal(
            "unknown command 'splitt' for laxscan random; its commands are split, fold-in, bits, uniform, normal, truncated-normal (see laxscan random --help)",
            AssertFails(Run("random", "splitt", "--seed", "0"), ExitCodes.Usage));
    }

    /// <summary>A damaged checkpoint names the option and the file (it said only what was wrong with the bytes).</summary>
    [Fact]
    public void A_damaged_params_checkpoint_names_the_option_and_the_file()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir["bad.msgpack"], "garbage");
        string error = AssertFails(Run("run", "--hidden", "2", "--steps", "1", "--x", "1,2", "--params", dir["bad.msgpack"]), ExitCodes.Failure);
        Assert.StartsWith($"--params '{dir["bad.msgpack"]}': not a loadable Flax checkpoint (at byte 0)", error, StringComparison.Ordinal);
    }

    /// <summary>A name longer than the file system takes names the option, not .NET's "The path '...' is too long".</summary>
    [Fact]
    public void An_output_name_too_long_names_the_option()
    {
        using var dir = new TempDirectory();
        string path = dir[new string('a', 300) + ".npy"];
        Assert.Equal($"--out '{path}': the path, or a name in it, is too long for this system", AssertFails(Run("params", "--hidden", "2", "--out", path), ExitCodes.Failure));
        Assert.Empty(dir.Files());
    }

    [Fact]
    public void Several_parse_errors_still_make_one_line()
    {
        string message = AssertFails(Run("random", "uniform", "--minval", "a", "--maxval", "b", "--bogus"), ExitCodes.Usage);
        Assert.Contains("--minval", message, StringComparison.Ordinal);
        Assert.Contains("--maxval", message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_argument_starting_with_at_is_not_a_response_file()
    {
        string message = AssertFails(Run("random", "split", "@args.rsp"), ExitCodes.Usage);
        Assert.Contains("@args.rsp", message, StringComparison.Ordinal);
    }
}

using LaxScan.Cli;
using LaxScan.Tests.Cli;
using static LaxScan.Tests.Cli.CliHarness;

namespace LaxScan.Tests.Reliability;

/// <summary>
/// The bad-input matrix of docs/reliability.md for the command line, one row per case: the exit code, a fragment of
/// the one <c>error:</c> line (or of stdout for the rows that succeed), no stack trace, and no file left beside the
/// inputs (no <c>--out</c>, no <c>--trace</c>, no temporary file).
/// </summary>
public class CliBadInputMatrix
{
    /// <summary>One row: the arguments, given the scratch directory holding the inputs, and what must happen.</summary>
    public sealed record Row(string Name, int ExitCode, string Fragment, Func<string, string[]> Args);

    private static Row R(string name, int exitCode, string fragment, params string[] args) => new(name, exitCode, fragment, _ => args);

    private static Row XFile(string name, int exitCode, string fragment) =>
        new(name, exitCode, fragment, dir => ["run", "--hidden", "3", "--steps", "2", "--x-file", BadNpyFiles.Write(dir, name)]);

    // 2e9 states of 4096 floats are 32 TB: no test machine has that free, so the check fails before any step runs.
    private static readonly string X4096 = string.Join(',', Enumerable.Repeat("0", 4096));

    private static readonly string ManyX = string.Join(',', Enumerable.Repeat("0", 100_000));

    public static readonly Row[] Rows =
    [
        R("x of the wrong length", 1, "LaxScanModule(hidden=3) takes x of shape (3,) or (B, 3) with B >= 1, but x has shape (2,)", "run", "--hidden", "3", "--steps", "1", "--x", "1,2"),
        R("hidden = 0", 1, "hidden must be >= 1, but was given 0", "run", "--hidden", "0", "--steps", "1", "--x", "1"),
        R("hidden < 0", 1, "hidden must be >= 1, but was given -3", "params", "--hidden", "-3"),
        R("hidden beyond int32", 2, "--hidden 2147483648 is outside the int32 range", "params", "--hidden", "2147483648"),
        R("steps < 0", 1, "steps (T) must be >= 0, but was given -1", "run", "--hidden", "1", "--steps", "-1", "--x", "1"),
        R("steps beyond int32 (accepted as int64)", 1, "would hold T + 1 = 3,000,000,001 states", "run", "--hidden", "1", "--steps", "3000000000", "--x", "1", "--trace", "PLACEHOLDER"),
        R("steps beyond int64", 2, "--steps 9223372036854775808 is outside the signed 64-bit range", "run", "--hidden", "1", "--steps", "9223372036854775808", "--x", "1"),
        R("--x not a number", 2, "--x item 2 expects a number, but got 'two'", "run", "--hidden", "2", "--steps", "1", "--x", "1,two"),
        R("--x empty item", 2, "--x item 2 of 3 is empty", "run", "--hidden", "2", "--steps", "1", "--x", "1,,2"),
        R("--x trailing comma", 2, "--x item 3 of 3 is empty", "run", "--hidden", "2", "--steps", "1", "--x", "1,2,"),
        R("--x empty", 2, "--x item 1 of 1 is empty", "run", "--hidden", "2", "--steps", "1", "--x", ""),
        R("NaN and +-Inf in x propagate", 0, "[\"NaN\",\"NaN\",\"NaN\",\"NaN\"]", "run", "--hidden", "4", "--steps", "1", "--x", "nan,inf,-inf,0"),
        R("seed beyond int64", 2, "--seed 9223372036854775808 is outside the signed 64-bit range", "random", "split", "--seed", "9223372036854775808"),
        R("seed below int64", 2, "--seed -9223372036854775809 is outside the signed 64-bit range", "random", "split", "--seed", "-9223372036854775809"),
        R("key of one word", 2, "--key expects two uint32 words K0,K1, but got 1 item in '5'", "random", "split", "--key", "5"),
        R("key of three words", 2, "--key expects two uint32 words K0,K1, but got 3 items", "random", "split", "--key", "1,2,3"),
        R("key word negative", 2, "--key word K1 -2 is outside the uint32 range", "random", "split", "--key", "1,-2"),
        R("key word beyond uint32", 2, "--key word K1 4294967296 is outside the uint32 range", "random", "split", "--key", "1,4294967296"),
        R("shape with a zero dimension", 0, "[]", "random", "normal", "--shape", "0,3"),
        R("fan initializer on a zero dimension", 1, "size 0", "init", "glorot_uniform", "--shape", "0,3"),
        R("shape with a negative dimension", 1, "negative dimension", "random", "normal", "--shape", "2,-1"),
        R("shape dimension beyond int32", 2, "--shape item 1 3000000000 is outside the int32 range", "random", "normal", "--shape", "3000000000"),
        R("shape whose size overflows", 1, "elements", "random", "bits", "--shape", "2147483647,2147483647,2147483647", "--width", "64"),
        R("W too large for memory (params)", 1, "array of shape (100000, 100000) (float32) has 10,000,000,000 elements", "params", "--hidden", "100000"),
        R("W too large for memory (run)", 1, "(100000, 100000)", "run", "--hidden", "100000", "--steps", "1", "--x", ManyX),
        R("output too large for memory", 1, "10,000,000,000 elements", "random", "normal", "--shape", "100000,100000"),
        R("unknown initializer", 2, "unknown initializer 'lecun_normall'", "init", "lecun_normall", "--shape", "2,2"),
        R("option the initializer does not take", 2, "initializer 'zeros' does not take --stddev", "init", "zeros", "--shape", "2", "--stddev", "1"),
        R("unknown option", 2, "--bogus", "run", "--hidden", "1", "--steps", "1", "--x", "1", "--bogus"),
        R("unknown command", 2, "rnadom", "rnadom", "split"),
        R("--threads negative", 1, "threads must be >= 0 (0 = automatic), but was given -1", "run", "--hidden", "1", "--steps", "1", "--x", "1", "--threads", "-1"),
        R("--threads not a number", 2, "--threads expects an integer", "run", "--hidden", "1", "--steps", "1", "--x", "1", "--threads", "two"),
        R("--progress with --no-progress", 2, "--progress and --no-progress contradict each other", "run", "--hidden", "1", "--steps", "1", "--x", "1", "--progress", "--no-progress"),
        new("trace larger than the free disk", 1, "free on the disk holding", dir => ["run", "--hidden", "4096", "--steps", "2000000000", "--x", X4096, "--trace", Path.Combine(dir, "t.npy")]),
        new("x-file missing", 1, "no such file", dir => ["run", "--hidden", "3", "--steps", "1", "--x-file", Path.Combine(dir, "missing.npy")]),
        new("x-file in a missing directory", 1, "no such file (its directory does not exist)", dir => ["run", "--hidden", "3", "--steps", "1", "--x-file", Path.Combine(dir, "nope", "x.npy")]),
        new("x-file is a directory", 1, "is a directory, not a .npy file", dir => ["run", "--hidden", "3", "--steps", "1", "--x-file", dir]),
        XFile("npy: empty file", 1, "the file is empty"),
        XFile("npy: truncated data", 1, "the data is truncated: shape (2, 3) of float32 needs 24 bytes, but only 20 follow the header"),
        XFile("npy: truncated inside the magic", 1, "it ends after 4 bytes, inside the magic string"),
        XFile("npy: bad magic", 1, "not a .npy file"),
        XFile("npy: unsupported version 4.0", 1, "unsupported .npy format version 4.0"),
        XFile("npy: big-endian float32", 1, "big-endian float32 ('>f4')"),
        XFile("npy: float64", 1, "the data is float64 ('<f8'); LaxScan needs float32 ('<f4')"),
        XFile("npy: int32", 1, "the data is int32 ('<i4')"),
        XFile("npy: uint32", 1, "the data is uint32 ('<u4') but float32 ('<f4') is required"),
        XFile("npy: Fortran order", 1, "Fortran (column-major) order"),
        XFile("npy: header claims a larger shape", 1, "needs 12000000 bytes, but only 24 follow"),
        XFile("npy: header claims a smaller shape", 1, "12 unexpected bytes follow the data"),
        XFile("npy: header longer than the file", 1, "the field says 65472 header bytes follow"),
        XFile("npy: trailing garbage", 1, "1 unexpected bytes follow the data"),
        XFile("npy: negative dimension", 1, "negative dimension -2"),
        XFile("npy: dimension beyond int32", 1, "larger than 2147483647"),
    ];

    public static TheoryData<string> Names => [.. Rows.Select(r => r.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Each_row_gives_its_exit_code_and_message_and_leaves_no_file(string name)
    {
        Row row = Rows.Single(r => r.Name == name);
        using var directory = new TempDirectory();
        string[] args = [.. row.Args(directory.Path).Select(a => a == "PLACEHOLDER" ? directory["t.npy"] : a)];
        string[] inputs = directory.Files();
        CliRun run = Run([.. args, "--out", directory["out.npy"]]);
        if (row.ExitCode == ExitCodes.Success)
        {
            Assert.True(run.ExitCode == 0, $"{name}: exit {run.ExitCode}, {run.Stderr}");
            Assert.Contains(row.Fragment, run.Stdout, StringComparison.Ordinal);
            Assert.Equal([.. inputs, "out.npy"], directory.Files());
            return;
        }

        string message = AssertFails(run, row.ExitCode);
        Assert.Contains(row.Fragment, message, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter '", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", message, StringComparison.Ordinal);
        Assert.Equal(inputs, directory.Files());
    }

    [Fact]
    public void The_matrix_has_a_row_for_every_malformed_npy_file()
    {
        Assert.Empty(BadNpyFiles.Bytes.Keys.Except(Rows.Select(r => r.Name)));
    }

    /// <summary>Writes the matrix with the actual messages when LAXSCAN_WRITE_MATRIX names a file: how docs/reliability.md was made.</summary>
    [Fact]
    public void The_matrix_can_be_printed_for_the_docs()
    {
        string? target = Environment.GetEnvironmentVariable("LAXSCAN_WRITE_MATRIX");
        Assert.SkipWhen(string.IsNullOrEmpty(target), "a tool, not a check: set LAXSCAN_WRITE_MATRIX to a file to print the matrix for docs/reliability.md");

        using var writer = new StreamWriter(target);
        foreach (Row row in Rows)
        {
            using var directory = new TempDirectory();
            string[] args = [.. row.Args(directory.Path).Select(a => a == "PLACEHOLDER" ? directory["t.npy"] : a)];
            CliRun run = Run(args);
            string shown = string.Join(' ', args.Select(a => a.Length > 40 ? a[..12] + "..." : a)).Replace(directory.Path, "DIR", StringComparison.Ordinal);
            string output = (run.ExitCode == 0 ? run.Stdout : run.Stderr).TrimEnd('\n').Replace(directory.Path, "DIR", StringComparison.Ordinal);
            writer.WriteLine($"| {row.Name} | `laxscan {shown}` | {run.ExitCode} | `{output}` |");
        }
    }
}

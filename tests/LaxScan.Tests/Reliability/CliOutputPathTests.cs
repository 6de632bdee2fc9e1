using System.Diagnostics;
using LaxScan.Cli;
using LaxScan.Io;
using LaxScan.Linen;
using LaxScan.Models;
using LaxScan.Random;
using LaxScan.Tests.Cli;
using static LaxScan.Tests.Cli.CliHarness;

namespace LaxScan.Tests.Reliability;

/// <summary>
/// The command line's outputs (<c>--out</c>, <c>--trace</c>, <c>--plot</c>, <c>params --out</c>): a FIFO, a device
/// node or a symlink is never replaced (issue 10 item 1), every output's directory is checked before any work and
/// named in the message (item 2), and two outputs on one file are refused (item 3). All in a test's own directory.
/// </summary>
public class CliOutputPathTests
{
    private static readonly string[] Run4 = ["run", "--hidden", "4", "--steps", "3", "--x", "0.5,-1,0.25,2", "--seed", "1"];

    private static NDArray<float> State => LaxScanFunctions.LaxScanInModule(1, [0.5f, -1f, 0.25f, 2f], 4, 3);

    private static NDArray<float> W => LaxScanFunctions.Params(PrngKey.FromSeed(1), 4).GetFloat32("params", "W");

    /// <summary>Each command's --out, with the bytes that land in the file.</summary>
    public static TheoryData<string, string[]> OutCommands => new()
    {
        { "run", Run4 },
        { "random normal", ["random", "normal", "--seed", "1", "--shape", "5"] },
        { "random bits", ["random", "bits", "--seed", "1", "--shape", "5", "--width", "8"] },
        { "random split", ["random", "split", "--seed", "1"] },
        { "init", ["init", "lecun_normal", "--seed", "1", "--shape", "4,3"] },
        { "params npy", ["params", "--hidden", "4", "--seed", "1"] },
        { "params msgpack", ["params", "--hidden", "4", "--seed", "1"] },
    };

    [Theory]
    [MemberData(nameof(OutCommands))]
    public void Out_to_a_fifo_streams_into_it_and_keeps_it(string name, string[] args)
    {
        using var directory = new TempDirectory();
        string fifo = directory[name.EndsWith("msgpack", StringComparison.Ordinal) ? "out.msgpack" : "out.npy"];
        SpecialFiles.MakeFifo(fifo);
        byte[] expected = ExpectedFile(name);
        CliRun run;
        using (var reader = new FifoReader(fifo, expected.Length))
        {
            run = Run([.. args, "--out", fifo]);
            Assert.Equal(0, run.ExitCode);
            Assert.Equal(expected, reader.Bytes());
        }

        Assert.Equal("fifo", SpecialFiles.Kind(fifo));
        Assert.Equal([Path.GetFileName(fifo)], directory.Files());
        Assert.NotEmpty(run.Stdout);
    }

    [Theory]
    [MemberData(nameof(OutCommands))]
    public void Out_to_a_device_node_writes_in_place_and_keeps_it(string name, string[] args)
    {
        using var directory = new TempDirectory();
        string device = directory[name.EndsWith("msgpack", StringComparison.Ordinal) ? "null.msgpack" : "null"];
        SpecialFiles.MakeNullDevice(device);
        Assert.Equal(0, Run([.. args, "--out", device]).ExitCode);
        Assert.Equal("character special file", SpecialFiles.Kind(device));
        Assert.Equal([Path.GetFileName(device)], directory.Files());
    }

    [Theory]
    [MemberData(nameof(OutCommands))]
    public void Out_through_a_symlink_replaces_its_target_and_keeps_the_link(string name, string[] args)
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "symlinks need privileges on Windows");
        using var directory = new TempDirectory();
        string extension = name.EndsWith("msgpack", StringComparison.Ordinal) ? ".msgpack" : ".npy";
        Directory.CreateDirectory(directory["data"]);
        File.WriteAllText(directory["data/real" + extension], "old");
        File.CreateSymbolicLink(directory["link" + extension], "data/real" + extension);
        Assert.Equal(0, Run([.. args, "--out", directory["link" + extension]]).ExitCode);
        Assert.Equal("symbolic link", SpecialFiles.Kind(directory["link" + extension]));
        Assert.Equal(ExpectedFile(name), File.ReadAllBytes(directory["data/real" + extension]));
        Assert.Equal(["data", "link" + extension], directory.Files());
        Assert.Equal(["real" + extension], Directory.GetFileSystemEntries(directory["data"]).Select(Path.GetFileName));
    }

    [Fact]
    public void Trace_and_plot_to_device_nodes_and_symlinks_keep_them()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "symlinks need privileges on Windows");
        using var directory = new TempDirectory();
        SpecialFiles.MakeNullDevice(directory["trace-null"]);
        SpecialFiles.MakeNullDevice(directory["plot-null.png"]);
        Assert.Equal(0, Run([.. Run4, "--trace", directory["trace-null"], "--plot", directory["plot-null.png"]]).ExitCode);
        Assert.Equal("character special file", SpecialFiles.Kind(directory["trace-null"]));
        Assert.Equal("character special file", SpecialFiles.Kind(directory["plot-null.png"]));

        Directory.CreateDirectory(directory["data"]);
        File.CreateSymbolicLink(directory["t.npy"], "data/trace.npy");
        File.CreateSymbolicLink(directory["p.png"], "data/plot.png");
        Assert.Equal(0, Run([.. Run4, "--trace", directory["t.npy"], "--plot", directory["p.png"]]).ExitCode);
        Assert.Equal("symbolic link", SpecialFiles.Kind(directory["t.npy"]));
        Assert.Equal("symbolic link", SpecialFiles.Kind(directory["p.png"]));
        Assert.Equal(new Shape(4, 4), NpyReader.ReadFloat32(directory["data/trace.npy"]).Shape);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(directory["data/plot.png"])[..4]);
        Assert.Equal(["plot.png", "trace.npy"], Directory.GetFileSystemEntries(directory["data"]).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Trace_to_a_fifo_streams_every_row()
    {
        using var directory = new TempDirectory();
        SpecialFiles.MakeFifo(directory["t.npy"]);
        var expected = new MemoryStream();
        float[] rows = [.. Enumerable.Range(0, 4).SelectMany(t => LaxScanFunctions.LaxScanInModule(1, [0.5f, -1f, 0.25f, 2f], 4, t).Data)];
        NpyWriter.Write(expected, new NDArray<float>(new Shape(4, 4), rows));

        using (var reader = new FifoReader(directory["t.npy"], (int)expected.Length))
        {
            Assert.Equal(0, Run([.. Run4, "--trace", directory["t.npy"]]).ExitCode);
            Assert.Equal(expected.ToArray(), reader.Bytes());
        }

        Assert.Equal("fifo", SpecialFiles.Kind(directory["t.npy"]));
    }

    [Fact]
    public void Out_to_a_socket_or_a_directory_fails_before_the_run_naming_the_option()
    {
        using var directory = new TempDirectory();
        using (SpecialFiles.MakeSocket(directory["sock"]))
        {
            string message = AssertFails(Run([.. Run4, "--trace", directory["t.npy"], "--out", directory["sock"]]), ExitCodes.Failure);
            Assert.StartsWith($"--out '{directory["sock"]}': it is a socket", message, StringComparison.Ordinal);
            Assert.Equal(["sock"], directory.Files());
        }

        Directory.CreateDirectory(directory["d"]);
        Assert.Equal($"--trace '{directory["d"]}': it is a directory", AssertFails(Run([.. Run4, "--trace", directory["d"]]), ExitCodes.Failure));
    }

    // Item 2: the output checks run before the work, which the trace shows: a run that started would have written it.
    [Theory]
    [InlineData("--out")]
    [InlineData("--plot")]
    public void An_output_in_a_missing_directory_fails_before_any_work(string option)
    {
        using var directory = new TempDirectory();
        string path = directory[option == "--plot" ? "missing/p.png" : "missing/y.npy"];
        string message = AssertFails(Run([.. Run4, "--trace", directory["t.npy"], option, path]), ExitCodes.Failure);
        Assert.Equal($"{option} '{path}': the directory {directory["missing"]} does not exist", message);
        Assert.Empty(directory.Files());
    }

    [Theory]
    [InlineData("run")]
    [InlineData("params")]
    [InlineData("random")]
    public void An_output_in_an_unwritable_directory_fails_before_any_work_naming_the_option_and_the_path(string command)
    {
        using var directory = new TempDirectory();
        Directory.CreateDirectory(directory["locked"]);
        string path = directory["locked/y.npy"];
        string[] args = command switch
        {
            "run" => [.. Run4, "--trace", directory["t.npy"], "--out", path],
            "params" => ["params", "--hidden", "4", "--out", path],
            _ => ["random", "normal", "--shape", "3", "--out", path],
        };
        string message;
        using (SpecialFiles.MakeUnwritable(directory["locked"]))
        {
            message = AssertFails(Run(args), ExitCodes.Failure);
        }

        Assert.StartsWith($"--out '{path}': ", message, StringComparison.Ordinal);
        Assert.DoesNotContain(".tmp", message, StringComparison.Ordinal);
        Assert.Equal(["locked"], directory.Files());
        Assert.Empty(Directory.GetFileSystemEntries(directory["locked"]));
    }

    // Item 3.
    [Theory]
    [InlineData("--out", "a.npy", "--trace", "a.npy")]
    [InlineData("--out", "p.png", "--plot", "p.png")]
    [InlineData("--trace", "sub/../t.png", "--plot", "t.png")]
    public void Two_outputs_on_one_file_are_a_usage_error(string first, string firstName, string second, string secondName)
    {
        using var directory = new TempDirectory();
        Directory.CreateDirectory(directory["sub"]);
        string message = AssertFails(Run([.. Run4, first, directory[firstName], second, directory[secondName]]), ExitCodes.Usage);
        Assert.Equal($"{first} '{directory[firstName]}' and {second} '{directory[secondName]}' are the same file, so one output would overwrite the other; give each output a file of its own", message);
        Assert.Equal(["sub"], directory.Files());
    }

    [Fact]
    public void Two_outputs_on_one_file_through_a_symlink_are_a_usage_error()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "symlinks need privileges on Windows");
        using var directory = new TempDirectory();
        File.WriteAllText(directory["t.npy"], "old");
        File.CreateSymbolicLink(directory["link.npy"], "t.npy");
        AssertFails(Run([.. Run4, "--trace", directory["t.npy"], "--out", directory["link.npy"]]), ExitCodes.Usage);
        Assert.Equal("old", File.ReadAllText(directory["t.npy"]));
    }

    [Fact]
    public void Reading_x_file_and_writing_out_to_the_same_file_stays_allowed()
    {
        using var directory = new TempDirectory();
        NpyWriter.Write(directory["x.npy"], new NDArray<float>(new Shape(4), [0.5f, -1f, 0.25f, 2f]));
        CliRun run = Run("run", "--hidden", "4", "--steps", "3", "--seed", "1", "--x-file", directory["x.npy"], "--out", directory["x.npy"]);
        AssertSameArray(State, run.Json);
        Assert.Equal(State.Data, NpyReader.ReadFloat32(directory["x.npy"]).Data);
    }

    // Item 1's --out /dev/stdout, through a link of the test's own to /proc/self/fd/1 (what /dev/stdout is on Linux),
    // so that a regression replaces a file in the test's directory and never the system's /dev/stdout.
    [Theory]
    [InlineData("out")]
    [InlineData("trace")]
    public void An_output_on_standard_output_streams_the_npy_bytes_there_instead_of_the_json(string which)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && Directory.Exists("/proc/self/fd"), "needs Linux's /proc/self/fd");
        using var directory = new TempDirectory();
        File.CreateSymbolicLink(directory["stdout.npy"], "/proc/self/fd/1");
        string[] args = which == "out"
            ? ["random", "normal", "--seed", "42", "--shape", "3", "--out", directory["stdout.npy"]]
            : ["run", "--hidden", "4", "--steps", "3", "--x", "0.5,-1,0.25,2", "--seed", "1", "--trace", directory["stdout.npy"]];
        (int exitCode, byte[] stdout, string stderr) = RunProcess(args);
        Assert.True(exitCode == 0, $"exit {exitCode}: {stderr}");
        Assert.Equal(string.Empty, stderr);
        NDArray<float> read = NpyReader.ReadFloat32(new MemoryStream(stdout));
        if (which == "out")
        {
            Bits.Equal(JaxRandom.Normal(PrngKey.FromSeed(42), new Shape(3)).Span, read.Span);
        }
        else
        {
            Assert.Equal(new Shape(4, 4), read.Shape);
            Bits.Equal(State.Span, read.Span[^4..]);
        }

        Assert.Equal("symbolic link", SpecialFiles.Kind(directory["stdout.npy"]));
        Assert.Equal(["stdout.npy"], directory.Files());
    }

    private static byte[] ExpectedFile(string name)
    {
        INDArray array = name switch
        {
            "run" => State,
            "random normal" => JaxRandom.Normal(PrngKey.FromSeed(1), new Shape(5)),
            "random bits" => JaxRandom.Bits<byte>(PrngKey.FromSeed(1), new Shape(5)),
            "random split" => new NDArray<uint>(new Shape(2, 2), [.. JaxRandom.Split(PrngKey.FromSeed(1), 2).SelectMany(k => new[] { k.K0, k.K1 })]),
            "init" => LaxScan.Nn.Initializers.LecunNormal()(PrngKey.FromSeed(1), new Shape(4, 3), ThreefryMode.Partitionable),
            "params npy" => W,
            _ => W,
        };
        if (name == "params msgpack")
        {
            return FlaxSerialization.ToBytes(LaxScanFunctions.Params(PrngKey.FromSeed(1), 4));
        }

        var bytes = new MemoryStream();
        switch (array)
        {
            case NDArray<float> f: NpyWriter.Write(bytes, f); break;
            case NDArray<byte> b: NpyWriter.Write(bytes, b); break;
            default: NpyWriter.Write(bytes, (NDArray<uint>)array); break;
        }

        return bytes.ToArray();
    }

    private static (int ExitCode, byte[] Stdout, string Stderr) RunProcess(string[] args)
    {
        ProcessStartInfo start = LaxscanProcess.StartInfo(new Dictionary<string, string?>(), args);
        using Process process = Process.Start(start)!;
        var stdout = new MemoryStream();
        Task copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"laxscan {string.Join(' ', args)} did not finish in 2 minutes");
        }

        copy.Wait(TimeSpan.FromMinutes(1));
        return (process.ExitCode, stdout.ToArray(), stderr.Result);
    }
}

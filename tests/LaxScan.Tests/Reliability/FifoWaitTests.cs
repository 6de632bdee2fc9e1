using System.Diagnostics;
using LaxScan.Cli;
using LaxScan.Io;
using LaxScan.Linen;
using LaxScan.Tests.Cli;
using static LaxScan.Tests.Cli.CliHarness;

namespace LaxScan.Tests.Reliability;

/// <summary>
/// A FIFO output nobody reads: opening it for writing waits for a reader, and that wait must obey Ctrl-C (exit 130,
/// <c>error: interrupted</c>) and a library caller's token, not block the process in the kernel. And a reader that
/// goes away mid-write is an error that names the option and the path. FIFOs live in the test's own directory.
/// </summary>
public class FifoWaitTests
{
    [Theory]
    [InlineData("NpyWriter.Write")]
    [InlineData("NpyWriter.WriteAsync")]
    [InlineData("FlaxSerialization.WriteFileAsync")]
    public async Task The_library_s_wait_for_a_fifo_reader_ends_when_the_token_is_cancelled(string writer)
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "POSIX FIFOs");
        using var directory = new TempDirectory();
        string fifo = directory["out.npy"];
        SpecialFiles.MakeFifo(fifo);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var array = new NDArray<float>(new Shape(3), [1, 2, 3]);

        // Each writer runs on its own thread: an async writer that opened the file without its token would block in
        // that open before its first await, so the call itself would not return.
        Task write = Task.Run(() => writer switch
        {
            "NpyWriter.Write" => Task.Run(() => NpyWriter.Write(fifo, array, cancel.Token)),
            "NpyWriter.WriteAsync" => NpyWriter.WriteAsync(fifo, array, cancel.Token),
            _ => FlaxSerialization.WriteFileAsync(fifo, Variables.Empty.With("params", Variables.Empty.With("w", array)), cancel.Token),
        });
        bool ended = await Task.WhenAny(write, Task.Delay(TimeSpan.FromMinutes(1))) == write;
        if (!ended)
        {
            // Unblock the stuck open (a reader appears) so the failing test does not leave a thread behind.
            using var reader = new FifoReader(fifo, 140);
            await Task.WhenAny(write, Task.Delay(TimeSpan.FromMinutes(1)));
        }

        Assert.True(ended, $"{writer} still waited for a FIFO reader a minute after its token was cancelled");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write);
        Assert.Equal("fifo", SpecialFiles.Kind(fifo));
    }

    [Theory]
    [InlineData("--out")]
    [InlineData("--trace")]
    public async Task Ctrl_C_while_an_output_fifo_has_no_reader_exits_130(string option)
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "POSIX FIFOs and signals");
        using var directory = new TempDirectory();
        string input = directory["x.npy"];
        string output = directory["y.npy"];
        SpecialFiles.MakeFifo(input);
        SpecialFiles.MakeFifo(output);
        ProcessStartInfo start = LaxscanProcess.StartInfo(new Dictionary<string, string?>(), "run", "--hidden", "2", "--steps", "3", "--x-file", input, option, output);
        using Process process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        try
        {
            // The gate: laxscan has its signal handlers once it reads --x-file, which it does after they are
            // registered; this open returns when it opens the input FIFO, so the command is surely running.
            Task feed = Task.Run(() =>
            {
                using var x = new FileStream(input, FileMode.Open, FileAccess.Write);
                NpyWriter.Write(x, new NDArray<float>(new Shape(2), [0.5f, -1f]));
            });
            await feed.WaitAsync(TimeSpan.FromMinutes(2));

            // Now it computes (microseconds) and then waits to open the output FIFO, which nobody reads.
            await Task.Delay(500);
            LaxscanProcess.Signal(process, LaxscanProcess.SigInt);

            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), $"laxscan still waits for a reader of its {option} FIFO a minute after Ctrl-C");
            Assert.Equal(130, process.ExitCode);
            Assert.Equal("error: interrupted\n", await stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        Assert.Equal("fifo", SpecialFiles.Kind(output));
        Assert.Equal(["x.npy", "y.npy"], directory.Files());
    }

    [Fact]
    public async Task A_fifo_reader_that_goes_away_is_an_error_naming_the_option_and_the_path()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "POSIX FIFOs");
        using var directory = new TempDirectory();
        string fifo = directory["out.npy"];
        SpecialFiles.MakeFifo(fifo);

        // A reader that takes 16 bytes and leaves, while 4 MB (far beyond a pipe's 64 KiB) are on their way.
        Task reader = Task.Run(() =>
        {
            using var input = new FileStream(fifo, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
            input.ReadExactly(new byte[16]);
        });
        CliRun run = Run("random", "normal", "--shape", "1000000", "--out", fifo, "--quiet");
        await reader.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal($"--out '{fifo}': the reader closed it before everything was written (broken pipe)", AssertFails(run, ExitCodes.Failure));
        Assert.Equal("fifo", SpecialFiles.Kind(fifo));
    }
}

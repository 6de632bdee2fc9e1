using System.Diagnostics;
using System.Text;
using System.Text.Json;
using LaxScan.Cli;
using LaxScan.Cli.Cancellation;
using LaxScan.Cli.Io;
using LaxScan.Io;
using LaxScan.Tests.Cli;

namespace LaxScan.Tests.Reliability;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM in every command (issue 10 item 4), also while a large result is written as .npy or
/// printed as JSON (item 5, the command line's part): exit 130, one <c>error: interrupted</c> line, and no temporary
/// or partial file. The real signals go to a child process at a point the test controls (standard output it stops
/// reading); the in-process tests interrupt at an exact point with <see cref="InterruptSignal.Manual"/>.
/// </summary>
public class SignalTests
{
    /// <summary>Each command with a result large enough that its JSON fills the pipe many times over.</summary>
    public static TheoryData<string[], int> LargeJsonCommands => new()
    {
        { ["params", "--hidden", "3000"], LaxscanProcess.SigInt },
        { ["params", "--hidden", "3000"], LaxscanProcess.SigTerm },
        { ["random", "bits", "--shape", "20000000", "--width", "8"], LaxscanProcess.SigInt },
        { ["random", "normal", "--shape", "4000,2500"], LaxscanProcess.SigTerm },
        { ["init", "lecun_normal", "--shape", "4000,2500"], LaxscanProcess.SigInt },
    };

    /// <summary>Each command, with an --out to write.</summary>
    public static TheoryData<string[]> Commands => new()
    {
        { ["run", "--hidden", "4", "--steps", "3", "--x", "0.5,-1,0.25,2"] },
        { ["params", "--hidden", "64"] },
        { ["random", "split", "--num", "1000"] },
        { ["random", "fold-in", "--data", "3"] },
        { ["random", "bits", "--shape", "1000"] },
        { ["random", "uniform", "--shape", "1000"] },
        { ["random", "normal", "--shape", "1000"] },
        { ["random", "truncated-normal", "--shape", "1000"] },
        { ["init", "lecun_normal", "--shape", "64,32"] },
    };

    [Theory]
    [MemberData(nameof(LargeJsonCommands))]
    public async Task A_signal_while_a_large_result_is_printed_stops_with_130_and_leaves_no_temporary_file(string[] command, int signal)
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "POSIX signals");
        using var directory = new TempDirectory();
        ProcessStartInfo start = LaxscanProcess.StartInfo(new Dictionary<string, string?>(), [.. command, "--out", directory["o.npy"]]);
        using Process process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        Stream stdout = process.StandardOutput.BaseStream;
        try
        {
            // The first bytes of JSON mean the .npy file is complete and the JSON is being printed. Reading no more
            // blocks laxscan on the full pipe, so the signal lands while it prints, whatever the machine's speed.
            byte[] first = new byte[1];
            Assert.Equal(1, await stdout.ReadAsync(first).AsTask().WaitAsync(TimeSpan.FromMinutes(2)));
            Assert.True(first[0] is (byte)'{' or (byte)'[', $"stdout starts with {first[0]}, not JSON");
            LaxscanProcess.Signal(process, signal);

            // Drain, so the blocked write returns and laxscan sees the cancellation.
            long printed = 1 + await CountAsync(stdout).WaitAsync(TimeSpan.FromMinutes(2));
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), "laxscan still runs a minute after the signal");
            Assert.Equal(130, process.ExitCode);
            Assert.Equal("error: interrupted\n", await stderr);
            Assert.True(printed < 10_000_000, $"{printed} bytes printed: the JSON ran on after the signal");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        // The .npy file was finished before the JSON started: it stays, whole; nothing else is there.
        Assert.Equal(["o.npy"], directory.Files());
        Assert.NotEqual(0, NpyReader.ReadHeader(directory["o.npy"]).Shape.Size);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void An_interrupt_while_the_out_file_is_written_leaves_no_file(string[] command)
    {
        using var directory = new TempDirectory();
        using var interrupt = InterruptSignal.Manual();
        var files = new InterruptingFiles(interrupt);
        CliRun run = RunWith(files, interrupt, [.. command, "--out", directory["o.npy"]]);
        Assert.True(files.Interrupted, "the command never wrote its --out file");
        Assert.Equal((130, string.Empty, "error: interrupted\n"), (run.ExitCode, run.Stdout, run.Stderr));
        Assert.Empty(directory.Files());
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void An_interrupt_before_the_work_stops_every_command_with_130(string[] command)
    {
        using var directory = new TempDirectory();
        using var interrupt = InterruptSignal.Manual();
        interrupt.Raise();
        CliRun run = RunWith(new NpyArrayFiles(), interrupt, [.. command, "--out", directory["o.npy"]]);
        Assert.Equal((130, string.Empty, "error: interrupted\n"), (run.ExitCode, run.Stdout, run.Stderr));
        Assert.Empty(directory.Files());
    }

    [Fact]
    public void An_interrupt_stops_verify_through_the_command_lines_own_cancellation()
    {
        using var directory = new TempDirectory();
        string bundle = new LaxScan.Tests.Verification.PublishedBundle().WriteTo(directory["published"]);
        using var interrupt = InterruptSignal.Manual();
        interrupt.Raise();
        CliRun run = RunWith(new NpyArrayFiles(), interrupt, ["verify", bundle]);
        Assert.Equal((130, string.Empty, "error: interrupted\n"), (run.ExitCode, run.Stdout, run.Stderr));
    }

    [Fact]
    public async Task An_interrupt_during_uncancellable_work_returns_at_once_without_waiting_for_it()
    {
        using var interrupt = InterruptSignal.Manual();
        var context = new CliContext(TextWriter.Null, TextWriter.Null, new NpyArrayFiles(), rawStdout: null);
        context.Begin(interrupt, LaxScan.Cli.Output.CliOutputs.None);
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        Task<OperationCanceledException> call = Task.Run(() => Assert.ThrowsAny<OperationCanceledException>(() => context.Compute(() =>
        {
            started.Set();
            release.Wait();
            return 1;
        })));
        Assert.True(started.Wait(TimeSpan.FromMinutes(1)));
        interrupt.Raise();
        try
        {
            await call.WaitAsync(TimeSpan.FromMinutes(1));
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public void Compute_passes_the_work_and_its_exceptions_through()
    {
        using var interrupt = InterruptSignal.Manual();
        var context = new CliContext(TextWriter.Null, TextWriter.Null, new NpyArrayFiles(), rawStdout: null);
        context.Begin(interrupt, LaxScan.Cli.Output.CliOutputs.None);
        Assert.Equal(7, context.Compute(() => 7));
        var error = Assert.Throws<ArgumentException>(() => context.Compute<int>(() => throw new ArgumentException("bad")));
        Assert.Equal("bad", error.Message);
    }

    private static CliRun RunWith(IArrayFiles files, InterruptSignal interrupt, string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exitCode = LaxScanCli.Run(args, stdout, stderr, files, interrupt: interrupt);
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }

    private static async Task<long> CountAsync(Stream stream)
    {
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            total += n;
        }

        return total;
    }

    /// <summary>The real files, with the interrupt raised the moment a command starts writing its --out file.</summary>
    private sealed class InterruptingFiles(InterruptSignal interrupt) : IArrayFiles
    {
        private readonly NpyArrayFiles _files = new();

        public bool Interrupted { get; private set; }

        public OutputTarget? ResolveOutput(string path) => _files.ResolveOutput(path);

        public void Write<T>(string path, NDArray<T> array, CancellationToken cancellationToken)
            where T : unmanaged
        {
            Interrupt();
            _files.Write(path, array, cancellationToken);
        }

        public void WriteVariables(string path, LaxScan.Linen.Variables variables, CancellationToken cancellationToken)
        {
            Interrupt();
            _files.WriteVariables(path, variables, cancellationToken);
        }

        public NDArray<float> ReadFloat32(string path) => _files.ReadFloat32(path);

        public LaxScan.Linen.Variables ReadVariables(string path) => _files.ReadVariables(path);

        private void Interrupt()
        {
            Interrupted = true;
            interrupt.Raise();
        }
    }
}

using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using LaxScan.Cli;
using LaxScan.Cli.Progress;
using LaxScan.Io;
using LaxScan.Models;
using LaxScan.Random;
using LaxScan.Tests.Cli;
using static LaxScan.Tests.Cli.CliHarness;

namespace LaxScan.Tests.Reliability;

/// <summary><c>run</c>'s long-run features: <c>--threads</c>, <c>--trace</c>, the progress line, and Ctrl-C.</summary>
public class LongRunTests
{
    private static readonly string[] X = ["--x", "0.5,-1,0.25,2"];

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("2")]
    [InlineData("5")]
    public void Threads_changes_no_bit(string threads)
    {
        string x = string.Join(',', Enumerable.Range(0, 600).Select(i => MathF.Sin(i).ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(Run("run", "--hidden", "600", "--steps", "3", "--x", x).Text, Run("run", "--hidden", "600", "--steps", "3", "--x", x, "--threads", threads).Text);
    }

    [Fact]
    public void Trace_row_t_is_the_state_after_t_steps_and_the_last_row_is_the_result()
    {
        using var directory = new Cli.TempDirectory();
        const int steps = 12;
        CliRun run = Run(["run", "--hidden", "4", "--steps", $"{steps}", .. X, "--seed", "3", "--trace", directory["t.npy"], "--out", directory["y.npy"]]);
        NDArray<float> trace = NpyReader.ReadFloat32(directory["t.npy"]);
        Assert.Equal(new Shape(steps + 1, 4), trace.Shape);
        for (int t = 0; t <= steps; t++)
        {
            CliRun shorter = Run(["run", "--hidden", "4", "--steps", $"{t}", .. X, "--seed", "3"]);
            AssertSameArray(new NDArray<float>(new Shape(4), trace.Span.Slice(t * 4, 4).ToArray()), shorter.Json);
        }

        AssertSameArray(new NDArray<float>(new Shape(4), trace.Span[^4..].ToArray()), run.Json);
        Assert.Equal(["t.npy", "y.npy"], directory.Files());
    }

    [Fact]
    public void Trace_of_a_batch_has_a_batch_axis_per_step()
    {
        using var directory = new Cli.TempDirectory();
        var batch = new NDArray<float>(new Shape(2, 3), [0.5f, -1f, 0.25f, 1f, 0f, -2f]);
        NpyWriter.Write(directory["x.npy"], batch);
        CliRun run = Run("run", "--hidden", "3", "--steps", "5", "--x-file", directory["x.npy"], "--trace", directory["t.npy"]);
        NDArray<float> trace = NpyReader.ReadFloat32(directory["t.npy"]);
        Assert.Equal(new Shape(6, 2, 3), trace.Shape);
        AssertSameArray(new NDArray<float>(new Shape(2, 3), trace.Span[^6..].ToArray()), run.Json);
        Bits.Equal(LaxScanFunctions.LaxScanInModule(PrngKey.FromSeed(0), batch, 3, 2).Span, trace.Span.Slice(2 * 6, 6));
    }

    [Fact]
    public void A_failed_run_leaves_no_trace()
    {
        using var directory = new Cli.TempDirectory();
        AssertFails(Run("run", "--hidden", "3", "--steps", "5", "--x", "1,2", "--trace", directory["t.npy"]), ExitCodes.Failure);
        Assert.Empty(directory.Files());
    }

    [Theory]
    [InlineData(0, 100, 1.0, "step 0/100 (0%), 0 steps/s, eta ?")]
    [InlineData(1_234_567, 10_000_000, 0.5, "step 1234567/10000000 (12%), 2.5M steps/s, eta 4s")]
    [InlineData(3_000, 1_000_000, 2.0, "step 3000/1000000 (0%), 1.5k steps/s, eta 11m05s")]
    [InlineData(10, 1_000_000, 1.0, "step 10/1000000 (0%), 10 steps/s, eta 27h46m")]
    public void The_progress_line_reads_like_this(long step, long total, double seconds, string expected)
    {
        Assert.Equal(expected, StepProgress.Format(step, total, TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void No_progress_line_on_a_short_run_even_when_forced()
    {
        CliRun run = Run(["run", "--hidden", "4", "--steps", "10", .. X, "--progress"]);
        Assert.Equal(string.Empty, run.Stderr);
    }

    [Theory]
    [InlineData(LaxscanProcess.SigInt)]
    [InlineData(LaxscanProcess.SigTerm)]
    public async Task A_signal_stops_a_long_run_with_exit_130_and_leaves_no_files(int signal)
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "SIGINT and SIGTERM are POSIX signals; Windows has no kill(2) to send them");

        using var directory = new Cli.TempDirectory();
        ProcessStartInfo start = LaxscanProcess.StartInfo(
            new Dictionary<string, string?>(),
            ["run", "--hidden", "4", "--steps", "100000000", .. X, "--progress", "--out", directory["y.npy"], "--trace", directory["t.npy"]]);
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        using var progress = new ProgressWatch(process);
        StringBuilder stderr = progress.Stderr;
        ManualResetEventSlim progressSeen = progress.Seen;
        Task reader = progress.Reader;

        try
        {
            Assert.True(progressSeen.Wait(TimeSpan.FromSeconds(30)), $"no progress line within 30 s; stderr: {stderr}");
            Assert.NotEmpty(directory.Files());
            LaxscanProcess.Signal(process, signal);

            // A generous bound, not a measurement: a run that ignores the signal would go on for minutes.
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "laxscan still runs 60 s after the signal");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }

        await reader.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(130, process.ExitCode);
        Assert.Equal(string.Empty, await stdout);
        string text = stderr.ToString();
        Assert.EndsWith("\rerror: interrupted\n", text, StringComparison.Ordinal);
        Assert.Empty(directory.Files());
    }

    [Fact]
    public async Task Ctrl_C_stops_an_rnn_run_with_exit_130_and_leaves_no_files()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var directory = new Cli.TempDirectory();
        Assert.Equal(0, Run("rnn", "init", "--cell", "lstm", "--hidden", "1024", "--features", "1", "--recurrent-kernel-init", "lecun_normal", "--out", directory["v.msgpack"]).ExitCode);
        LaxScan.Io.NpyWriter.Write(directory["x.npy"], new NDArray<float>(new Shape(20000, 1)));
        string[] kept = ["v.msgpack", "x.npy"];
        ProcessStartInfo start = LaxscanProcess.StartInfo(
            new Dictionary<string, string?>(),
            ["rnn", "--cell", "lstm", "--hidden", "1024", "--params", directory["v.msgpack"], "--x-file", directory["x.npy"], "--progress", "--out", directory["y.npy"], "--trace", directory["t.npy"]]);
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        using var progress = new ProgressWatch(process);
        StringBuilder stderr = progress.Stderr;
        ManualResetEventSlim progressSeen = progress.Seen;
        Task reader = progress.Reader;

        try
        {
            Assert.True(progressSeen.Wait(TimeSpan.FromSeconds(60)), $"no progress line within 60 s; stderr: {stderr}");
            LaxscanProcess.Signal(process, LaxscanProcess.SigInt);
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(10)), "laxscan still runs 10 s after the signal");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }

        await reader.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(130, process.ExitCode);
        Assert.Equal(string.Empty, await stdout);
        Assert.EndsWith("error: interrupted\n", stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal(kept, directory.Files().Order());
    }

    /// <summary>Reads a child's standard error as it comes and signals when a progress line ("step ...") appears.</summary>
    private sealed class ProgressWatch : IDisposable
    {
        public ProgressWatch(Process process)
        {
            Reader = Task.Run(() =>
            {
                // Char by char: the progress line ends in \r, never in the newline a line reader waits for.
                var buffer = new char[256];
                int n;
                while ((n = process.StandardError.Read(buffer, 0, buffer.Length)) > 0)
                {
                    lock (Stderr)
                    {
                        Stderr.Append(buffer, 0, n);
                        if (Stderr.ToString().Contains("step ", StringComparison.Ordinal))
                        {
                            Seen.Set();
                        }
                    }
                }
            });
        }

        public StringBuilder Stderr { get; } = new();

        public ManualResetEventSlim Seen { get; } = new();

        public Task Reader { get; }

        public void Dispose() => Seen.Dispose();
    }
}

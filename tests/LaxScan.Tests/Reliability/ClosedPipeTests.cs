using System.Diagnostics;
using LaxScan.Cli;

namespace LaxScan.Tests.Reliability;

/// <summary>
/// <c>laxscan params ... | head -c1</c>: the reader of standard output leaves after one byte. .NET's console stream
/// drops every write after <c>EPIPE</c> in silence (the runtime ignores SIGPIPE), so the tool computed on and exited 0
/// as if the JSON had arrived. It must stop with exit 1 and the one <c>error:</c> line docs/errors.md lists, and no
/// stack trace.
/// </summary>
public class ClosedPipeTests
{
    [Fact]
    public async Task Json_to_a_reader_that_left_after_one_byte_exits_1_with_one_error_line()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "POSIX pipes");

        // H = 300: 90,000 floats of JSON, far beyond a pipe's 64 KiB, so the write outlives the reader.
        using Process process = Process.Start(LaxscanProcess.StartInfo(new Dictionary<string, string?>(), "params", "--hidden", "300", "--seed", "0"))!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        Assert.Equal('{', (char)process.StandardOutput.Read());
        process.StandardOutput.Close();

        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("laxscan params went on writing for 2 minutes after its reader closed the pipe");
        }

        Assert.Equal(
            (ExitCodes.Failure, "error: cannot write to standard output: its reader closed the pipe (broken pipe)\n"),
            (process.ExitCode, await stderr));
    }
}

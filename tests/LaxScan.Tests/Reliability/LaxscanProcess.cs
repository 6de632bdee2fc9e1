using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace LaxScan.Tests.Reliability;

/// <summary>
/// The built <c>laxscan</c> (<c>dotnet LaxScan.Cli.dll</c>, copied beside the tests by the project reference) as a
/// child process with its own environment, for what only a real process shows: JIT settings, signals, exit codes.
/// </summary>
internal static partial class LaxscanProcess
{
    /// <summary>The CLI assembly beside the test assembly.</summary>
    public static string Dll
    {
        get
        {
            string dll = Path.Combine(AppContext.BaseDirectory, "LaxScan.Cli.dll");
            Assert.True(File.Exists(dll), $"{dll} is missing: the test project must reference LaxScan.Cli");
            return dll;
        }
    }

    /// <summary>A start description for <c>laxscan <paramref name="args"/></c> with <paramref name="environment"/> added (a null value removes a variable).</summary>
    public static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The child must not inherit a knob the parent test run happens to have, or "default" would not mean default.
        foreach (string name in new[] { "DOTNET_EnableAVX512", "DOTNET_EnableAVX512F", "DOTNET_EnableAVX2", "DOTNET_EnableHWIntrinsic", "LAXSCAN_SIMD" })
        {
            start.Environment.Remove(name);
        }

        foreach ((string name, string? value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        return start;
    }

    /// <summary>Runs to completion and returns the exit code and both streams.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        using Process process = Process.Start(StartInfo(environment, args))!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"laxscan {string.Join(' ', args)} did not finish in 2 minutes");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>
    /// Runs many command lines in one child process (<c>laxscan __batch</c>, LaxScan.Cli's BatchMode) under
    /// <paramref name="environment"/>, in order: one start-up instead of one per command line. Kills the child and
    /// fails the test when the whole batch has not finished within <paramref name="timeout"/>.
    /// </summary>
    public static IReadOnlyList<(int ExitCode, string Stdout, string Stderr)> RunBatch(IReadOnlyDictionary<string, string?> environment, IReadOnlyList<string[]> commands, TimeSpan timeout)
    {
        ProcessStartInfo start = StartInfo(environment, "__batch");
        start.RedirectStandardInput = true;
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        Task feed = Task.Run(() =>
        {
            foreach (string[] args in commands)
            {
                process.StandardInput.Write(JsonSerializer.Serialize(args));
                process.StandardInput.Write('\n');
            }

            process.StandardInput.Close();
        });
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"laxscan __batch of {commands.Count} command lines did not finish in {timeout}");
        }

        feed.Wait(timeout);
        Assert.True(process.ExitCode == 0, $"laxscan __batch exited {process.ExitCode}: {stderr.Result}");
        var results = new List<(int, string, string)>();
        foreach (string line in stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            JsonElement r = JsonDocument.Parse(line).RootElement;
            results.Add((r.GetProperty("exit").GetInt32(), r.GetProperty("stdout").GetString()!, r.GetProperty("stderr").GetString()!));
        }

        Assert.Equal(commands.Count, results.Count);
        return results;
    }

    /// <summary>Sends a POSIX signal, as a terminal's Ctrl-C (SIGINT) or a service manager (SIGTERM) does.</summary>
    public static void Signal(Process process, int signal)
    {
        Assert.True(Kill(process.Id, signal) == 0, $"kill({process.Id}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>SIGINT's number on Linux and macOS.</summary>
    public const int SigInt = 2;

    /// <summary>SIGTERM's number on Linux and macOS.</summary>
    public const int SigTerm = 15;

    /// <summary>The dotnet that runs this test run (the SDK says which); outside it, the dotnet on PATH.</summary>
    public static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

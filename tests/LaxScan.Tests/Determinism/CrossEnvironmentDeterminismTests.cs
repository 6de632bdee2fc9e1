using System.Diagnostics;
using System.Globalization;
using LaxScan.Io;
using LaxScan.Tests.Cli;
using LaxScan.Tests.Reliability;

namespace LaxScan.Tests.Determinism;

/// <summary>The commands every environment runs, and a scratch directory for the input file they share.</summary>
public sealed class DeterminismCommands : IDisposable
{
    private readonly TempDirectory _directory = new();

    public DeterminismCommands()
    {
        // Values around 1e-38 make x @ W land in the subnormal range, where XLA's flush-to-zero decides the bits.
        string tiny = _directory["tiny.npy"];
        NpyWriter.Write(tiny, new NDArray<float>(new Shape(2, 9), [.. Enumerable.Range(0, 18).Select(i => (i - 9) * 3e-39f)]));

        var commands = new List<string[]>();
        foreach ((int hidden, int steps) in new[] { (1, 3), (7, 5), (8, 10), (9, 10), (64, 20), (130, 4), (300, 5), (600, 3) })
        {
            string x = string.Join(',', Enumerable.Range(0, hidden).Select(i => (0.9f * MathF.Cos(i * 1.3f)).ToString("R", CultureInfo.InvariantCulture)));
            string[] run = ["run", "--hidden", $"{hidden}", "--steps", $"{steps}", "--x", x, "--seed", $"{hidden}"];
            commands.Add(run);
            if (hidden >= 130)
            {
                // Only from H = 129 on can a step be split (threads own panels of 128 outputs), and from H = 256 it is by default.
                commands.Add([.. run, "--threads", "1"]);
                commands.Add([.. run, "--threads", "2", "--threefry", "original"]);
            }
        }

        // A batch whose rows split between threads (one 128-column panel, fewer than the threads) and one that splits by panels.
        string batch = _directory["batch.npy"];
        NpyWriter.Write(batch, new NDArray<float>(new Shape(13, 100), [.. Enumerable.Range(0, 1300).Select(i => MathF.Sin(i * 0.7f))]));
        commands.Add(["run", "--hidden", "100", "--steps", "3", "--x-file", batch, "--seed", "5", "--threads", "2"]);
        string wide = _directory["wide.npy"];
        NpyWriter.Write(wide, new NDArray<float>(new Shape(7, 300), [.. Enumerable.Range(0, 2100).Select(i => MathF.Cos(i * 0.3f))]));
        commands.Add(["run", "--hidden", "300", "--steps", "3", "--x-file", wide, "--seed", "6"]);
        commands.Add(["run", "--hidden", "9", "--steps", "4", "--x-file", tiny, "--seed", "3"]);
        commands.Add(["run", "--hidden", "9", "--steps", "4", "--x-file", tiny, "--seed", "3", "--threefry", "original", "--threads", "1"]);
        commands.Add(["params", "--hidden", "9", "--seed", "1"]);
        commands.Add(["params", "--hidden", "33", "--seed", "2", "--threefry", "original"]);
        commands.Add(["random", "normal", "--seed", "42", "--shape", "1000"]);
        commands.Add(["random", "normal", "--seed", "42", "--shape", "257", "--threefry", "original"]);
        commands.Add(["random", "truncated-normal", "--seed", "7", "--shape", "257"]);
        commands.Add(["random", "uniform", "--seed", "7", "--shape", "1000", "--threefry", "original"]);
        commands.Add(["random", "bits", "--seed", "5", "--shape", "257"]);
        commands.Add(["random", "bits", "--seed", "5", "--shape", "1000", "--width", "8", "--threefry", "original"]);
        commands.Add(["init", "lecun_normal", "--seed", "0", "--shape", "64,33"]);
        commands.Add(["init", "glorot_uniform", "--seed", "0", "--shape", "64,33", "--threefry", "original"]);

        // Recurrent networks: each cell's kernels and exp/sigmoid, a batch with lengths, tiny inputs (FTZ), threads.
        string sequence = _directory["seq.npy"];
        NpyWriter.Write(sequence, new NDArray<float>(new Shape(2, 11, 3), [.. Enumerable.Range(0, 66).Select(i => 2.5f * MathF.Sin(i * 0.7f))]));
        string tinySequence = _directory["tinyseq.npy"];
        NpyWriter.Write(tinySequence, new NDArray<float>(new Shape(6, 3), [.. Enumerable.Range(0, 18).Select(i => (i - 9) * 4e-39f)]));
        foreach ((string cell, int hidden) in new[] { ("lstm", 9), ("gru", 17), ("mgu", 8), ("simple", 33), ("optimized-lstm", 16) })
        {
            string variables = _directory[$"{cell}.msgpack"];
            Assert.Equal(0, CliHarness.Run("rnn", "init", "--cell", cell, "--hidden", $"{hidden}", "--features", "3", "--seed", $"{hidden}", "--out", variables).ExitCode);
            commands.Add(["rnn", "--cell", cell, "--hidden", $"{hidden}", "--params", variables, "--x-file", sequence, "--return-carry", "--seq-lengths", "11,6"]);
            commands.Add(["rnn", "--cell", cell, "--hidden", $"{hidden}", "--params", variables, "--x-file", tinySequence, "--reverse", "--threads", "2"]);
        }

        string bidirectional = _directory["bi.msgpack"];
        Assert.Equal(0, CliHarness.Run("rnn", "init", "--cell", "lstm", "--hidden", "12", "--features", "3", "--bidirectional", "--out", bidirectional).ExitCode);
        commands.Add(["rnn", "--cell", "lstm", "--hidden", "12", "--params", bidirectional, "--x-file", sequence, "--bidirectional", "--return-carry"]);
        Commands = commands;

        // The reference: the in-process run under whatever this test process was started with.
        Expected = [.. commands.Select(args =>
        {
            CliRun run = CliHarness.Run(args);
            Assert.True(run.ExitCode == 0, $"laxscan {Show(args)}: {run.Stderr}");
            return run.Stdout;
        })];
    }

    public IReadOnlyList<string[]> Commands { get; }

    public IReadOnlyList<string> Expected { get; }

    public static string Show(string[] args) => string.Join(' ', args.Select(a => a.Length > 30 ? a[..30] + "..." : a));

    public void Dispose() => _directory.Dispose();
}

/// <summary>
/// The bit-exact results must not depend on the machine's vector width, the JIT's use of intrinsics, its tiers or the
/// thread count. Each environment below starts one child process of the built CLI (<c>laxscan __batch</c>) that runs
/// every command in <see cref="DeterminismCommands"/> twice, the second time with the JIT warmed up (methods called
/// often are recompiled at tier 1 with profile-guided optimisation by then), and every stdout must be byte for byte
/// the in-process result.
/// </summary>
public class CrossEnvironmentDeterminismTests(DeterminismCommands commands) : IClassFixture<DeterminismCommands>
{
    public static TheoryData<string, string> Environments => new()
    {
        { "default", "" },
        { "no AVX-512", "DOTNET_EnableAVX512=0" },
        { "no AVX2", "DOTNET_EnableAVX2=0" },
        { "no hardware intrinsics", "DOTNET_EnableHWIntrinsic=0" },
        { "LAXSCAN_SIMD=scalar", "LAXSCAN_SIMD=scalar" },
        { "LAXSCAN_SIMD=128", "LAXSCAN_SIMD=128" },
        { "LAXSCAN_SIMD=256", "LAXSCAN_SIMD=256" },
        { "fully optimised from the start (no tiering)", "DOTNET_TieredCompilation=0" },
        { "no PGO, loops optimised at once", "DOTNET_TieredPGO=0 DOTNET_TC_QuickJitForLoops=0" },
        { "no ReadyToRun (the framework JIT-compiled here)", "DOTNET_ReadyToRun=0" },
    };

    [Theory]
    [MemberData(nameof(Environments))]
    public void Every_command_prints_the_same_bytes(string name, string variables)
    {
        Dictionary<string, string?> environment = variables.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(v => v.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => (string?)kv[1]);
        int count = commands.Commands.Count;

        // Twice over in one process: cold, then after the JIT has tiered up the hot methods.
        IReadOnlyList<(int ExitCode, string Stdout, string Stderr)> results =
            LaxscanProcess.RunBatch(environment, [.. commands.Commands, .. commands.Commands], TimeSpan.FromMinutes(5));
        var mismatches = new List<string>();
        for (int i = 0; i < results.Count; i++)
        {
            (int exitCode, string stdout, string stderr) = results[i];
            string[] args = commands.Commands[i % count];
            if (exitCode != 0 || stdout != commands.Expected[i % count])
            {
                mismatches.Add($"[{name}, {(i < count ? "cold" : "warm")}] laxscan {DeterminismCommands.Show(args)}: exit {exitCode}, stderr '{stderr.Trim()}', stdout {(stdout == commands.Expected[i % count] ? "equal" : "DIFFERS")}");
            }
        }

        // No time limit on the commands themselves: the batch has a generous 5-minute timeout, so a hang still fails.
        Assert.True(mismatches.Count == 0, string.Join('\n', mismatches));
    }

    [Fact]
    public void The_batch_runs_each_line_as_its_own_command_line()
    {
        IReadOnlyList<(int ExitCode, string Stdout, string Stderr)> results = LaxscanProcess.RunBatch(
            new Dictionary<string, string?>(),
            [["random", "split", "--seed", "0"], ["random", "normal", "--bogus"], ["random", "split", "--seed", "0", "--num", "1"]],
            TimeSpan.FromMinutes(2));

        // JAX's keys for split(key(0)) (jax.random docs), a usage error, and JAX's one-key split.
        Assert.Equal((0, "[[1797259609,2579123966],[928981903,3453687069]]\n", string.Empty), results[0]);
        Assert.Equal(2, results[1].ExitCode);
        Assert.StartsWith("error: Unrecognized command or argument '--bogus'", results[1].Stderr, StringComparison.Ordinal);
        Assert.Equal(0, results[2].ExitCode);
    }
}

using LaxScan.Kernels;
using System.Diagnostics;
using LaxScan.Numerics;

namespace LaxScan.Peers;

/// <summary>The batch figure, where a step's time goes, and the CLI's start-up.</summary>
internal static class Extras
{
    private const int BatchRows = 64;
    private const int BatchHidden = 512;

    public static IEnumerable<string> Batch(double seconds, double ghz)
    {
        float[] w = Inputs.Weights(BatchHidden);
        float[] x = Inputs.Vector(BatchRows * BatchHidden, 0);
        var wArray = new NDArray<float>(new Shape(BatchHidden, BatchHidden), w);
        double fmas = (double)BatchRows * BatchHidden * BatchHidden;
        double peak = 16 * ghz * 1e9;
        yield return $"## Batch B={BatchRows}, H={BatchHidden}: {fmas / 1e6:F1} M FMA per step; % of peak at 16 FMA/cycle/core (the brief's Zen 4 figure) x {ghz:F2} GHz, and [at 32/cycle, Zen 5]";
        float[]? final1 = null;
        int steps1 = 0;
        foreach (int threads in new[] { 1, 2 })
        {
            using var op = new GemvOperator(wArray, threads);
            Timed t = Timed.Run(seconds, 1, steps => Program.Recur((a, b) => op.MultiplyTanh(a, b, BatchRows), x, steps));
            double frac = fmas / (t.Micros * 1e-6) / (peak * threads);
            string same = string.Empty;
            if (threads == 1)
            {
                final1 = t.Final;
                steps1 = t.Steps;
            }
            else if (final1 is not null)
            {
                float[] again = Program.Recur((a, b) => op.MultiplyTanh(a, b, BatchRows), x, steps1);
                same = again.AsSpan().SequenceEqual(final1) ? ", bits equal to 1 thread" : ", BITS DIFFER from 1 thread";
            }

            yield return $"LaxScan MultiplyTanh(x, y, 64), {threads} thread(s): {t.Micros:F1} us/step (T={t.Steps}) = {fmas / (t.Micros * 1e-6) / 1e9:F1} GFMA/s = {100 * frac:F1}% [{50 * frac:F1}%] of {threads} core(s)' FMA peak{same}";
        }

        // Rows of the batch against single-vector runs (the library's promise), at a few steps.
        using (var op1 = new GemvOperator(wArray, 1))
        {
            const int check = 8;
            float[] batched = Program.Recur((a, b) => op1.MultiplyTanh(a, b, BatchRows), x, check);
            int equalRows = 0;
            for (int r = 0; r < BatchRows; r++)
            {
                float[] row = x.AsSpan(r * BatchHidden, BatchHidden).ToArray();
                float[] single = Program.Recur((a, b) => op1.MultiplyTanh(a, b), row, check);
                equalRows += single.AsSpan().SequenceEqual(batched.AsSpan(r * BatchHidden, BatchHidden)) ? 1 : 0;
            }

            yield return $"batch rows equal to their single-vector runs after {check} steps: {equalRows}/{BatchRows}";
        }

        // The dot alone, for the fraction of peak the kernel reaches without tanh.
        float[] y = new float[x.Length];
        double gemm = PerCall(() => Gemv.MultiplyBatch(x, w, y, BatchRows));
        yield return $"Gemv.MultiplyBatch (no tanh, row-major W, 1 thread): {gemm:F1} us = {100 * fmas / (gemm * 1e-6) / peak:F1}% [{50 * fmas / (gemm * 1e-6) / peak:F1}%] of peak";
        yield return string.Empty;
    }

    /// <summary>The per-step cost split (bench/LaxScan.Bench/Split/StepSplit.cs, also `dotnet run ... -- split`).</summary>
    public static IEnumerable<string> Split(int[] sizes) => LaxScan.Bench.Split.StepSplit.Lines(sizes, rounds: 9, blockMs: 20);

    /// <summary>lecun_normal of 4096 x 4096 on the calling thread, both threefry layouts, best of five.</summary>
    public static IEnumerable<string> WeightGeneration(double ghz)
    {
        yield return "## W generation: lecun_normal()(key, (4096, 4096)) on one thread (one-pass truncated normal), best of 5";
        var shape = new Shape(4096, 4096);
        foreach (LaxScan.Random.ThreefryMode mode in new[] { LaxScan.Random.ThreefryMode.Partitionable, LaxScan.Random.ThreefryMode.Original })
        {
            LaxScan.Nn.Initializer init = LaxScan.Nn.Initializers.LecunNormal();
            double best = double.MaxValue;
            for (int r = 0; r < 5; r++)
            {
                long t0 = Stopwatch.GetTimestamp();
                init(LaxScan.Random.PrngKey.FromSeed(0), shape, mode);
                best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalSeconds);
            }

            double perValue = best / shape.Size * 1e9;
            yield return $"{mode}: {perValue:F2} ns/value = {1e3 / perValue:F0} M values/s ({perValue * ghz:F1} cycles/value at {ghz:F2} GHz), including the 64 MiB allocation";
        }

        yield return string.Empty;
    }

    /// <summary>Wall time of the CLI, best of five: `run --hidden 8 --steps 10`, or `--help` if run is not there.</summary>
    public static string Cli(string dll)
    {
        // The CLI needs an input vector; eight values of sin(i), as every peer's x.
        string[] run = ["run", "--hidden", "8", "--steps", "10", "--x", "0,0.84147096,0.9092974,0.14112,-0.7568025,-0.9589243,-0.2794155,0.6569866"];
        (int code, string output, double _) = Launch(dll, run);
        bool works = code == 0 && output.Trim().Length > 0;
        string[] used = works ? run : ["--help"];
        string why = works ? string.Empty : $" (`run` is not available in this build: exit {code}, output \"{output.Split('\n').FirstOrDefault()?.Trim()}\"; timed --help instead, i.e. runtime start-up)";
        double best = double.MaxValue;
        int lastCode = 0;
        for (int i = 0; i < 5; i++)
        {
            (lastCode, _, double ms) = Launch(dll, used);
            best = Math.Min(best, ms);
        }

        return $"CLI: `dotnet {Path.GetFileName(dll)} {string.Join(' ', used)}` wall time {best:F0} ms (best of 5, exit {lastCode}){why}";
    }

    private static (int Code, string Output, double Ms) Launch(string dll, string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        long t0 = Stopwatch.GetTimestamp();
        using Process p = Process.Start(psi)!;
        Task<string> err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        return (p.ExitCode, output + err.Result, ms);
    }

    /// <summary>Microseconds per call: the best of seven blocks of about 30 ms each.</summary>
    private static double PerCall(Action action)
    {
        action();
        int calls = 1;
        while (true)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++)
            {
                action();
            }

            if (Stopwatch.GetElapsedTime(t0).TotalMilliseconds >= 30)
            {
                break;
            }

            calls *= 2;
        }

        double best = double.MaxValue;
        for (int r = 0; r < 7; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++)
            {
                action();
            }

            best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalMicroseconds / calls);
        }

        return best;
    }
}

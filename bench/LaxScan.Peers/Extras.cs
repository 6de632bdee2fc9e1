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
                float[] single = Program.Recur(op1.MultiplyTanh, row, check);
                equalRows += single.AsSpan().SequenceEqual(batched.AsSpan(r * BatchHidden, BatchHidden)) ? 1 : 0;
            }

            yield return $"batch rows equal to their single-vector runs after {check} steps: {equalRows}/{BatchRows}";
        }

        // Where the time goes: the GEMM without tanh, the tanh pass alone, and the prototype with tanh in registers.
        float[] y = new float[x.Length];
        double gemm = PerCall(() => Gemv.MultiplyBatch(x, w, y, BatchRows));
        double tanh = PerCall(() => XlaMath.Tanh(y, y));
        Array.Copy(x, y, x.Length);
        double proto = PerCall(() => Proto.Batch(x, w, y, BatchRows));
        float[] protoFinal = Program.Recur((a, b) => Proto.Batch(a, w, b, BatchRows), x, 8);
        Array.Copy(x, y, x.Length);
        double blocked = PerCall(() => Proto.BatchBlocked(x, w, y, BatchRows));
        float[] blockedFinal = Program.Recur((a, b) => Proto.BatchBlocked(a, w, b, BatchRows), x, 8);
        using var opCheck = new GemvOperator(wArray, 1);
        float[] laxFinal = Program.Recur((a, b) => opCheck.MultiplyTanh(a, b, BatchRows), x, 8);
        yield return $"breakdown (1 thread): Gemv.MultiplyBatch (no tanh) {gemm:F1} us ({100 * fmas / (gemm * 1e-6) / peak:F1}% [{50 * fmas / (gemm * 1e-6) / peak:F1}%] of peak) + XlaMath.Tanh over {BatchRows * BatchHidden} values {tanh:F1} us";
        yield return $"prototype (bench/LaxScan.Peers/Proto.cs: same tile, XLA tanh vectorised in registers): {proto:F1} us/step = {100 * fmas / (proto * 1e-6) / peak:F1}% [{50 * fmas / (proto * 1e-6) / peak:F1}%] of peak; bits equal to LaxScan after 8 steps: {protoFinal.AsSpan().SequenceEqual(laxFinal)}";
        yield return $"prototype, cache-blocked (Proto.BatchBlocked: W tiles of 128 x 48 kept in L1 across all 64 rows, tanh in registers): {blocked:F1} us/step = {100 * fmas / (blocked * 1e-6) / peak:F1}% [{50 * fmas / (blocked * 1e-6) / peak:F1}%] of peak; bits equal to LaxScan after 8 steps: {blockedFinal.AsSpan().SequenceEqual(laxFinal)}";
        yield return string.Empty;
    }

    public static IEnumerable<string> Breakdown(double ghz)
    {
        yield return "## Where a single-vector step goes (1 thread, us per call, best of several blocks)";
        yield return "|     H | MultiplyTanh | Multiply (dot only) | XlaMath.Tanh(H) | prototype fused | proto bits = LaxScan | dot FMA/cycle |";
        yield return "|------:|-------------:|--------------------:|----------------:|----------------:|----------------------|--------------:|";
        foreach (int hidden in new[] { 64, 256, 1024 })
        {
            float[] w = Inputs.Weights(hidden);
            float[] x = Inputs.Vector(hidden, 0);
            using var op = new GemvOperator(new NDArray<float>(new Shape(hidden, hidden), w), 1);
            float[] y = new float[hidden];
            double full = PerCall(() => op.MultiplyTanh(x, y));
            double dot = PerCall(() => op.Multiply(x, y));
            double tanh = PerCall(() => XlaMath.Tanh(y, y));
            double proto = PerCall(() => Proto.Step(x, w, y));
            const int check = 1000;
            bool same = Program.Recur((a, b) => Proto.Step(a, w, b), x, check).AsSpan().SequenceEqual(Program.Recur(op.MultiplyTanh, x, check));
            double fmaPerCycle = (double)hidden * hidden / (dot * 1e-6) / (ghz * 1e9);
            yield return $"| {hidden,5} | {full,12:F3} | {dot,19:F3} | {tanh,15:F3} | {proto,15:F3} | {(same ? "yes (1000 steps)" : "NO"),-20} | {fmaPerCycle,13:F1} |";
        }

        yield return string.Empty;
    }

    /// <summary>H = 4096: LaxScan against W streamed in memory order (Proto.StepRowStream), 1 and 2 threads.</summary>
    public static IEnumerable<string> Large(int hidden, double bw1, double bw2)
    {
        float[] w = Inputs.Weights(hidden);
        float[] x = Inputs.Vector(hidden, 0);
        var wArray = new NDArray<float>(new Shape(hidden, hidden), w);
        float[] y = new float[hidden];
        double bytes = 4.0 * hidden * hidden;
        yield return $"## H={hidden}: where the time goes (us per call; streaming W once takes {bytes / bw1 / 1e3:F0} us at the 1-thread and {bytes / bw2 / 1e3:F0} us at the 2-thread bandwidth)";
        foreach (int threads in new[] { 1, 2 })
        {
            using var op = new GemvOperator(wArray, threads);
            double full = PerCall(() => op.MultiplyTanh(x, y));
            double dot = PerCall(() => op.Multiply(x, y));
            double stream;
            if (threads == 1)
            {
                stream = PerCall(() => Proto.StepRowStream(x, w, y, 0, hidden));
            }
            else
            {
                int half = hidden / 2;
                stream = PerCall(() => Parallel.Invoke(() => Proto.StepRowStream(x, w, y, 0, half), () => Proto.StepRowStream(x, w, y, half, hidden)));
            }

            yield return $"{threads} thread(s): LaxScan MultiplyTanh {full:F0} us ({full / (bytes / (threads == 1 ? bw1 : bw2) / 1e3):F2}x the stream time), dot only {dot:F0} us; W read in memory order, tanh fused (prototype) {stream:F0} us";
        }

        using var check = new GemvOperator(wArray, 1);
        bool same = Program.Recur((a, b) => Proto.StepRowStream(a, w, b, 0, hidden), x, 20).AsSpan().SequenceEqual(Program.Recur(check.MultiplyTanh, x, 20));
        yield return $"row-stream prototype bits equal to LaxScan after 20 steps: {same}";
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

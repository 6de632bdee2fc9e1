using System.Diagnostics;
using System.Globalization;
using LaxScan.Kernels;
using LaxScan.Linen;
using LaxScan.Models;
using LaxScan.Nn;
using LaxScan.Random;

namespace LaxScan.Bench.Split;

/// <summary>
/// <c>dotnet run -c Release --project bench/LaxScan.Bench -- split [--sizes 64,256,1024] [--rounds 15] [--block-ms 20]</c>:
/// where one step of <c>h = tanh(h @ W)</c> goes, per H: the dot alone, the tanh fused into its store, the hand-off
/// to a second thread, and the scan plumbing of the path users call (<c>LaxScanFunctions.Apply</c>, what
/// <c>LaxScanInModule</c> and <c>laxscan run</c> run after init).
/// </summary>
/// <remarks>
/// A shared machine is noisy, so every figure is the best of many short blocks, and the variants of one H take turns
/// block by block (round-robin), so a noisy stretch hits them all alike and their differences stay meaningful. The
/// differences are estimates (a fused epilogue overlaps with the dot, so "tanh" is what fusing it costs, not what a
/// separate pass would).
/// </remarks>
internal static class StepSplit
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        int[] sizes = [64, 128, 256, 512, 1024, 4096];
        int rounds = 15;
        double blockMs = 20;
        for (int a = 0; a < args.Length; a++)
        {
            switch (args[a])
            {
                case "--sizes": sizes = [.. args[++a].Split(',').Select(s => int.Parse(s, Inv))]; break;
                case "--rounds": rounds = int.Parse(args[++a], Inv); break;
                case "--block-ms": blockMs = double.Parse(args[++a], Inv); break;
                default: throw new ArgumentException($"unknown option {args[a]}; use --sizes, --rounds, --block-ms");
            }
        }

        foreach (string line in Lines(sizes, rounds, blockMs))
        {
            Console.WriteLine(line);
        }

        return 0;
    }

    /// <summary>The split as report lines (also printed by bench/peers.sh).</summary>
    public static IEnumerable<string> Lines(int[] sizes, int rounds, double blockMs)
    {
        yield return $"## Per-step cost split, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} CPUs, load {Load()}";
        yield return $"(us per step, best of {rounds} rounds x 8 sub-blocks, about {blockMs} ms per round and variant, variants round-robin; 2-thread rows only with 2+ CPUs)";
        yield return "|     H | dot (1 thr) | + tanh fused | = kernel step | 2 threads | hand-off | module step (auto) | auto thr | plumbing | module / kernel |";
        yield return "|------:|------------:|-------------:|--------------:|----------:|---------:|-------------------:|---------:|---------:|----------------:|";
        foreach (int h in sizes)
        {
            yield return Measure(h, rounds, blockMs);
        }

        yield return $"load after: {Load()}";
        yield return "dot = GemvOperator.Multiply<Identity> on one thread; kernel step = MultiplyTanh (tanh in registers) on one thread;";
        yield return "hand-off = 2-thread step minus the 1-thread step times the largest share's fraction of the panels;";
        yield return "module step = LaxScanFunctions.Apply per step (best block of 2^k steps inside one run, timed by a step observer; threads: auto);";
        yield return "plumbing = module step minus the kernel step at the thread count auto picks (Lax.Scan, cancellation check, the observer call).";
        yield return string.Empty;
    }

    private static string Measure(int h, int rounds, double blockMs)
    {
        NDArray<float> w = Initializers.LecunNormal()(PrngKey.FromSeed(0), new Shape(h, h));
        float[] x = [.. Enumerable.Range(0, h).Select(i => MathF.Sin(i))];
        float[] y = new float[h];
        using var one = new GemvOperator(w, 1);
        bool two = Environment.ProcessorCount > 1 && h > GemvPanels.Width;
        using GemvOperator? pair = two ? new GemvOperator(w, 2) : null;
        using var auto = new GemvOperator(w);
        Variables variables = Variables.Empty.With("params", Variables.Empty.With("W", w));
        var input = new NDArray<float>(new Shape(h), x);

        // The module's blocks: a power of two of steps near one block's time.
        double guess = Estimate(() => one.MultiplyTanh(x, y));
        long stride = 1L << Math.Clamp((int)Math.Round(Math.Log2(blockMs * 1000 / 8 / guess)), 2, 24);

        var variants = new List<(string Name, Func<double> Block)>
        {
            ("dot", () => Block(() => one.Multiply(x, y), blockMs)),
            ("tanh", () => Block(() => one.MultiplyTanh(x, y), blockMs)),
            ("module", () => ModuleBlock(variables, input, h, stride, blocks: 8)),
        };
        if (pair is not null)
        {
            variants.Add(("two", () => Block(() => pair.MultiplyTanh(x, y), blockMs)));
        }

        var best = variants.ToDictionary(v => v.Name, _ => double.MaxValue);
        foreach ((string _, Func<double> block) in variants)
        {
            block();   // warm up: tier-1 JIT, caches, worker threads
        }

        for (int r = 0; r < rounds; r++)
        {
            foreach ((string name, Func<double> block) in variants)
            {
                best[name] = Math.Min(best[name], block());
            }
        }

        double dot = best["dot"];
        double tanh = best["tanh"];
        double module = best["module"];
        double kernelAuto = auto.Threads > 1 && pair is not null ? best["two"] : tanh;
        string twoCol = pair is null ? "-" : F(best["two"]);
        string handOff = "-";
        if (pair is not null)
        {
            int panels = (h + GemvPanels.Width - 1) / GemvPanels.Width;
            double share = Math.Ceiling(panels / 2.0) / panels;
            handOff = F(best["two"] - (tanh * share));
        }

        return $"| {h,5} | {F(dot),11} | {F(tanh - dot),12} | {F(tanh),13} | {twoCol,9} | {handOff,8} | {F(module),18} | {auto.Threads,8} | {F(module - kernelAuto),8} | {module / kernelAuto,15:F2} |";
    }

    /// <summary>
    /// Microseconds per step of LaxScanFunctions.Apply: one run of several blocks of <paramref name="stride"/> steps,
    /// timed from the step observer every <paramref name="stride"/> steps; the best block (a run's fixed cost, W's
    /// panel copy and the first steps, falls outside the blocks). The observer's own call is part of the figure.
    /// </summary>
    private static double ModuleBlock(Variables variables, NDArray<float> input, int h, long stride, int blocks)
    {
        long mask = stride - 1;
        long last = 0;
        double best = double.MaxValue;
        var options = new LaxScanOptions
        {
            OnStep = (step, _) =>
            {
                if ((step & mask) == 0)
                {
                    long now = Stopwatch.GetTimestamp();
                    if (last != 0)
                    {
                        best = Math.Min(best, (double)(now - last) / Stopwatch.Frequency * 1e6 / stride);
                    }

                    last = now;
                }
            },
        };
        LaxScanFunctions.Apply(variables, input, h, stride * (blocks + 1), options);
        return best;
    }

    private static string F(double us) => us >= 100 ? us.ToString("F0", Inv) : us.ToString("F3", Inv);

    /// <summary>
    /// Microseconds per call: the best of 8 sub-blocks of a block of about <paramref name="ms"/> (the module's column
    /// is sampled the same way, 8 blocks of steps per run, so every column gets as many chances at a quiet moment).
    /// </summary>
    private static double Block(Action step, double ms)
    {
        int calls = Math.Max(1, Calls(step, ms) / 8);
        double best = double.MaxValue;
        for (int b = 0; b < 8; b++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++)
            {
                step();
            }

            best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalMicroseconds / calls);
        }

        return best;
    }

    private static readonly Dictionary<Action, int> CallCounts = [];

    private static int Calls(Action step, double ms)
    {
        if (!CallCounts.TryGetValue(step, out int calls))
        {
            calls = Math.Max(1, (int)(ms * 1000 / Estimate(step)));
            CallCounts[step] = calls;
        }

        return calls;
    }

    /// <summary>Microseconds per call, from doubling runs until one takes 2 ms.</summary>
    private static double Estimate(Action step)
    {
        step();
        for (int calls = 1; ; calls *= 2)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++)
            {
                step();
            }

            double us = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
            if (us >= 2000)
            {
                return us / calls;
            }
        }
    }

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}

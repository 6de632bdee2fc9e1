using LaxScan.Io;
using LaxScan.Kernels;
using LaxScan.Linen;
using LaxScan.Models;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using LaxScan.Nn;
using LaxScan.Numerics;
using LaxScan.Random;
using Microsoft.ML.OnnxRuntime;

namespace LaxScan.Peers;

/// <summary>
/// Times h = tanh(h @ W) (float32) for LaxScan and its peers on the same W and x, and prints one table.
/// Every peer runs T steps from x (T picked so the timed run takes about --seconds) and hands back its final state;
/// the driver compares it with LaxScan's state after the same T, and the state after one step, in ulps.
/// </summary>
internal static class Program
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static int Main(string[] args)
    {
        var o = Options.Parse(args);
        Directory.CreateDirectory(o.Work);
        if (o.MachineOnly)
        {
            double g = Machine.MeasureGhz();
            Console.WriteLine($"clock {g:F2} GHz (int add chain), {Machine.MeasureGhzFloat():F2} GHz (float add chain, 2-cycle latency on Zen 5), cpuinfo {Machine.CpuinfoMhz():F0} MHz, FMA/cycle {Machine.MeasureFmaPerCycle(g):F1}");
            return 0;
        }

        var report = new StringBuilder();
        void Say(string line)
        {
            Console.WriteLine(line);
            report.AppendLine(line);
        }

        Say($"# LaxScan peers, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Say($"machine: {Machine.CpuModel()}, {Environment.ProcessorCount} logical CPUs, {Machine.CacheSummary()}; load before: {Machine.LoadAverage()}");
        Say($".NET {Environment.Version}, SIMD tier {SimdTiers.Default}, Vector512 accelerated: {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}");
        Say(string.Empty);

        // The machine's limits, measured in this run.
        double ghz = Machine.MeasureGhz();
        double cpuinfoMhz = Machine.CpuinfoMhz();
        double fmaPerCycle = Machine.MeasureFmaPerCycle(ghz);
        (double bw1, double bw2) = Machine.MeasureReadBandwidth();
        Say($"clock: {ghz:F2} GHz from a dependent integer-add chain (1 add/cycle); /proc/cpuinfo says {cpuinfoMhz:F0} MHz");
        Say($"FMA throughput: {fmaPerCycle:F1} float32 FMA/cycle/core measured (Vector512, 12 independent chains); the brief's Zen 4 peak is 16/cycle = {16 * ghz:F1} GFMA/s at {ghz:F2} GHz; this CPU is family {Machine.CpuinfoField("cpu family")} model {Machine.CpuinfoField("model")} (26 = Zen 5: two full 512-bit FMA pipes, 32/cycle = {32 * ghz:F1} GFMA/s)");
        Say($"streaming read bandwidth (512 MiB, Vector512 sum, best of 10): {bw1:F1} GB/s one thread (plain loads {Machine.OnePlain:F1}, with software prefetch {Machine.OnePrefetch:F1}), {bw2:F1} GB/s two threads");
        Say(string.Empty);

        var rows = new List<Row>();
        var laxStates = new Dictionary<(int, int), float[]>();
        foreach (int hidden in o.Sizes)
        {
            float[] w = Inputs.Weights(hidden);
            float[] x = Inputs.Vector(hidden, 0);
            Inputs.Export(o.Work, hidden, w, x);
            var wArray = new NDArray<float>(new Shape(hidden, hidden), w);

            using var op1 = new GemvOperator(wArray, 1);
            float[] LaxState(int steps)
            {
                if (!laxStates.TryGetValue((hidden, steps), out float[]? s))
                {
                    s = Recur((a, b) => op1.MultiplyTanh(a, b), x, steps);
                    laxStates[(hidden, steps)] = s;
                }

                return s;
            }

            void Add(string peer, string threads, Timed t0)
            {
                // Best of --repeat runs (the first run's figures are kept if a later one fails).
                Timed t = t0;
                for (int r = 1; r < o.Repeat && t0.Retry is not null; r++)
                {
                    Timed again = t0.Retry();
                    if (!double.IsNaN(again.Micros) && (double.IsNaN(t.Micros) || again.Micros < t.Micros))
                    {
                        t = again;
                    }
                }

                var row = new Row(hidden, peer, threads, t.Steps, t.Micros, t.Note);
                if (t.Final is not null)
                {
                    row.UlpT = Ulp.Max(t.Final, LaxState(t.Steps + t.Offset));
                    row.Ulp1 = t.First is null ? null : Ulp.Max(t.First, LaxState(1 + t.Offset));
                }

                rows.Add(row);
                Console.Error.WriteLine(row.Format(rows));
            }

            if (o.Native is not null)
            {
                Add("native C, LaxScan's bits (bench/native)", "1", External.Native(o, hidden, 1, LaxState));
                Add("native C, LaxScan's bits (bench/native)", "2", External.Native(o, hidden, 2, LaxState));
            }

            Add("LaxScan GemvOperator", "1", Timed.RunBlocks(o.Seconds, (a, b) => op1.MultiplyTanh(a, b), x));
            using (var auto = new GemvOperator(wArray))
            {
                Add("LaxScan GemvOperator, threads: auto", auto.Threads.ToString(Inv), Timed.RunBlocks(o.Seconds, (a, b) => auto.MultiplyTanh(a, b), x));
                if (auto.Threads == 1 && Environment.ProcessorCount > 1)
                {
                    using var forced = new GemvOperator(wArray, 2);
                    Add("LaxScan GemvOperator, threads: 2 (forced)", forced.Threads.ToString(Inv), Timed.RunBlocks(o.Seconds, (a, b) => forced.MultiplyTanh(a, b), x));
                }
            }

            // The path users call: LaxScanFunctions.Apply (what LaxScanInModule runs after init) and `laxscan run
            // --params`, on the same W and x. Their state after T steps is GemvOperator's after T + 1 (tanh(x @ W) first).
            var variables = Variables.Empty.With("params", Variables.Empty.With("W", wArray));
            var xArray = new NDArray<float>(new Shape(hidden), x);
            Timed product = Timed.Blocks(o.Seconds, (steps, observe) => LaxScanFunctions.Apply(variables, xArray, hidden, steps, new LaxScanOptions { OnStep = observe }).Data);
            int autoThreads = GemvOperator.PickThreads(0, hidden, hidden, (hidden + GemvPanels.Width - 1) / GemvPanels.Width, 1);
            Add("LaxScan LaxScanFunctions.Apply (product path)", autoThreads.ToString(Inv), product.ShiftedBy(1));
            if (o.Cli is not null)
            {
                Add("laxscan run --params (product path, CLI)", autoThreads.ToString(Inv), External.Cli(o, hidden, variables, xArray, product.Micros).ShiftedBy(1));
            }

            Add("scalar reference (Gemv.Reference + XlaMath.Tanh)", "1", Timed.Run(o.Seconds / 2, 1, steps => Recur((a, b) =>
            {
                Gemv.Reference(a, w, b);
                XlaMath.Tanh(b, b);
            }, x, steps)));
            Add("naive C# loop (scalar, MathF.Tanh)", "1", Timed.Run(o.Seconds / 2, 1, steps => Recur((a, b) => Naive.Step(a, w, b), x, steps)));

            foreach (int threads in new[] { 1, 2 })
            {
                using var step = new OrtRecurrence(hidden, 1, threads, w);
                Add("ONNX Runtime, one Run per step", threads.ToString(Inv), Timed.Run(o.Seconds, 1, steps => step.Run(x, steps)));
                using var unrolled = new OrtRecurrence(hidden, o.Unroll, threads, w);
                Add($"ONNX Runtime, {o.Unroll}-step unrolled graph", threads.ToString(Inv), Timed.Run(o.Seconds, o.Unroll, steps => unrolled.Run(x, steps)));
            }

            if (o.Python is not null)
            {
                Add("numpy + OpenBLAS", "1", External.Python(o, hidden, "npob1", o.OpenBlasDir, 1));
                Add("numpy + OpenBLAS", "auto", External.Python(o, hidden, "npob", o.OpenBlasDir, 0));
                Add("numpy + reference BLAS", "1", External.Python(o, hidden, "npref", o.RefBlasDir, 0));
            }

            if (o.JaxJsDir is not null)
            {
                Add("@jax-js/jax (wasm), jit step", "wasm", External.JaxJs(o, hidden));
            }
        }

        Say($"(each row: the faster of {o.Repeat} timed runs of about {o.Seconds} s; the scalar reference and the naive loop get half that)");
        Say(Row.Header());
        foreach (Row r in rows)
        {
            Say(r.Format(rows));
        }

        Say(string.Empty);
        Say("ratio = peer us/step / the fastest LaxScan GemvOperator row with no more threads (a 1-thread peer against LaxScan on 1 thread; a multi-thread one against LaxScan's best); native = the native floor at the row's thread count (1 thread for a 1-thread row, the faster native run otherwise), x nat = us/step / native;");
        Say("bits = final state after T steps bit-equal to LaxScan's after the same T; ulp T / ulp 1 = max ulp distance after T steps / after one step.");
        Say(string.Empty);

        foreach (string line in Extras.Batch(o.Seconds, ghz))
        {
            Say(line);
        }

        foreach (string line in Extras.Split(o.Sizes))
        {
            Say(line);
        }

        foreach (string line in Extras.WeightGeneration(ghz))
        {
            Say(line);
        }

        foreach (int hidden in o.Sizes.Where(h => h >= 1024))
        {
            Row? best = rows.Where(r => r.Hidden == hidden && r.Peer.StartsWith("LaxScan", StringComparison.Ordinal)).MinBy(r => r.Micros);
            if (best is not null)
            {
                double bytes = 4.0 * hidden * hidden;
                double bw = best.Threads == "1" ? bw1 : bw2;
                Row? native = rows.Where(r => r.Hidden == hidden && r.Peer.StartsWith("native", StringComparison.Ordinal) && !double.IsNaN(r.Micros)).MinBy(r => r.Micros);
                if (native is not null)
                {
                    Say($"H={hidden}: native C best {native.Micros:F1} us ({native.Threads} thread(s)) = {native.Micros / (bytes / (native.Threads == "1" ? bw1 : bw2) / 1e3):F2}x the time to stream W once");
                }

                Say($"H={hidden}: W is {bytes / (1 << 20):F0} MiB; streaming it once at {bw:F1} GB/s takes {bytes / bw / 1e3:F1} us; LaxScan best {best.Micros:F1} us ({best.Threads} thread(s)) = {best.Micros / (bytes / bw / 1e3):F2}x that{(bytes <= 32 << 20 ? " (W fits in the L3 here, so this is not a DRAM-bound size)" : string.Empty)}");
            }
        }

        if (o.Cli is not null)
        {
            Say(Extras.Cli(o.Cli));
        }

        Say($"load after: {Machine.LoadAverage()}");
        File.WriteAllText(Path.Combine(o.Work, "report.md"), report.ToString());
        return 0;
    }

    /// <summary>T steps from x, with two buffers taking turns.</summary>
    internal static float[] Recur(Action<float[], float[]> step, float[] x, int steps)
    {
        float[] a = (float[])x.Clone();
        float[] b = new float[x.Length];
        for (int t = 0; t < steps; t++)
        {
            step(a, b);
            (a, b) = (b, a);
        }

        return a;
    }
}

internal sealed class Options
{
    public int[] Sizes { get; private set; } = [64, 256, 512, 1024, 4096];

    public double Seconds { get; private set; } = 1.0;

    public int Unroll { get; private set; } = 16;

    public int Repeat { get; private set; } = 2;

    public string Work { get; private set; } = Path.Combine(Path.GetTempPath(), "laxscan-peers");

    public string? Python { get; private set; }

    public string OpenBlasDir { get; private set; } = "/usr/lib/x86_64-linux-gnu/openblas-pthread";

    public string RefBlasDir { get; private set; } = "/usr/lib/x86_64-linux-gnu/blas:/usr/lib/x86_64-linux-gnu/lapack";

    public string PeersDir { get; private set; } = Path.Combine(AppContext.BaseDirectory, "peers");

    public string? JaxJsDir { get; private set; }

    public string? Cli { get; private set; }

    public string? Native { get; private set; }

    public bool MachineOnly { get; private set; }

    public static Options Parse(string[] args)
    {
        var o = new Options();
        for (int i = 0; i < args.Length; i++)
        {
            string v = i + 1 < args.Length ? args[i + 1] : string.Empty;
            switch (args[i])
            {
                case "--sizes": o.Sizes = v == "none" ? [] : [.. v.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]; i++; break;
                case "--seconds": o.Seconds = double.Parse(v, CultureInfo.InvariantCulture); i++; break;
                case "--repeat": o.Repeat = int.Parse(v, CultureInfo.InvariantCulture); i++; break;
                case "--unroll": o.Unroll = int.Parse(v, CultureInfo.InvariantCulture); i++; break;
                case "--work": o.Work = v; i++; break;
                case "--python": o.Python = v; i++; break;
                case "--openblas-dir": o.OpenBlasDir = v; i++; break;
                case "--refblas-dir": o.RefBlasDir = v; i++; break;
                case "--jaxjs-dir": o.JaxJsDir = v; i++; break;
                case "--cli": o.Cli = v; i++; break;
                case "--native": o.Native = v; i++; break;
                case "--machine": o.MachineOnly = true; break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }

        return o;
    }
}

internal sealed class Row(int hidden, string peer, string threads, int steps, double micros, string? note)
{
    public int Hidden { get; } = hidden;

    public string Peer { get; } = peer;

    public string Threads { get; } = threads;

    public int Steps { get; } = steps;

    public double Micros { get; } = micros;

    public string? Note { get; } = note;

    public long? UlpT { get; set; }

    public long? Ulp1 { get; set; }

    public static string Header() =>
        "|     H | peer                                             | thr  |        T |    us/step | ratio | native | x nat | bits  |      ulp T |  ulp 1 |\n" +
        "|------:|--------------------------------------------------|------|---------:|-----------:|------:|-------:|------:|-------|-----------:|-------:|";

    public string Format(List<Row> all)
    {
        if (Note is not null && double.IsNaN(Micros))
        {
            return $"| {Hidden,5} | {Peer,-48} | {Threads,-4} | unavailable: {Note}";
        }

        int budget = Threads == "1" ? 1 : int.MaxValue;
        Row? lax = all.Where(r => r.Hidden == Hidden && r.Peer.StartsWith("LaxScan GemvOperator", StringComparison.Ordinal) && !double.IsNaN(r.Micros)
                && (r.Threads == "1" ? 1 : 2) <= budget).MinBy(r => r.Micros);
        string ratio = lax is null ? "-" : (Micros / lax.Micros).ToString("F2", CultureInfo.InvariantCulture);

        // The native floor at this row's thread count: one thread for a one-thread row, the best native otherwise.
        Row? native = all.Where(r => r.Hidden == Hidden && r.Peer.StartsWith("native", StringComparison.Ordinal) && !double.IsNaN(r.Micros)
                && (Threads != "1" || r.Threads == "1")).MinBy(r => r.Micros);
        string nativeUs = native is null ? "-" : native.Micros.ToString("F2", CultureInfo.InvariantCulture);
        string xNative = native is null ? "-" : (Micros / native.Micros).ToString("F2", CultureInfo.InvariantCulture);
        string bits = UlpT is null ? "-" : UlpT == 0 ? "equal" : "no";
        string ulpT = UlpT is null ? "-" : UlpT < 0 ? "NaN" : UlpT.Value.ToString(CultureInfo.InvariantCulture);
        string ulp1 = Ulp1 is null ? "-" : Ulp1 < 0 ? "NaN" : Ulp1.Value.ToString(CultureInfo.InvariantCulture);
        string line = $"| {Hidden,5} | {Peer,-48} | {Threads,-4} | {Steps,8} | {Micros,10:F2} | {ratio,5} | {nativeUs,6} | {xNative,5} | {bits,-5} | {ulpT,10} | {ulp1,6} |";
        return Note is null ? line : $"{line} {Note}";
    }
}

/// <summary>A timed run of T steps from x, and the states it ended in.</summary>
internal sealed class Timed
{
    public int Steps { get; init; }

    public double Micros { get; init; } = double.NaN;

    public float[]? Final { get; init; }

    public float[]? First { get; init; }

    public string? Note { get; init; }

    /// <summary>How many more GEMV steps than <see cref="Steps"/> the final state holds (1 for the module: tanh(x @ W) first).</summary>
    public int Offset { get; init; }

    public Timed ShiftedBy(int offset) =>
        new() { Steps = Steps, Micros = Micros, Final = Final, First = First, Note = Note, Offset = offset, Retry = Retry is null ? null : () => Retry().ShiftedBy(offset) };

    /// <summary>
    /// T steps of <paramref name="step"/> from x, T sized so the run takes about <paramref name="seconds"/>, timed as 16
    /// blocks with the state carried through; per step from the best block (as the native floor reports it).
    /// </summary>
    public static Timed RunBlocks(double seconds, Action<float[], float[]> step, float[] x) => Again(() =>
    {
        float[] a = (float[])x.Clone();
        float[] b = new float[x.Length];
        step(a, b);
        int calls = 1;
        while (true)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++)
            {
                step(a, b);
                (a, b) = (b, a);
            }

            if (Stopwatch.GetElapsedTime(t0).TotalSeconds >= 0.1 * seconds || calls > (1 << 26))
            {
                double perStep = Stopwatch.GetElapsedTime(t0).TotalSeconds / calls;
                calls = (int)Math.Max(1, seconds / 16 / perStep);
                break;
            }

            calls *= 4;
        }

        x.CopyTo(a, 0);
        double best = double.MaxValue;
        for (int block = 0; block < 16; block++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++)
            {
                step(a, b);
                (a, b) = (b, a);
            }

            best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalSeconds / calls);
        }

        float[] first = new float[x.Length];
        step(x, first);
        return new Timed { Steps = 16 * calls, Micros = best * 1e6, Final = a, First = first };
    });

    /// <summary>
    /// Per step as the best of 16 blocks of 2^k steps inside one run of about <paramref name="seconds"/>, timed by a
    /// step observer every 2^k steps (its call is part of the figure): a run's fixed cost and a noisy stretch both
    /// fall outside the best block.
    /// </summary>
    public static Timed Blocks(double seconds, Func<int, StepObserver, float[]> run) => Again(() =>
    {
        long last = 0;
        long mask = 0;
        double best = double.MaxValue;
        StepObserver observe = (step, _) =>
        {
            if ((step & mask) == 0)
            {
                long now = Stopwatch.GetTimestamp();
                if (last != 0)
                {
                    best = Math.Min(best, (double)(now - last) / Stopwatch.Frequency / (mask + 1));
                }

                last = now;
            }
        };
        mask = 1023;
        long t0 = Stopwatch.GetTimestamp();
        run(1024 * 4, observe);
        double perStep = Stopwatch.GetElapsedTime(t0).TotalSeconds / 4096;
        int shift = Math.Clamp((int)Math.Log2(seconds / 16 / perStep), 2, 24);
        mask = (1L << shift) - 1;
        int steps = (int)Math.Min(int.MaxValue - 1, (mask + 1) * 17);
        last = 0;
        best = double.MaxValue;
        float[] final = run(steps, observe);
        return new Timed { Steps = steps, Micros = best * 1e6, Final = final };
    });

    /// <summary>Runs the same measurement again (for best-of-N).</summary>
    public Func<Timed>? Retry { get; set; }

    public static Timed Again(Func<Timed> measure)
    {
        Timed t = measure();
        t.Retry = measure;
        return t;
    }

    /// <summary>Doubles T until a run takes a tenth of the budget, then times one run of about <paramref name="seconds"/>.</summary>
    public static Timed Run(double seconds, int multiple, Func<int, float[]> run) => Again(() => RunOnce(seconds, multiple, run));

    private static Timed RunOnce(double seconds, int multiple, Func<int, float[]> run)
    {
        run(multiple);
        int steps = multiple;
        double dt;
        while (true)
        {
            long t0 = Stopwatch.GetTimestamp();
            run(steps);
            dt = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            if (dt >= 0.1 * seconds || steps > (1 << 28))
            {
                break;
            }

            steps *= 4;
        }

        steps = (int)Math.Max(multiple, Math.Round(seconds * steps / dt / multiple) * multiple);
        long start = Stopwatch.GetTimestamp();
        float[] final = run(steps);
        double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        float[]? first = multiple == 1 ? run(1) : null;
        return new Timed { Steps = steps, Micros = elapsed / steps * 1e6, Final = final, First = first };
    }
}

internal static class Inputs
{
    /// <summary>W = lecun_normal()(PRNGKey(0), (H, H)).</summary>
    public static float[] Weights(int hidden) =>
        Initializers.LecunNormal()(PrngKey.FromSeed(0), new Shape(hidden, hidden)).Data;

    /// <summary>x[i] = sin(offset + i).</summary>
    public static float[] Vector(int length, int offset) =>
        [.. Enumerable.Range(offset, length).Select(i => MathF.Sin(i))];

    public static void Export(string dir, int hidden, float[] w, float[] x)
    {
        File.WriteAllBytes(Path.Combine(dir, $"W{hidden}.bin"), MemoryMarshal.AsBytes(w.AsSpan()).ToArray());
        File.WriteAllBytes(Path.Combine(dir, $"x{hidden}.bin"), MemoryMarshal.AsBytes(x.AsSpan()).ToArray());
    }

    public static float[] Read(string path) => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();
}

internal static class Ulp
{
    /// <summary>The largest ulp distance between two vectors (-1 if either holds a NaN).</summary>
    public static long Max(float[] a, float[] b)
    {
        if (a.Length != b.Length)
        {
            return -1;
        }

        long max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            if (float.IsNaN(a[i]) || float.IsNaN(b[i]))
            {
                return -1;
            }

            max = Math.Max(max, Math.Abs(Ordered(a[i]) - Ordered(b[i])));
        }

        return max;
    }

    private static long Ordered(float f)
    {
        int bits = BitConverter.SingleToInt32Bits(f);
        return bits >= 0 ? bits : (long)int.MinValue - bits;
    }
}

internal static class Naive
{
    /// <summary>What a C# user writes first: y[j] += x[i] * W[i, j] with i outer (row-major friendly), then MathF.Tanh.</summary>
    public static void Step(float[] x, float[] w, float[] y)
    {
        int n = y.Length;
        Array.Clear(y);
        for (int i = 0; i < x.Length; i++)
        {
            float xi = x[i];
            int row = i * n;
            for (int j = 0; j < n; j++)
            {
                y[j] += xi * w[row + j];
            }
        }

        for (int j = 0; j < n; j++)
        {
            y[j] = MathF.Tanh(y[j]);
        }
    }
}

/// <summary>An ONNX Runtime session of the recurrence unrolled <c>unroll</c> times, with h and W bound to pinned buffers.</summary>
internal sealed class OrtRecurrence : IDisposable
{
    private readonly int _unroll;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly float[] _a;
    private readonly float[] _b;
    private readonly OrtValue _va;
    private readonly OrtValue _vb;
    private readonly OrtValue _vw;
    private readonly string[] _inputs = ["h", "W"];
    private readonly string[] _outputs = ["y"];

    public OrtRecurrence(int hidden, int unroll, int threads, float[] w)
    {
        _unroll = unroll;
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        _session = new InferenceSession(OnnxModel.Recurrence(hidden, unroll), options);
        _a = new float[hidden];
        _b = new float[hidden];
        long[] vector = [1, hidden];
        _va = OrtValue.CreateTensorValueFromMemory(_a, vector);
        _vb = OrtValue.CreateTensorValueFromMemory(_b, vector);
        _vw = OrtValue.CreateTensorValueFromMemory(w, [hidden, hidden]);
    }

    /// <summary>T steps from x (T a multiple of the unroll).</summary>
    public float[] Run(float[] x, int steps)
    {
        x.CopyTo(_a, 0);
        OrtValue[] ab = [_va, _vw];
        OrtValue[] ba = [_vb, _vw];
        OrtValue[] outB = [_vb];
        OrtValue[] outA = [_va];
        bool inA = true;
        for (int t = 0; t < steps; t += _unroll)
        {
            _session.Run(_runOptions, _inputs, inA ? ab : ba, _outputs, inA ? outB : outA);
            inA = !inA;
        }

        return (float[])(inA ? _a : _b).Clone();
    }

    public void Dispose()
    {
        _va.Dispose();
        _vb.Dispose();
        _vw.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}

/// <summary>Peers in other processes: each reads W and x from the work directory and writes its states back.</summary>
internal static class External
{
    public static Timed Python(Options o, int hidden, string label, string blasDir, int threads) =>
        Timed.Again(() => PythonOnce(o, hidden, label, blasDir, threads));

    private static Timed PythonOnce(Options o, int hidden, string label, string blasDir, int threads)
    {
        var env = new Dictionary<string, string> { ["LD_LIBRARY_PATH"] = blasDir };
        if (threads > 0)
        {
            env["OPENBLAS_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
        }

        Timed t = Start(o, hidden, label, o.Python!, Path.Combine(o.PeersDir, "numpy_peer.py"), env, out JsonElement? json);
        if (json is { } j && j.TryGetProperty("blas", out JsonElement blas))
        {
            string libs = string.Join(", ", blas.EnumerateArray().Select(e => Path.GetFileName(e.GetString() ?? string.Empty)).Where(s => s.StartsWith("libblas", StringComparison.Ordinal) || s.StartsWith("libopenblas", StringComparison.Ordinal)).Distinct());
            string dirs = string.Join(", ", blas.EnumerateArray().Select(e => Path.GetFileName(Path.GetDirectoryName(e.GetString() ?? string.Empty))).Distinct());
            return new Timed { Steps = t.Steps, Micros = t.Micros, Final = t.Final, First = t.First, Note = $"({dirs}: {libs})" };
        }

        return t;
    }

    public static Timed JaxJs(Options o, int hidden) => Timed.Again(() =>
        Start(o, hidden, "jaxjs", "node", Path.Combine(o.JaxJsDir!, "jaxjs_peer.mjs"), new Dictionary<string, string>(), out _));

    /// <summary>The native C floor (bench/native/laxscan_native.c); its note says whether its state after 1000 steps is GemvOperator's.</summary>
    public static Timed Native(Options o, int hidden, int threads, Func<int, float[]> laxState) => Timed.Again(() =>
    {
        string label = $"native{threads}";
        Timed t = Start(o, hidden, label, o.Native!, null, new Dictionary<string, string>(), out _, threads.ToString(CultureInfo.InvariantCulture));
        if (double.IsNaN(t.Micros))
        {
            return t;
        }

        float[] at1000 = Inputs.Read(Path.Combine(o.Work, $"out_{label}_{hidden}_1000.bin"));
        bool equal = at1000.AsSpan().SequenceEqual(laxState(1000));
        return new Timed { Steps = t.Steps, Micros = t.Micros, Final = t.Final, First = t.First, Note = equal ? "(1000 steps: bit-equal to GemvOperator)" : "(1000 steps: DIFFERS from GemvOperator)" };
    });

    /// <summary>
    /// `laxscan run --params W.msgpack --x-file x.npy --out y.npy` of T and T / 8 steps: per step from the difference of
    /// the two wall times (start-up, JIT and reading the files cancel); T sized from the library's per-step time.
    /// </summary>
    public static Timed Cli(Options o, int hidden, Variables variables, NDArray<float> x, double libraryMicros)
    {
        string paramsPath = Path.Combine(o.Work, $"params{hidden}.msgpack");
        string xPath = Path.Combine(o.Work, $"x{hidden}.npy");
        string outPath = Path.Combine(o.Work, $"out_cli_{hidden}.npy");
        FlaxSerialization.WriteFile(paramsPath, variables);
        NpyWriter.Write(xPath, x);
        long steps = Math.Max(8, (long)(o.Seconds * 1e6 / Math.Max(libraryMicros, 0.01)));
        return Timed.Again(() =>
        {
            (int code, string error, double longRun) = RunCli(o.Cli!, hidden, steps, paramsPath, xPath, outPath);
            if (code != 0)
            {
                return new Timed { Note = error };
            }

            float[] final = NpyReader.ReadFloat32(outPath).Data;
            (code, error, double shortRun) = RunCli(o.Cli!, hidden, steps / 8, paramsPath, xPath, outPath);
            return code != 0
                ? new Timed { Note = error }
                : new Timed { Steps = (int)steps, Micros = (longRun - shortRun) / (steps - (steps / 8)) * 1e6, Final = final };
        });
    }

    private static (int Code, string Error, double Seconds) RunCli(string dll, int hidden, long steps, string paramsPath, string xPath, string outPath)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { dll, "run", "--hidden", hidden.ToString(CultureInfo.InvariantCulture), "--steps", steps.ToString(CultureInfo.InvariantCulture), "--params", paramsPath, "--x-file", xPath, "--out", outPath, "--no-progress" })
        {
            psi.ArgumentList.Add(a);
        }

        long t0 = Stopwatch.GetTimestamp();
        using Process p = Process.Start(psi)!;
        Task<string> err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        return (p.ExitCode, err.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? string.Empty, seconds);
    }

    private static Timed Start(Options o, int hidden, string label, string exe, string? script, Dictionary<string, string> env, out JsonElement? json, params string[] extra)
    {
        json = null;
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (script is not null)
        {
            psi.ArgumentList.Add(script);
        }

        psi.ArgumentList.Add(hidden.ToString(CultureInfo.InvariantCulture));
        psi.ArgumentList.Add(o.Work);
        psi.ArgumentList.Add(o.Seconds.ToString(CultureInfo.InvariantCulture));
        psi.ArgumentList.Add(label);
        foreach (string e in extra)
        {
            psi.ArgumentList.Add(e);
        }
        foreach ((string k, string v) in env)
        {
            psi.Environment[k] = v;
        }

        try
        {
            using Process p = Process.Start(psi)!;
            Task<string> err = p.StandardError.ReadToEndAsync();
            string stdout = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            string? last = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
            if (p.ExitCode != 0 || last is null)
            {
                string why = err.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? $"exit code {p.ExitCode}";
                return new Timed { Note = why };
            }

            JsonElement j = JsonDocument.Parse(last).RootElement.Clone();
            json = j;
            return new Timed
            {
                Steps = j.GetProperty("steps").GetInt32(),
                Micros = j.GetProperty("us").GetDouble(),
                Final = Inputs.Read(Path.Combine(o.Work, $"out_{label}_{hidden}_T.bin")),
                First = Inputs.Read(Path.Combine(o.Work, $"out_{label}_{hidden}_1.bin")),
            };
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new Timed { Note = $"{exe}: {e.Message}" };
        }
    }
}

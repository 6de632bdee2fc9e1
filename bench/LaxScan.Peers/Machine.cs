using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LaxScan.Peers;

/// <summary>The machine's clock, FMA throughput and streaming bandwidth, measured in the same run as the peers.</summary>
internal static class Machine
{
    private static long _one = 1;

    /// <summary>Whether the bandwidth loop prefetches (both are measured; the higher figure is reported).</summary>
    private static bool Prefetch;

    public static double OnePlain { get; private set; }

    public static double OnePrefetch { get; private set; }

    public static string CpuModel() => CpuinfoField("model name") ?? "unknown CPU";

    public static double CpuinfoMhz() =>
        double.TryParse(CpuinfoField("cpu MHz"), NumberStyles.Float, CultureInfo.InvariantCulture, out double mhz) ? mhz : double.NaN;

    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    public static string CacheSummary()
    {
        var parts = new List<string>();
        for (int i = 0; i < 8; i++)
        {
            string dir = $"/sys/devices/system/cpu/cpu0/cache/index{i}";
            if (!Directory.Exists(dir))
            {
                break;
            }

            string level = File.ReadAllText(Path.Combine(dir, "level")).Trim();
            string type = File.ReadAllText(Path.Combine(dir, "type")).Trim();
            string size = File.ReadAllText(Path.Combine(dir, "size")).Trim();
            if (type != "Instruction")
            {
                parts.Add($"L{level} {size}");
            }
        }

        return string.Join(", ", parts) + " per core (L3 shared)";
    }

    /// <summary>GHz from a chain of dependent 64-bit adds, one per cycle; best of several runs.</summary>
    public static double MeasureGhz()
    {
        double best = 0;
        for (int r = 0; r < 40; r++)
        {
            const long n = 2_000_000;
            long t0 = Stopwatch.GetTimestamp();
            long a = AddChain(n, Volatile.Read(ref _one));
            double s = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            GC.KeepAlive(a);
            best = Math.Max(best, 16.0 * n / s / 1e9);
        }

        return best;
    }

    /// <summary>GHz from a chain of dependent float32 adds (2-cycle latency on Zen 5); a cross-check.</summary>
    public static double MeasureGhzFloat()
    {
        double best = 0;
        for (int r = 0; r < 40; r++)
        {
            const long n = 2_000_000;
            long t0 = Stopwatch.GetTimestamp();
            float a = FloatChain(n, 1e-30f);
            double s = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            GC.KeepAlive(a);
            best = Math.Max(best, 2.0 * 8 * n / s / 1e9);
        }

        return best;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float FloatChain(long n, float b)
    {
        float a = 1;
        for (long i = 0; i < n; i++)
        {
            a += b; a += b; a += b; a += b; a += b; a += b; a += b; a += b;
        }

        return a;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static long AddChain(long n, long b)
    {
        long a = 0;
        for (long i = 0; i < n; i++)
        {
            a += b; a ^= i; a += b; a += b; a += b; a += b; a += b; a += b;
            a += b; a += b; a += b; a += b; a += b; a += b; a += b; a += b;
        }

        return a;
    }

    /// <summary>Float32 FMAs per cycle on one core: 8 independent Vector512 FMA chains.</summary>
    public static double MeasureFmaPerCycle(double ghz)
    {
        double best = 0;
        for (int r = 0; r < 40; r++)
        {
            const long n = 500_000;
            long t0 = Stopwatch.GetTimestamp();
            float f = FmaChains(n);
            double s = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            GC.KeepAlive(f);
            best = Math.Max(best, 12.0 * 16 * n / s / (ghz * 1e9));
        }

        return best;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float FmaChains(long n)
    {
        var m = Vector512.Create(0.999f);
        var c = Vector512.Create(0.001f);
        Vector512<float> a0 = m, a1 = c, a2 = m, a3 = c, a4 = m, a5 = c, a6 = m, a7 = c, a8 = m, a9 = c, a10 = m, a11 = c;
        for (long i = 0; i < n; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, c);
            a1 = Vector512.FusedMultiplyAdd(a1, m, c);
            a2 = Vector512.FusedMultiplyAdd(a2, m, c);
            a3 = Vector512.FusedMultiplyAdd(a3, m, c);
            a4 = Vector512.FusedMultiplyAdd(a4, m, c);
            a5 = Vector512.FusedMultiplyAdd(a5, m, c);
            a6 = Vector512.FusedMultiplyAdd(a6, m, c);
            a7 = Vector512.FusedMultiplyAdd(a7, m, c);
            a8 = Vector512.FusedMultiplyAdd(a8, m, c);
            a9 = Vector512.FusedMultiplyAdd(a9, m, c);
            a10 = Vector512.FusedMultiplyAdd(a10, m, c);
            a11 = Vector512.FusedMultiplyAdd(a11, m, c);
        }

        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    /// <summary>GB/s reading a 512 MiB array (16x the L3) with one thread and with two (each half), best of ten passes.</summary>
    public static (double One, double Two) MeasureReadBandwidth()
    {
        float[] data = GC.AllocateUninitializedArray<float>(1 << 27);
        Array.Fill(data, 1f);
        double one = 0, two = 0;
        int half = data.Length / 2;
        for (int r = 0; r < 10; r++)
        {
            Prefetch = r % 2 == 1;
            long t0 = Stopwatch.GetTimestamp();
            GC.KeepAlive(Sum(data, 0, data.Length));
            double gbs = 4.0 * data.Length / Stopwatch.GetElapsedTime(t0).TotalSeconds / 1e9;
            one = Math.Max(one, gbs);
            if (Prefetch)
            {
                OnePrefetch = Math.Max(OnePrefetch, gbs);
            }
            else
            {
                OnePlain = Math.Max(OnePlain, gbs);
            }

            using var go = new Barrier(2);
            double otherSeconds = 0;
            var other = new Thread(() =>
            {
                go.SignalAndWait();
                long s0 = Stopwatch.GetTimestamp();
                GC.KeepAlive(Sum(data, half, data.Length - half));
                otherSeconds = Stopwatch.GetElapsedTime(s0).TotalSeconds;
            });
            other.Start();
            go.SignalAndWait();
            t0 = Stopwatch.GetTimestamp();
            GC.KeepAlive(Sum(data, 0, half));
            other.Join();
            two = Math.Max(two, 4.0 * data.Length / Math.Max(Stopwatch.GetElapsedTime(t0).TotalSeconds, otherSeconds) / 1e9);
        }

        return (one, two);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Sum(float[] data, int start, int length)
    {
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
        ref float r = ref data[start];
        nuint i = 0;
        nuint end = (nuint)length - 64;
        for (; i <= end; i += 64)
        {
            // Software prefetch 2 KiB ahead (a plain hardware-prefetched stream tops out lower on one core).
            if (Prefetch)
            {
                unsafe
                {
                    System.Runtime.Intrinsics.X86.Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref r, i + 512)));
                    System.Runtime.Intrinsics.X86.Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref r, i + 528)));
                    System.Runtime.Intrinsics.X86.Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref r, i + 544)));
                    System.Runtime.Intrinsics.X86.Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref r, i + 560)));
                }
            }

            s0 += Vector512.LoadUnsafe(ref r, i);
            s1 += Vector512.LoadUnsafe(ref r, i + 16);
            s2 += Vector512.LoadUnsafe(ref r, i + 32);
            s3 += Vector512.LoadUnsafe(ref r, i + 48);
        }

        return Vector512.Sum(s0 + s1 + s2 + s3);
    }

    public static string? CpuinfoField(string name)
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith(name, StringComparison.Ordinal))
                {
                    return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }
}

using System.Runtime.InteropServices;

namespace LaxScan.Threading;

/// <summary>
/// Pins a thread to one CPU where the OS allows it (Linux: <c>sched_setaffinity</c>), so a worker that owns a share of
/// W keeps reading it from its own core's cache. Everything here degrades to doing nothing: on other OSes, in a
/// container or sandbox that forbids it, or when the CPU is not in the process's allowed set, the thread simply runs
/// where the scheduler puts it. Pinning never changes a result, only where it is computed.
/// </summary>
internal static partial class ThreadAffinity
{
    // glibc's cpu_set_t: 1024 bits.
    private const int MaskWords = 16;

    /// <summary>The CPUs this process may run on, ascending; empty where they cannot be read.</summary>
    public static int[] AllowedCpus()
    {
        if (!OperatingSystem.IsLinux())
        {
            return [];
        }

        try
        {
            Span<ulong> mask = stackalloc ulong[MaskWords];
            if (GetAffinity(mask) != 0)
            {
                return [];
            }

            var cpus = new List<int>();
            for (int cpu = 0; cpu < MaskWords * 64; cpu++)
            {
                if ((mask[cpu / 64] & (1UL << (cpu % 64))) != 0)
                {
                    cpus.Add(cpu);
                }
            }

            return [.. cpus];
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return [];
        }
    }

    /// <summary>Pins the calling thread to <paramref name="cpu"/>; false (and nothing changed) where that is not possible.</summary>
    public static bool TryPinCurrentThread(int cpu)
    {
        if (!OperatingSystem.IsLinux() || cpu < 0 || cpu >= MaskWords * 64)
        {
            return false;
        }

        try
        {
            Span<ulong> mask = stackalloc ulong[MaskWords];
            mask[cpu / 64] = 1UL << (cpu % 64);
            return SetAffinity(mask) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static unsafe int GetAffinity(Span<ulong> mask)
    {
        fixed (ulong* m = mask)
        {
            return SchedGetAffinity(0, mask.Length * sizeof(ulong), m);
        }
    }

    private static unsafe int SetAffinity(Span<ulong> mask)
    {
        fixed (ulong* m = mask)
        {
            return SchedSetAffinity(0, mask.Length * sizeof(ulong), m);
        }
    }

    // pid 0: the calling thread.
    [LibraryImport("libc", EntryPoint = "sched_getaffinity", SetLastError = true)]
    private static unsafe partial int SchedGetAffinity(int pid, nint size, ulong* mask);

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static unsafe partial int SchedSetAffinity(int pid, nint size, ulong* mask);
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LaxScan;

/// <summary>
/// Large buffers that the caller fills completely: allocated without zeroing and, on Linux, backed by transparent huge
/// pages where the system allows them (<c>madvise(MADV_HUGEPAGE)</c>, which the common <c>madvise</c> THP mode
/// requires). Touching fresh memory page by page costs a fault per 4 KiB: a new 4096 x 4096 W took 35 ns per value
/// in a VM, 6x its generation, and 5 ns with 2 MiB pages. Everything here is a hint; where it cannot be given, the
/// buffer is an ordinary one.
/// </summary>
internal static partial class LargeArrays
{
    // Below this the faults are few and the advice is not worth a system call.
    private const long HugeBytes = 4L << 20;

    private const nint HugePage = 2 << 20;

    private const int MadviseHugePage = 14;   // MADV_HUGEPAGE

    /// <summary>An uninitialised array of <paramref name="count"/> elements, for a caller that writes every one.</summary>
    public static T[] ForFill<T>(long count, bool pinned = false)
        where T : unmanaged
    {
        T[] array = GC.AllocateUninitializedArray<T>(checked((int)count), pinned);
        if ((long)array.Length * Unsafe.SizeOf<T>() >= HugeBytes)
        {
            AdviseHugePages(array);
        }

        return array;
    }

    /// <summary>An NDArray whose buffer the caller fills completely (checked for size first, as any NDArray).</summary>
    public static NDArray<float> ForFill(Shape shape)
    {
        ArraySize.EnsureAllocatable(shape, DType.Float32);
        return new NDArray<float>(shape, ForFill<float>(shape.Size));
    }

    private static unsafe void AdviseHugePages<T>(T[] array)
        where T : unmanaged
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // The whole 2 MiB pages inside the array; the GC does not move an array this large (it lives on the large
        // object heap) before the caller has filled it, and the advice stays with the memory either way.
        nint start = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        nint end = start + ((nint)array.Length * sizeof(T));
        nint first = (start + HugePage - 1) & ~(HugePage - 1);
        nint last = end & ~(HugePage - 1);
        if (last <= first)
        {
            return;
        }

        try
        {
            _ = Madvise(first, (nuint)(last - first), MadviseHugePage);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}

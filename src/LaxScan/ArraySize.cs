namespace LaxScan;

/// <summary>
/// Checks, before anything is allocated, that an array fits: in one .NET buffer and in the memory the GC may use.
/// A size that cannot fit fails with a message naming the size instead of an <see cref="OutOfMemoryException"/> half-way.
/// </summary>
internal static class ArraySize
{
    /// <summary>Throws if an array of this shape and dtype cannot be allocated.</summary>
    /// <param name="shape">The shape.</param>
    /// <param name="dtype">The element type.</param>
    /// <param name="what">What the array is, for the message (such as <c>"W"</c>).</param>
    /// <exception cref="InsufficientMemoryException">The array has more elements than one buffer can hold, or more bytes than the available memory.</exception>
    public static void EnsureAllocatable(Shape shape, DType dtype, string what = "array")
    {
        ArgumentNullException.ThrowIfNull(shape);
        EnsureAllocatable(shape.Size, dtype.ItemSize(), $"{what} of shape {shape} ({dtype.Name()})");
    }

    /// <summary>Throws if <paramref name="count"/> elements of <paramref name="itemSize"/> bytes cannot be allocated.</summary>
    /// <exception cref="InsufficientMemoryException">The count is beyond one buffer or the bytes beyond the available memory.</exception>
    public static void EnsureAllocatable(long count, int itemSize, string what)
    {
        if (count > Array.MaxLength)
        {
            throw new InsufficientMemoryException(
                $"{what} has {count:N0} elements; one buffer holds at most {Array.MaxLength:N0}");
        }

        long bytes = count * itemSize;
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (available > 0 && bytes > available)
        {
            throw new InsufficientMemoryException(
                $"{what} needs {FormatBytes(bytes)} but only {FormatBytes(available)} of memory is available");
        }
    }

    /// <summary>A byte count in binary units, such as <c>64.0 MiB</c>.</summary>
    public static string FormatBytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : $"{value:0.0} {units[unit]}";
    }
}

namespace LaxScan;

/// <summary>The element types LaxScan's arrays hold, named as NumPy and JAX name them.</summary>
public enum DType
{
    /// <summary>IEEE 754 binary32, <c>float32</c>.</summary>
    Float32,

    /// <summary>Unsigned 8-bit integer, <c>uint8</c>.</summary>
    UInt8,

    /// <summary>Unsigned 16-bit integer, <c>uint16</c>.</summary>
    UInt16,

    /// <summary>Unsigned 32-bit integer, <c>uint32</c>.</summary>
    UInt32,

    /// <summary>Unsigned 64-bit integer, <c>uint64</c>.</summary>
    UInt64,
}

/// <summary>Names and sizes of <see cref="DType"/> values.</summary>
internal static class DTypes
{
    /// <summary>The NumPy/JAX name of a dtype, such as <c>float32</c>.</summary>
    public static string Name(this DType dtype) => dtype switch
    {
        DType.Float32 => "float32",
        DType.UInt8 => "uint8",
        DType.UInt16 => "uint16",
        DType.UInt32 => "uint32",
        DType.UInt64 => "uint64",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>The size of one element in bytes.</summary>
    public static int ItemSize(this DType dtype) => dtype switch
    {
        DType.Float32 => 4,
        DType.UInt8 => 1,
        DType.UInt16 => 2,
        DType.UInt32 => 4,
        DType.UInt64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>The dtype of the .NET element type <typeparamref name="T"/>.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not one of the supported element types.</exception>
    public static DType Of<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? DType.Float32
        : typeof(T) == typeof(uint) ? DType.UInt32
        : typeof(T) == typeof(byte) ? DType.UInt8
        : typeof(T) == typeof(ushort) ? DType.UInt16
        : typeof(T) == typeof(ulong) ? DType.UInt64
        : throw new NotSupportedException($"{typeof(T).Name} is not a LaxScan element type; use float, byte, ushort, uint or ulong");
}

using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LaxScan.Io;

/// <summary>
/// Reads NumPy <c>.npy</c> files (format versions 1.0, 2.0 and 3.0) strictly: little-endian float32 or unsigned
/// integers, C order, a header that is exactly the dict NumPy writes, and data exactly as long as the shape says.
/// </summary>
/// <remarks>
/// <para>Every problem with the content raises <see cref="NpyFormatException"/>, whose message names the file and the
/// problem. Problems reaching the file (missing, a directory, no permission) are the usual <see cref="IOException"/> or
/// <see cref="UnauthorizedAccessException"/>, because they are not about the format and the user fixes them elsewhere.</para>
/// <para>Nothing is allocated beyond what the input justifies: the header length is capped at
/// <see cref="MaxHeaderLength"/> and checked against the stream length, and the data length the header announces is
/// checked against the bytes that are there before the array is allocated. For a stream that cannot seek, the array
/// grows geometrically as data actually arrives, so a lying header fails as truncated after reading what exists.</para>
/// <para>The data must start at a multiple of 16 bytes: NumPy pads the header to 64 (older versions to 16), so any
/// other offset means the length field is damaged.</para>
/// <para>Reading a stream starts at its current position and requires the array to end at the end of the stream:
/// anything after the data is an error, as a header that under-states the shape would otherwise go unnoticed.</para>
/// </remarks>
public static class NpyReader
{
    /// <summary>
    /// The longest header accepted, in bytes. A header holds three short fields, so NumPy's own reader refuses more than
    /// 10,000 bytes by default; this cap is looser but still keeps a damaged length field from causing a large allocation.
    /// </summary>
    internal const int MaxHeaderLength = 1 << 20;

    /// <summary>How much one read asks the stream for, so a huge array never needs one huge byte span.</summary>
    private const int ChunkBytes = 1 << 20;

    /// <summary>Where the array of a non-seekable stream starts before it grows with the data.</summary>
    private const int InitialChunkBytes = 1 << 16;

    private const string VersionRule = "LaxScan reads .npy format versions 1.0, 2.0 and 3.0";

    /// <summary>Reads a float32 (<c>'&lt;f4'</c>) array from a .npy file.</summary>
    /// <param name="path">The file's path.</param>
    /// <returns>The array, with the file's shape.</returns>
    /// <exception cref="NpyFormatException">The file is not a valid .npy file, or not little-endian float32 in C order.</exception>
    /// <exception cref="IOException">The file cannot be opened or read (<see cref="FileNotFoundException"/> if it does not exist).</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    /// <exception cref="InsufficientMemoryException">The file is valid but its array does not fit in memory.</exception>
    public static NDArray<float> ReadFloat32(string path) => Read<float>(path);

    /// <summary>Reads a float32 (<c>'&lt;f4'</c>) array from a stream holding a .npy file from its current position to its end.</summary>
    /// <param name="stream">The stream; it is not closed.</param>
    /// <param name="name">The name used in error messages; by default the file name of a <see cref="FileStream"/>, else <c>&lt;stream&gt;</c>.</param>
    /// <returns>The array.</returns>
    /// <exception cref="NpyFormatException">The stream does not hold a valid .npy file of little-endian float32 in C order.</exception>
    /// <exception cref="IOException">Reading the stream fails.</exception>
    /// <exception cref="InsufficientMemoryException">The array does not fit in memory.</exception>
    public static NDArray<float> ReadFloat32(Stream stream, string? name = null) => Read<float>(stream, name);

    /// <summary>Reads a uint32 (<c>'&lt;u4'</c>) array from a .npy file.</summary>
    /// <param name="path">The file's path.</param>
    /// <returns>The array, with the file's shape.</returns>
    /// <exception cref="NpyFormatException">The file is not a valid .npy file, or not little-endian uint32 in C order.</exception>
    /// <exception cref="IOException">The file cannot be opened or read (<see cref="FileNotFoundException"/> if it does not exist).</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    /// <exception cref="InsufficientMemoryException">The file is valid but its array does not fit in memory.</exception>
    public static NDArray<uint> ReadUInt32(string path) => Read<uint>(path);

    /// <summary>Reads a uint32 (<c>'&lt;u4'</c>) array from a stream holding a .npy file from its current position to its end.</summary>
    /// <param name="stream">The stream; it is not closed.</param>
    /// <param name="name">The name used in error messages; by default the file name of a <see cref="FileStream"/>, else <c>&lt;stream&gt;</c>.</param>
    /// <returns>The array.</returns>
    /// <exception cref="NpyFormatException">The stream does not hold a valid .npy file of little-endian uint32 in C order.</exception>
    /// <exception cref="IOException">Reading the stream fails.</exception>
    /// <exception cref="InsufficientMemoryException">The array does not fit in memory.</exception>
    public static NDArray<uint> ReadUInt32(Stream stream, string? name = null) => Read<uint>(stream, name);

    /// <summary>Reads an array whose dtype must be <typeparamref name="T"/>'s from a .npy file.</summary>
    /// <typeparam name="T"><see cref="float"/>, <see cref="byte"/>, <see cref="ushort"/>, <see cref="uint"/> or <see cref="ulong"/>.</typeparam>
    /// <param name="path">The file's path.</param>
    /// <returns>The array, with the file's shape.</returns>
    /// <exception cref="NpyFormatException">The file is not a valid .npy file, or its dtype is not <typeparamref name="T"/>'s.</exception>
    /// <exception cref="IOException">The file cannot be opened or read (<see cref="FileNotFoundException"/> if it does not exist).</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    /// <exception cref="InsufficientMemoryException">The file is valid but its array does not fit in memory.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not a LaxScan element type.</exception>
    public static NDArray<T> Read<T>(string path) where T : unmanaged
    {
        DType dtype = DTypes.Of<T>();
        using FileStream file = OpenRead(path);
        return (NDArray<T>)ReadCore(file, path, dtype);
    }

    /// <summary>Reads an array whose dtype must be <typeparamref name="T"/>'s from a stream holding a .npy file from its current position to its end.</summary>
    /// <typeparam name="T"><see cref="float"/>, <see cref="byte"/>, <see cref="ushort"/>, <see cref="uint"/> or <see cref="ulong"/>.</typeparam>
    /// <param name="stream">The stream; it is not closed.</param>
    /// <param name="name">The name used in error messages; by default the file name of a <see cref="FileStream"/>, else <c>&lt;stream&gt;</c>.</param>
    /// <returns>The array.</returns>
    /// <exception cref="NpyFormatException">The stream does not hold a valid .npy file, or its dtype is not <typeparamref name="T"/>'s.</exception>
    /// <exception cref="IOException">Reading the stream fails.</exception>
    /// <exception cref="InsufficientMemoryException">The array does not fit in memory.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not a LaxScan element type.</exception>
    public static NDArray<T> Read<T>(Stream stream, string? name = null) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(stream);
        DType dtype = DTypes.Of<T>();
        return (NDArray<T>)ReadCore(stream, NameOf(stream, name), dtype);
    }

    /// <summary>Reads an array of any dtype LaxScan supports from a .npy file.</summary>
    /// <param name="path">The file's path.</param>
    /// <returns>An <see cref="NDArray{T}"/> whose element type follows the file's dtype: <c>'&lt;f4'</c> float, <c>'|u1'</c>/<c>'&lt;u1'</c> byte, <c>'&lt;u2'</c> ushort, <c>'&lt;u4'</c> uint, <c>'&lt;u8'</c> ulong.</returns>
    /// <exception cref="NpyFormatException">The file is not a valid .npy file, or its dtype is not one of those.</exception>
    /// <exception cref="IOException">The file cannot be opened or read (<see cref="FileNotFoundException"/> if it does not exist).</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    /// <exception cref="InsufficientMemoryException">The file is valid but its array does not fit in memory.</exception>
    public static INDArray Read(string path)
    {
        using FileStream file = OpenRead(path);
        return ReadCore(file, path, required: null);
    }

    /// <summary>Reads an array of any dtype LaxScan supports from a stream holding a .npy file from its current position to its end.</summary>
    /// <param name="stream">The stream; it is not closed.</param>
    /// <param name="name">The name used in error messages; by default the file name of a <see cref="FileStream"/>, else <c>&lt;stream&gt;</c>.</param>
    /// <returns>An <see cref="NDArray{T}"/> whose element type follows the dtype, as for <see cref="Read(string)"/>.</returns>
    /// <exception cref="NpyFormatException">The stream does not hold a valid .npy file of a supported dtype.</exception>
    /// <exception cref="IOException">Reading the stream fails.</exception>
    /// <exception cref="InsufficientMemoryException">The array does not fit in memory.</exception>
    public static INDArray Read(Stream stream, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ReadCore(stream, NameOf(stream, name), required: null);
    }

    /// <summary>Reads and checks only the header of a .npy file: version, dtype, order and shape, not the data.</summary>
    /// <param name="path">The file's path.</param>
    /// <returns>The header.</returns>
    /// <exception cref="NpyFormatException">The header is not valid, or describes an array LaxScan cannot read.</exception>
    /// <exception cref="IOException">The file cannot be opened or read (<see cref="FileNotFoundException"/> if it does not exist).</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static NpyHeader ReadHeader(string path)
    {
        using FileStream file = OpenRead(path);
        return ReadHeaderCore(file, path, required: null);
    }

    /// <summary>Reads and checks only the header of a .npy file in a stream, leaving the stream at the start of the data.</summary>
    /// <param name="stream">The stream; it is not closed.</param>
    /// <param name="name">The name used in error messages; by default the file name of a <see cref="FileStream"/>, else <c>&lt;stream&gt;</c>.</param>
    /// <returns>The header.</returns>
    /// <exception cref="NpyFormatException">The header is not valid, or describes an array LaxScan cannot read.</exception>
    /// <exception cref="IOException">Reading the stream fails.</exception>
    public static NpyHeader ReadHeader(Stream stream, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ReadHeaderCore(stream, NameOf(stream, name), required: null);
    }

    private static FileStream OpenRead(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096, FileOptions.SequentialScan);
    }

    private static string NameOf(Stream stream, string? name) => name ?? (stream as FileStream)?.Name ?? "<stream>";

    private static INDArray ReadCore(Stream stream, string source, DType? required)
    {
        EnsureLittleEndianHost();
        NpyHeader header = ReadHeaderCore(stream, source, required);
        return header.DType switch
        {
            DType.Float32 => ReadData<float>(stream, source, header),
            DType.UInt8 => ReadData<byte>(stream, source, header),
            DType.UInt16 => ReadData<ushort>(stream, source, header),
            DType.UInt32 => ReadData<uint>(stream, source, header),
            DType.UInt64 => ReadData<ulong>(stream, source, header),
            _ => throw new InvalidOperationException($"unhandled dtype {header.DType}"),
        };
    }

    private static NpyHeader ReadHeaderCore(Stream stream, string source, DType? required)
    {
        long? available = stream.CanSeek ? Math.Max(0, stream.Length - stream.Position) : null;

        Span<byte> prefix = stackalloc byte[12];
        int got = ReadFully(stream, prefix[..8]);
        if (got == 0)
        {
            throw Error(source, NpyErrorKind.Empty, "the file is empty; a .npy file starts with the magic string \\x93NUMPY");
        }

        ReadOnlySpan<byte> magic = NpyHeader.Magic;
        int compared = Math.Min(got, magic.Length);
        if (!prefix[..compared].SequenceEqual(magic[..compared]))
        {
            throw Error(source, NpyErrorKind.BadMagic, $"not a .npy file: it starts with '{NpyText.Escape(prefix[..got])}' instead of the magic string \\x93NUMPY");
        }

        if (got < 8)
        {
            string where = got < magic.Length ? "inside the magic string" : "inside the format version";
            throw Error(source, NpyErrorKind.Truncated, $"the file is truncated: it ends after {got} bytes, {where}");
        }

        byte major = prefix[6], minor = prefix[7];
        if (major is not (1 or 2 or 3) || minor != 0)
        {
            throw Error(source, NpyErrorKind.UnsupportedVersion, $"unsupported .npy format version {major}.{minor}; {VersionRule}");
        }

        int fieldLength = major == 1 ? 2 : 4;
        int prefixLength = 8 + fieldLength;
        got = ReadFully(stream, prefix[8..prefixLength]);
        if (got < fieldLength)
        {
            throw Error(source, NpyErrorKind.Truncated, $"the file is truncated: it ends after {8 + got} bytes, inside the header length field");
        }

        long headerLength = major == 1
            ? BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..])
            : BinaryPrimitives.ReadUInt32LittleEndian(prefix[8..]);
        if (headerLength > MaxHeaderLength)
        {
            throw Error(source, NpyErrorKind.BadHeaderLength, $"the header length field says {headerLength} bytes, more than the {MaxHeaderLength} any .npy header needs; the file is damaged or not a .npy file");
        }

        long afterField = available is long a ? a - prefixLength : long.MaxValue;
        if (headerLength > afterField)
        {
            throw Error(source, NpyErrorKind.Truncated, $"the file is truncated or its header length field is damaged: the field says {headerLength} header bytes follow, but only {afterField} do");
        }

        long dataOffset = prefixLength + headerLength;
        if (dataOffset % NpyHeader.LegacyAlignment != 0)
        {
            throw Error(source, NpyErrorKind.BadHeaderLength, $"the header length field says {headerLength}, which would start the data at byte {dataOffset}; NumPy pads the header so the data starts at a multiple of 64 (16 in older versions), so the field is damaged");
        }

        var text = new byte[headerLength];
        got = ReadFully(stream, text);
        if (got < headerLength)
        {
            throw Error(source, NpyErrorKind.Truncated, $"the file is truncated: it ends inside the header, after {got} of its {headerLength} bytes");
        }

        NpyHeaderFields fields = NpyHeaderParser.Parse(text, source);

        DType dtype = NpyDescr.TryParse(fields.Descr)
            ?? throw Error(source, NpyErrorKind.UnsupportedDType, NpyDescr.Unsupported(fields.Descr, required));
        if (required is DType r && r != dtype)
        {
            throw Error(source, NpyErrorKind.DTypeMismatch, NpyDescr.Mismatch(fields.Descr, dtype, r));
        }

        if (fields.FortranOrder)
        {
            throw Error(source, NpyErrorKind.FortranOrder, "the array is stored in Fortran (column-major) order; LaxScan reads C order only: save np.ascontiguousarray(a) instead");
        }

        // Checked here, in the order Shape multiplies, so that an overflowing shape is a format error naming the file.
        long count = 1;
        bool overflow = false;
        foreach (int d in fields.Dimensions)
        {
            if (d != 0 && count > long.MaxValue / d)
            {
                overflow = true;
                break;
            }

            count *= d;
        }

        if (overflow || count > long.MaxValue / dtype.ItemSize())
        {
            throw Error(source, NpyErrorKind.BadShape, $"the shape {Shape.Format(fields.Dimensions)} of {dtype.Name()} has more bytes than a 64-bit count holds; the header is damaged");
        }

        return new NpyHeader(major, minor, dtype, new Shape(fields.Dimensions), dataOffset);
    }

    private static NDArray<T> ReadData<T>(Stream stream, string source, NpyHeader header) where T : unmanaged
    {
        T[] data = stream.CanSeek
            ? ReadSeekable(stream, source, header)
            : ReadGrowing(stream, source, header);
        return new NDArray<T>(header.Shape, data);

        static T[] ReadSeekable(Stream stream, string source, NpyHeader header)
        {
            long remaining = Math.Max(0, stream.Length - stream.Position);
            if (remaining < header.DataLength)
            {
                throw Truncated(source, header, remaining);
            }

            if (remaining > header.DataLength)
            {
                throw Error(source, NpyErrorKind.TrailingData, $"{remaining - header.DataLength} unexpected bytes follow the data: {Needs(header)}, but {remaining} follow the header; the header's shape is wrong or the file has trailing garbage");
            }

            ArraySize.EnsureAllocatable(header.Shape, header.DType, $"the array in {source}");
            var data = new T[header.Shape.Size];
            long got = Fill(stream, data, 0, header.DataLength);
            if (got < header.DataLength)
            {
                // The stream shrank between measuring and reading (a file truncated by another process).
                throw Truncated(source, header, got);
            }

            return data;
        }

        static T[] ReadGrowing(Stream stream, string source, NpyHeader header)
        {
            long count = header.Shape.Size;
            int itemSize = header.DType.ItemSize();
            long length = Math.Min(count, Math.Max(1, InitialChunkBytes / itemSize));
            var data = new T[length];
            long filled = 0;
            while (true)
            {
                long capacity = data.LongLength * itemSize;
                filled = Fill(stream, data, filled, capacity);
                if (filled < capacity)
                {
                    throw Truncated(source, header, filled);
                }

                if (data.LongLength == count)
                {
                    break;
                }

                // Doubling keeps the copies linear, and the array never exceeds twice the data that really arrived.
                long next = Math.Min(count, data.LongLength * 2);
                if (next == count)
                {
                    ArraySize.EnsureAllocatable(header.Shape, header.DType, $"the array in {source}");
                }
                else
                {
                    ArraySize.EnsureAllocatable(next, itemSize, $"the partial array read from {source}");
                }

                Array.Resize(ref data, (int)next);
            }

            Span<byte> probe = stackalloc byte[1];
            if (stream.Read(probe) > 0)
            {
                throw Error(source, NpyErrorKind.TrailingData, $"unexpected bytes follow the data: {Needs(header)}, but more follow the header; the header's shape is wrong or the stream has trailing garbage");
            }

            return data;
        }
    }

    /// <summary>Reads the byte range [<paramref name="from"/>, <paramref name="to"/>) of the array's memory, returning where it stopped (less than <paramref name="to"/> at the end of the stream).</summary>
    private static long Fill<T>(Stream stream, T[] data, long from, long to) where T : unmanaged
    {
        if (data.Length == 0)
        {
            return from;
        }

        // Byte offsets into the array, because a T[] of more than 2 GiB cannot be viewed as one Span<byte>.
        ref byte origin = ref Unsafe.As<T, byte>(ref MemoryMarshal.GetArrayDataReference(data));
        long position = from;
        while (position < to)
        {
            int length = (int)Math.Min(to - position, ChunkBytes);
            Span<byte> window = MemoryMarshal.CreateSpan(ref Unsafe.AddByteOffset(ref origin, (nint)position), length);
            int read = stream.Read(window);
            if (read == 0)
            {
                break;
            }

            position += read;
        }

        return position;
    }

    private static int ReadFully(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = stream.Read(buffer[total..]);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private static string Needs(NpyHeader header) =>
        $"shape {header.Shape} of {header.DType.Name()} needs {header.DataLength} bytes";

    private static NpyFormatException Truncated(string source, NpyHeader header, long found) =>
        Error(source, NpyErrorKind.Truncated, $"the data is truncated: {Needs(header)}, but only {found} follow the header");

    private static NpyFormatException Error(string source, NpyErrorKind kind, string reason) => new(source, kind, reason);

    /// <summary>The data is copied to and from memory as it lies, which is only NumPy's little-endian layout on a little-endian machine.</summary>
    internal static void EnsureLittleEndianHost()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("LaxScan's .npy reader and writer run on little-endian machines only");
        }
    }
}

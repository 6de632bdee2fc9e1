using System.Buffers.Binary;

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
        return (NDArray<T>)ReadCore(stream, StreamIo.NameOf(stream, name), dtype);
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
        return ReadCore(stream, StreamIo.NameOf(stream, name), required: null);
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
        return ReadHeaderCore(stream, StreamIo.NameOf(stream, name), required: null);
    }

    /// <summary>Reads an array whose dtype must be <typeparamref name="T"/>'s from a .npy file, asynchronously: <see cref="Read{T}(string)"/>'s rules, with a token.</summary>
    /// <typeparam name="T"><see cref="float"/>, <see cref="byte"/>, <see cref="ushort"/>, <see cref="uint"/> or <see cref="ulong"/>.</typeparam>
    /// <param name="path">The file's path.</param>
    /// <param name="cancellationToken">Checked before each read of the file (at most 1 MiB).</param>
    /// <returns>The array, with the file's shape.</returns>
    /// <exception cref="NpyFormatException">The file is not a valid .npy file, or its dtype is not <typeparamref name="T"/>'s.</exception>
    /// <exception cref="IOException">The file cannot be opened or read (<see cref="FileNotFoundException"/> if it does not exist).</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    /// <exception cref="InsufficientMemoryException">The file is valid but its array does not fit in memory.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not a LaxScan element type.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static Task<NDArray<T>> ReadAsync<T>(string path, CancellationToken cancellationToken = default) where T : unmanaged
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return As<T>(ReadFileAsync(path, DTypes.Of<T>(), cancellationToken));
    }

    /// <summary>Reads an array whose dtype must be <typeparamref name="T"/>'s from a stream holding a .npy file from its current position to its end, asynchronously.</summary>
    /// <typeparam name="T"><see cref="float"/>, <see cref="byte"/>, <see cref="ushort"/>, <see cref="uint"/> or <see cref="ulong"/>.</typeparam>
    /// <param name="stream">The stream; it is not closed.</param>
    /// <param name="name">The name used in error messages; by default the file name of a <see cref="FileStream"/>, else <c>&lt;stream&gt;</c>.</param>
    /// <param name="cancellationToken">Checked before each read of the stream (at most 1 MiB), and passed to it.</param>
    /// <returns>The array.</returns>
    /// <exception cref="NpyFormatException">The stream does not hold a valid .npy file, or its dtype is not <typeparamref name="T"/>'s.</exception>
    /// <exception cref="IOException">Reading the stream fails.</exception>
    /// <exception cref="InsufficientMemoryException">The array does not fit in memory.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not a LaxScan element type.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; the stream's position is then undefined.</exception>
    public static Task<NDArray<T>> ReadAsync<T>(Stream stream, string? name = null, CancellationToken cancellationToken = default) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(stream);
        return As<T>(ReadCoreAsync(stream, StreamIo.NameOf(stream, name), DTypes.Of<T>(), useAsync: true, cancellationToken).AsTask());
    }

    /// <summary>Reads an array of any dtype LaxScan supports from a .npy file, asynchronously: <see cref="Read(string)"/>'s rules, with a token.</summary>
    /// <param name="path">The file's path.</param>
    /// <param name="cancellationToken">Checked before each read of the file (at most 1 MiB).</param>
    /// <returns>An <see cref="NDArray{T}"/> whose element type follows the file's dtype, as for <see cref="Read(string)"/>.</returns>
    /// <exception cref="NpyFormatException">The file is not a valid .npy file, or its dtype is not one LaxScan supports.</exception>
    /// <exception cref="IOException">The file cannot be opened or read (<see cref="FileNotFoundException"/> if it does not exist).</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    /// <exception cref="InsufficientMemoryException">The file is valid but its array does not fit in memory.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static Task<INDArray> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return ReadFileAsync(path, required: null, cancellationToken);
    }

    /// <summary>Reads an array of any dtype LaxScan supports from a stream holding a .npy file from its current position to its end, asynchronously.</summary>
    /// <param name="stream">The stream; it is not closed.</param>
    /// <param name="name">The name used in error messages; by default the file name of a <see cref="FileStream"/>, else <c>&lt;stream&gt;</c>.</param>
    /// <param name="cancellationToken">Checked before each read of the stream (at most 1 MiB), and passed to it.</param>
    /// <returns>An <see cref="NDArray{T}"/> whose element type follows the dtype, as for <see cref="Read(string)"/>.</returns>
    /// <exception cref="NpyFormatException">The stream does not hold a valid .npy file of a supported dtype.</exception>
    /// <exception cref="IOException">Reading the stream fails.</exception>
    /// <exception cref="InsufficientMemoryException">The array does not fit in memory.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; the stream's position is then undefined.</exception>
    public static Task<INDArray> ReadAsync(Stream stream, string? name = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ReadCoreAsync(stream, StreamIo.NameOf(stream, name), required: null, useAsync: true, cancellationToken).AsTask();
    }

    private static async Task<NDArray<T>> As<T>(Task<INDArray> read) where T : unmanaged =>
        (NDArray<T>)await read.ConfigureAwait(false);

    private static FileStream OpenRead(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096, FileOptions.SequentialScan);
    }

    private static FileStream OpenReadAsync(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096, FileOptions.SequentialScan | FileOptions.Asynchronous);
    }

    private static async Task<INDArray> ReadFileAsync(string path, DType? required, CancellationToken cancellationToken)
    {
        await using FileStream file = OpenReadAsync(path);
        return await ReadCoreAsync(file, path, required, useAsync: true, cancellationToken).ConfigureAwait(false);
    }

    private static INDArray ReadCore(Stream stream, string source, DType? required) =>
        StreamIo.Sync(ReadCoreAsync(stream, source, required, useAsync: false, CancellationToken.None));

    private static NpyHeader ReadHeaderCore(Stream stream, string source, DType? required) =>
        StreamIo.Sync(ReadHeaderCoreAsync(stream, source, required, useAsync: false, CancellationToken.None));

    /// <summary>The one reader: synchronous with <paramref name="useAsync"/> false (see <see cref="StreamIo"/>).</summary>
    private static async ValueTask<INDArray> ReadCoreAsync(Stream stream, string source, DType? required, bool useAsync, CancellationToken cancellationToken)
    {
        EnsureLittleEndianHost();
        NpyHeader header = await ReadHeaderCoreAsync(stream, source, required, useAsync, cancellationToken).ConfigureAwait(false);
        return header.DType switch
        {
            DType.Float32 => await ReadDataAsync<float>(stream, source, header, useAsync, cancellationToken).ConfigureAwait(false),
            DType.UInt8 => await ReadDataAsync<byte>(stream, source, header, useAsync, cancellationToken).ConfigureAwait(false),
            DType.UInt16 => await ReadDataAsync<ushort>(stream, source, header, useAsync, cancellationToken).ConfigureAwait(false),
            DType.UInt32 => await ReadDataAsync<uint>(stream, source, header, useAsync, cancellationToken).ConfigureAwait(false),
            DType.UInt64 => await ReadDataAsync<ulong>(stream, source, header, useAsync, cancellationToken).ConfigureAwait(false),
            _ => throw new InvalidOperationException($"unhandled dtype {header.DType}"),
        };
    }

    private static async ValueTask<NpyHeader> ReadHeaderCoreAsync(Stream stream, string source, DType? required, bool useAsync, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        long? available = stream.CanSeek ? Math.Max(0, stream.Length - stream.Position) : null;

        byte[] prefix = new byte[12];
        int got = await StreamIo.ReadFullyAsync(stream, prefix.AsMemory(0, 8), useAsync, cancellationToken).ConfigureAwait(false);
        if (got == 0)
        {
            throw Error(source, NpyErrorKind.Empty, "the file is empty; a .npy file starts with the magic string \\x93NUMPY");
        }

        int compared = Math.Min(got, NpyHeader.Magic.Length);
        if (!prefix.AsSpan(0, compared).SequenceEqual(NpyHeader.Magic[..compared]))
        {
            throw Error(source, NpyErrorKind.BadMagic, $"not a .npy file: it starts with '{NpyText.Escape(prefix.AsSpan(0, got))}' instead of the magic string \\x93NUMPY");
        }

        if (got < 8)
        {
            string where = got < NpyHeader.Magic.Length ? "inside the magic string" : "inside the format version";
            throw Error(source, NpyErrorKind.Truncated, $"the file is truncated: it ends after {got} bytes, {where}");
        }

        byte major = prefix[6], minor = prefix[7];
        if (major is not (1 or 2 or 3) || minor != 0)
        {
            throw Error(source, NpyErrorKind.UnsupportedVersion, $"unsupported .npy format version {major}.{minor}; {VersionRule}");
        }

        int fieldLength = major == 1 ? 2 : 4;
        int prefixLength = 8 + fieldLength;
        got = await StreamIo.ReadFullyAsync(stream, prefix.AsMemory(8, fieldLength), useAsync, cancellationToken).ConfigureAwait(false);
        if (got < fieldLength)
        {
            throw Error(source, NpyErrorKind.Truncated, $"the file is truncated: it ends after {8 + got} bytes, inside the header length field");
        }

        long headerLength = major == 1
            ? BinaryPrimitives.ReadUInt16LittleEndian(prefix.AsSpan(8))
            : BinaryPrimitives.ReadUInt32LittleEndian(prefix.AsSpan(8));
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
        got = await StreamIo.ReadFullyAsync(stream, text, useAsync, cancellationToken).ConfigureAwait(false);
        if (got < headerLength)
        {
            throw Error(source, NpyErrorKind.Truncated, $"the file is truncated: it ends inside the header, after {got} of its {headerLength} bytes");
        }

        return CheckHeader(text, source, required, major, minor, dataOffset);
    }

    /// <summary>Parses the header dict and checks that LaxScan can read the array it describes.</summary>
    private static NpyHeader CheckHeader(byte[] text, string source, DType? required, byte major, byte minor, long dataOffset)
    {
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

    private static async ValueTask<INDArray> ReadDataAsync<T>(Stream stream, string source, NpyHeader header, bool useAsync, CancellationToken cancellationToken) where T : unmanaged
    {
        T[] data = stream.CanSeek
            ? await ReadSeekableAsync(stream, source, header, useAsync, cancellationToken).ConfigureAwait(false)
            : await ReadGrowingAsync(stream, source, header, useAsync, cancellationToken).ConfigureAwait(false);
        return new NDArray<T>(header.Shape, data);

        static async ValueTask<T[]> ReadSeekableAsync(Stream stream, string source, NpyHeader header, bool useAsync, CancellationToken cancellationToken)
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
            long got = await StreamIo.FillAsync(stream, data, 0, header.DataLength, useAsync, cancellationToken).ConfigureAwait(false);
            if (got < header.DataLength)
            {
                // The stream shrank between measuring and reading (a file truncated by another process).
                throw Truncated(source, header, got);
            }

            return data;
        }

        static async ValueTask<T[]> ReadGrowingAsync(Stream stream, string source, NpyHeader header, bool useAsync, CancellationToken cancellationToken)
        {
            long count = header.Shape.Size;
            int itemSize = header.DType.ItemSize();
            long length = Math.Min(count, Math.Max(1, InitialChunkBytes / itemSize));
            var data = new T[length];
            long filled = 0;
            while (true)
            {
                long capacity = data.LongLength * itemSize;
                filled = await StreamIo.FillAsync(stream, data, filled, capacity, useAsync, cancellationToken).ConfigureAwait(false);
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

            if (await StreamIo.ReadFullyAsync(stream, new byte[1], useAsync, cancellationToken).ConfigureAwait(false) > 0)
            {
                throw Error(source, NpyErrorKind.TrailingData, $"unexpected bytes follow the data: {Needs(header)}, but more follow the header; the header's shape is wrong or the stream has trailing garbage");
            }

            return data;
        }
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

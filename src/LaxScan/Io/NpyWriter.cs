using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LaxScan.Io;

/// <summary>
/// Writes arrays as NumPy <c>.npy</c> files exactly as <c>np.save</c> does: the same header bytes (version 1.0, or 2.0
/// when the header outgrows 64 KiB), data aligned to 64 bytes, little-endian, C order.
/// </summary>
public static class NpyWriter
{
    /// <summary>How much is written between cancellation checks, and the largest span handed to the stream at once.</summary>
    private const int ChunkBytes = 1 << 20;

    /// <summary>
    /// Writes an array to a .npy file atomically: the file is either complete or untouched (absent, or the previous
    /// file), never partial, even if writing fails or is cancelled. The rules of <see cref="OutputFile"/> apply: a
    /// symbolic link is kept and the file it points to replaced; a FIFO or a device is written in place.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/>, <see cref="byte"/>, <see cref="ushort"/>, <see cref="uint"/> or <see cref="ulong"/>.</typeparam>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="array">The array.</param>
    /// <param name="cancellationToken">Checked between chunks of data; cancelling leaves no file behind.</param>
    /// <exception cref="IOException">The file cannot be written (<see cref="DirectoryNotFoundException"/> if its directory does not exist), or is a directory or a socket.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory may not be written.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static void Write<T>(string path, NDArray<T> array, CancellationToken cancellationToken = default) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(array);
        NpyReader.EnsureLittleEndianHost();
        using OutputFile file = OutputFile.Create(path, cancellationToken);
        WriteCore(file.Stream, array, cancellationToken);
        file.Commit();
    }

    /// <summary>Writes an array of any LaxScan dtype to a .npy file atomically, as <see cref="Write{T}(string, NDArray{T}, CancellationToken)"/> does.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="array">The array: an <see cref="NDArray{T}"/> of <see cref="float"/>, <see cref="byte"/>, <see cref="ushort"/>, <see cref="uint"/> or <see cref="ulong"/>.</param>
    /// <param name="cancellationToken">Checked between chunks of data; cancelling leaves no file behind.</param>
    /// <exception cref="ArgumentException"><paramref name="array"/> is not one of those array types.</exception>
    /// <exception cref="IOException">The file cannot be written (<see cref="DirectoryNotFoundException"/> if its directory does not exist).</exception>
    /// <exception cref="UnauthorizedAccessException">The directory may not be written.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static void Write(string path, INDArray array, CancellationToken cancellationToken = default)
    {
        switch (array)
        {
            case NDArray<float> a: Write(path, a, cancellationToken); break;
            case NDArray<byte> a: Write(path, a, cancellationToken); break;
            case NDArray<ushort> a: Write(path, a, cancellationToken); break;
            case NDArray<uint> a: Write(path, a, cancellationToken); break;
            case NDArray<ulong> a: Write(path, a, cancellationToken); break;
            case null: throw new ArgumentNullException(nameof(array));
            default: ThrowHelper.ThrowArgument($"{array.GetType().Name} is not an array type the .npy writer knows; use NDArray<T> of float, byte, ushort, uint or ulong", nameof(array)); break;
        }
    }

    /// <summary>Writes an array in .npy format to a stream at its current position.</summary>
    /// <typeparam name="T"><see cref="float"/>, <see cref="byte"/>, <see cref="ushort"/>, <see cref="uint"/> or <see cref="ulong"/>.</typeparam>
    /// <param name="stream">The stream; it is neither flushed nor closed.</param>
    /// <param name="array">The array.</param>
    /// <param name="cancellationToken">Checked between chunks of data.</param>
    /// <exception cref="IOException">Writing to the stream fails.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled (the stream then holds part of the file).</exception>
    public static void Write<T>(Stream stream, NDArray<T> array, CancellationToken cancellationToken = default) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(array);
        NpyReader.EnsureLittleEndianHost();
        WriteCore(stream, array, cancellationToken);
    }

    private static void WriteCore<T>(Stream stream, NDArray<T> array, CancellationToken cancellationToken) where T : unmanaged
    {
        stream.Write(NpyHeader.Format(array.DType, array.Shape));
        WriteData(stream, (ReadOnlySpan<T>)array.Span, cancellationToken);
    }

    /// <summary>Writes elements as their little-endian bytes in chunks, so cancellation is noticed and no span exceeds 2 GiB.</summary>
    internal static void WriteData<T>(Stream stream, ReadOnlySpan<T> data, CancellationToken cancellationToken) where T : unmanaged
    {
        cancellationToken.ThrowIfCancellationRequested();
        int perChunk = ChunkBytes / Unsafe.SizeOf<T>();
        for (int start = 0; start < data.Length; start += perChunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ReadOnlySpan<T> chunk = data.Slice(start, Math.Min(perChunk, data.Length - start));
            stream.Write(MemoryMarshal.AsBytes(chunk));
        }
    }
}

namespace LaxScan.Io;

/// <summary>
/// Writes arrays as NumPy <c>.npy</c> files exactly as <c>np.save</c> does: the same header bytes (version 1.0, or 2.0
/// when the header outgrows 64 KiB), data aligned to 64 bytes, little-endian, C order.
/// </summary>
public static class NpyWriter
{
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

    /// <summary>Writes an array to a .npy file atomically and asynchronously, by the rules of <see cref="Write{T}(string, NDArray{T}, CancellationToken)"/>.</summary>
    /// <typeparam name="T"><see cref="float"/>, <see cref="byte"/>, <see cref="ushort"/>, <see cref="uint"/> or <see cref="ulong"/>.</typeparam>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="array">The array.</param>
    /// <param name="cancellationToken">Checked between chunks of data (at most 1 MiB); cancelling leaves no file behind.</param>
    /// <returns>A task that completes when the file is in place.</returns>
    /// <exception cref="IOException">The file cannot be written (<see cref="DirectoryNotFoundException"/> if its directory does not exist), or is a directory or a socket.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory may not be written.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static Task WriteAsync<T>(string path, NDArray<T> array, CancellationToken cancellationToken = default) where T : unmanaged
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(array);
        NpyReader.EnsureLittleEndianHost();
        return WriteFileAsync(path, array, cancellationToken);
    }

    /// <summary>Writes an array of any LaxScan dtype to a .npy file atomically and asynchronously, as <see cref="WriteAsync{T}(string, NDArray{T}, CancellationToken)"/> does.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="array">The array: an <see cref="NDArray{T}"/> of <see cref="float"/>, <see cref="byte"/>, <see cref="ushort"/>, <see cref="uint"/> or <see cref="ulong"/>.</param>
    /// <param name="cancellationToken">Checked between chunks of data (at most 1 MiB); cancelling leaves no file behind.</param>
    /// <returns>A task that completes when the file is in place.</returns>
    /// <exception cref="ArgumentException"><paramref name="array"/> is not one of those array types.</exception>
    /// <exception cref="IOException">The file cannot be written (<see cref="DirectoryNotFoundException"/> if its directory does not exist).</exception>
    /// <exception cref="UnauthorizedAccessException">The directory may not be written.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static Task WriteAsync(string path, INDArray array, CancellationToken cancellationToken = default) => array switch
    {
        NDArray<float> a => WriteAsync(path, a, cancellationToken),
        NDArray<byte> a => WriteAsync(path, a, cancellationToken),
        NDArray<ushort> a => WriteAsync(path, a, cancellationToken),
        NDArray<uint> a => WriteAsync(path, a, cancellationToken),
        NDArray<ulong> a => WriteAsync(path, a, cancellationToken),
        null => throw new ArgumentNullException(nameof(array)),
        _ => throw new ArgumentException($"{array.GetType().Name} is not an array type the .npy writer knows; use NDArray<T> of float, byte, ushort, uint or ulong", nameof(array)),
    };

    /// <summary>Writes an array in .npy format to a stream at its current position, asynchronously.</summary>
    /// <typeparam name="T"><see cref="float"/>, <see cref="byte"/>, <see cref="ushort"/>, <see cref="uint"/> or <see cref="ulong"/>.</typeparam>
    /// <param name="stream">The stream; it is neither flushed nor closed.</param>
    /// <param name="array">The array.</param>
    /// <param name="cancellationToken">Checked between chunks of data (at most 1 MiB), and passed to the stream.</param>
    /// <returns>A task that completes when the stream has been handed every byte.</returns>
    /// <exception cref="IOException">Writing to the stream fails.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled (the stream then holds part of the file).</exception>
    public static Task WriteAsync<T>(Stream stream, NDArray<T> array, CancellationToken cancellationToken = default) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(array);
        NpyReader.EnsureLittleEndianHost();
        return WriteCoreAsync(stream, array, useAsync: true, cancellationToken).AsTask();
    }

    private static void WriteCore<T>(Stream stream, NDArray<T> array, CancellationToken cancellationToken) where T : unmanaged =>
        StreamIo.Sync(WriteCoreAsync(stream, array, useAsync: false, cancellationToken));

    private static async Task WriteFileAsync<T>(string path, NDArray<T> array, CancellationToken cancellationToken) where T : unmanaged
    {
        // The token reaches the open too: a FIFO with no reader waits there, and a cancelled token must not make a file.
        using OutputFile file = OutputFile.Create(path, cancellationToken);
        await WriteCoreAsync(file.Stream, array, useAsync: true, cancellationToken).ConfigureAwait(false);
        await file.Stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        file.Commit();
    }

    /// <summary>The one writer: synchronous with <paramref name="useAsync"/> false (see <see cref="StreamIo"/>).</summary>
    private static async ValueTask WriteCoreAsync<T>(Stream stream, NDArray<T> array, bool useAsync, CancellationToken cancellationToken) where T : unmanaged
    {
        cancellationToken.ThrowIfCancellationRequested();
        byte[] header = NpyHeader.Format(array.DType, array.Shape);
        if (useAsync)
        {
            await stream.WriteAsync(header, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            stream.Write(header);
        }

        await StreamIo.WriteAsync(stream, array.Data, useAsync, cancellationToken).ConfigureAwait(false);
    }
}

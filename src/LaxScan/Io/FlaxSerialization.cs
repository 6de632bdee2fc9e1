using LaxScan.Linen;

namespace LaxScan.Io;

/// <summary>
/// Flax's msgpack checkpoints (<c>flax.serialization.to_bytes</c> / <c>msgpack_restore</c>) for <see cref="Variables"/>:
/// a msgpack map per dict level, keys in insertion order, each array an ext type 1 holding
/// <c>msgpack((shape, dtype name, C-order bytes))</c>. Files written here load in Flax with
/// <c>flax.serialization.msgpack_restore(open(path, "rb").read())</c> (or <c>from_bytes(target, ...)</c>), and files
/// Flax wrote for float32 (and uint8/16/32/64) variables load here.
/// </summary>
/// <remarks>
/// <para>
/// Writing gives the bytes Flax's <c>to_bytes</c> gives for the same dict, including its chunked form for arrays over
/// 1 GiB. A 0-d array is written as ext 1 with shape <c>()</c>, as Flax writes a 0-d JAX array; Flax's ext 3 (a NumPy
/// scalar) is read as a 0-d array.
/// </para>
/// <para>
/// Reading treats the bytes as untrusted. Anything that is not such a checkpoint, or that LaxScan's variables cannot
/// hold, throws <see cref="FlaxCheckpointException"/> and nothing else; no array is allocated beyond the bytes that
/// back it, and maps may nest at most 64 deep. Leaves must be arrays of float32, uint8, uint16, uint32 or uint64: a
/// float64 or int32 array (which a typed module could not use) is rejected while reading, with its path and dtype in
/// the message, rather than converted. Whether the arrays fit a module (W's shape, a "params" collection) is for
/// <c>Apply</c> to check, which raises Flax's own errors.
/// </para>
/// </remarks>
public static class FlaxSerialization
{
    /// <summary>Encodes variables as Flax's <c>flax.serialization.to_bytes(variables)</c> does.</summary>
    /// <param name="variables">The tree, such as <c>Init</c>'s result.</param>
    /// <returns>The msgpack bytes.</returns>
    /// <exception cref="ArgumentException">A name is not valid Unicode, or a leaf is not an <see cref="NDArray{T}"/> of a LaxScan dtype.</exception>
    /// <exception cref="NotSupportedException">An array has more than 2 GiB.</exception>
    public static byte[] ToBytes(Variables variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return FlaxMsgpackWriter.Write(variables);
    }

    /// <summary>Decodes a checkpoint as Flax's <c>flax.serialization.msgpack_restore</c> does, into variables.</summary>
    /// <param name="data">The msgpack bytes.</param>
    /// <returns>The tree, its dicts in the file's key order.</returns>
    /// <exception cref="FlaxCheckpointException">The bytes are not such a checkpoint, or hold a leaf LaxScan cannot represent.</exception>
    public static Variables FromBytes(ReadOnlySpan<byte> data) => FlaxMsgpackReader.Read(data);

    /// <summary>
    /// Writes <see cref="ToBytes(Variables)"/> to a file atomically, by <see cref="OutputFile"/>'s rules: the bytes go
    /// to a temporary file beside it, flushed to disk, which then replaces <paramref name="path"/> (or the file a
    /// symbolic link there points to). A reader sees the old file or the whole new one, never part of it, even if the
    /// process dies mid-write. A FIFO or a device is written in place.
    /// </summary>
    /// <param name="path">The checkpoint's path, such as <c>variables.msgpack</c>.</param>
    /// <param name="variables">The tree.</param>
    /// <param name="cancellationToken">Checked between chunks of the file; cancelling leaves no file behind.</param>
    /// <exception cref="IOException">The file cannot be written or moved into place, or is a directory or a socket.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory may not be written.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static void WriteFile(string path, Variables variables, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        OutputFile.WriteAllBytes(path, ToBytes(variables), cancellationToken);
    }

    /// <summary>Reads a checkpoint file with <see cref="FromBytes(ReadOnlySpan{byte})"/>.</summary>
    /// <param name="path">The checkpoint's path.</param>
    /// <returns>The tree.</returns>
    /// <exception cref="FlaxCheckpointException">The file is not such a checkpoint, or is over 2 GiB.</exception>
    /// <exception cref="IOException">The file cannot be read (<see cref="FileNotFoundException"/> when absent).</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static Variables ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return FromBytes(StreamIo.Sync(ReadAllAsync(stream, path, useAsync: false, CancellationToken.None)));
    }

    /// <summary>Reads a checkpoint file asynchronously, as <see cref="ReadFile(string)"/> does.</summary>
    /// <param name="path">The checkpoint's path.</param>
    /// <param name="cancellationToken">Checked before each read of the file (at most 1 MiB).</param>
    /// <returns>The tree.</returns>
    /// <exception cref="FlaxCheckpointException">The file is not such a checkpoint, or is over 2 GiB.</exception>
    /// <exception cref="IOException">The file cannot be read (<see cref="FileNotFoundException"/> when absent).</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static Task<Variables> ReadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return ReadFileCoreAsync(path, cancellationToken);

        static async Task<Variables> ReadFileCoreAsync(string path, CancellationToken cancellationToken)
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096, FileOptions.Asynchronous);
            return FromBytes(await ReadAllAsync(stream, path, useAsync: true, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>Reads a checkpoint from a stream, from its current position to its end, with <see cref="FromBytes(ReadOnlySpan{byte})"/>.</summary>
    /// <param name="stream">The stream; it is not closed.</param>
    /// <param name="name">The name used in error messages; by default the file name of a <see cref="FileStream"/>, else <c>&lt;stream&gt;</c>.</param>
    /// <returns>The tree.</returns>
    /// <exception cref="FlaxCheckpointException">The bytes are not such a checkpoint, or are over 2 GiB.</exception>
    /// <exception cref="IOException">Reading the stream fails.</exception>
    public static Variables Read(Stream stream, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return FromBytes(StreamIo.Sync(ReadAllAsync(stream, StreamIo.NameOf(stream, name), useAsync: false, CancellationToken.None)));
    }

    /// <summary>Reads a checkpoint from a stream asynchronously, as <see cref="Read(Stream, string?)"/> does.</summary>
    /// <param name="stream">The stream; it is not closed.</param>
    /// <param name="name">The name used in error messages; by default the file name of a <see cref="FileStream"/>, else <c>&lt;stream&gt;</c>.</param>
    /// <param name="cancellationToken">Checked before each read of the stream (at most 1 MiB), and passed to it.</param>
    /// <returns>The tree.</returns>
    /// <exception cref="FlaxCheckpointException">The bytes are not such a checkpoint, or are over 2 GiB.</exception>
    /// <exception cref="IOException">Reading the stream fails.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; the stream's position is then undefined.</exception>
    public static Task<Variables> ReadAsync(Stream stream, string? name = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ReadCoreAsync(stream, StreamIo.NameOf(stream, name), cancellationToken);

        static async Task<Variables> ReadCoreAsync(Stream stream, string name, CancellationToken cancellationToken) =>
            FromBytes(await ReadAllAsync(stream, name, useAsync: true, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Writes <see cref="ToBytes(Variables)"/> to a stream at its current position.</summary>
    /// <param name="stream">The stream; it is neither flushed nor closed.</param>
    /// <param name="variables">The tree.</param>
    /// <param name="cancellationToken">Checked between chunks (at most 1 MiB).</param>
    /// <exception cref="ArgumentException">A name is not valid Unicode, or a leaf is not an <see cref="NDArray{T}"/> of a LaxScan dtype.</exception>
    /// <exception cref="NotSupportedException">An array has more than 2 GiB.</exception>
    /// <exception cref="IOException">Writing to the stream fails.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled (the stream then holds part of the checkpoint).</exception>
    public static void Write(Stream stream, Variables variables, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        StreamIo.Sync(StreamIo.WriteAsync(stream, ToBytes(variables), useAsync: false, cancellationToken));
    }

    /// <summary>Writes <see cref="ToBytes(Variables)"/> to a stream at its current position, asynchronously.</summary>
    /// <param name="stream">The stream; it is neither flushed nor closed.</param>
    /// <param name="variables">The tree.</param>
    /// <param name="cancellationToken">Checked between chunks (at most 1 MiB), and passed to the stream.</param>
    /// <returns>A task that completes when the stream has been handed every byte.</returns>
    /// <exception cref="ArgumentException">A name is not valid Unicode, or a leaf is not an <see cref="NDArray{T}"/> of a LaxScan dtype.</exception>
    /// <exception cref="NotSupportedException">An array has more than 2 GiB.</exception>
    /// <exception cref="IOException">Writing to the stream fails.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled (the stream then holds part of the checkpoint).</exception>
    public static Task WriteAsync(Stream stream, Variables variables, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return StreamIo.WriteAsync(stream, ToBytes(variables), useAsync: true, cancellationToken).AsTask();
    }

    /// <summary>Writes a checkpoint file atomically and asynchronously, by the rules of <see cref="WriteFile(string, Variables, CancellationToken)"/>.</summary>
    /// <param name="path">The checkpoint's path, such as <c>variables.msgpack</c>.</param>
    /// <param name="variables">The tree.</param>
    /// <param name="cancellationToken">Checked between chunks of the file (at most 1 MiB); cancelling leaves no file behind.</param>
    /// <returns>A task that completes when the file is in place.</returns>
    /// <exception cref="ArgumentException">A name is not valid Unicode, or a leaf is not an <see cref="NDArray{T}"/> of a LaxScan dtype.</exception>
    /// <exception cref="NotSupportedException">An array has more than 2 GiB.</exception>
    /// <exception cref="IOException">The file cannot be written or moved into place, or is a directory or a socket.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory may not be written.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static Task WriteFileAsync(string path, Variables variables, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        byte[] bytes = ToBytes(variables);
        return WriteFileCoreAsync(path, bytes, cancellationToken);

        static async Task WriteFileCoreAsync(string path, byte[] bytes, CancellationToken cancellationToken)
        {
            // The token reaches the open too: a FIFO with no reader waits there, and a cancelled token makes no file.
            using OutputFile file = OutputFile.Create(path, cancellationToken);
            await StreamIo.WriteAsync(file.Stream, bytes, useAsync: true, cancellationToken).ConfigureAwait(false);
            await file.Stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            file.Commit();
        }
    }

    /// <summary>
    /// The rest of a stream, at most 2 GiB (the most one byte array holds): a seekable stream's length is checked
    /// first; a pipe (a FIFO, /dev/stdin, a shell's <c>&lt;(...)</c>) is read to its end, capped as it grows.
    /// </summary>
    private static async ValueTask<byte[]> ReadAllAsync(Stream stream, string name, bool useAsync, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (stream.CanSeek)
        {
            long remaining = Math.Max(0, stream.Length - stream.Position);
            if (remaining > Array.MaxLength)
            {
                throw new FlaxCheckpointException($"\"{name}\" has {ArraySize.FormatBytes(remaining)}; LaxScan reads checkpoints of up to 2 GiB");
            }

            byte[] bytes = new byte[remaining];
            int got = await StreamIo.ReadFullyAsync(stream, bytes, useAsync, cancellationToken).ConfigureAwait(false);

            // A file that shrank while being read holds a truncated checkpoint, which the msgpack reader reports.
            return got == bytes.Length ? bytes : bytes[..got];
        }

        using var buffer = new MemoryStream();
        byte[] chunk = new byte[1 << 16];
        int n;
        while ((n = await StreamIo.ReadFullyAsync(stream, chunk, useAsync, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + n > Array.MaxLength)
            {
                throw new FlaxCheckpointException($"\"{name}\" has more than 2 GiB; LaxScan reads checkpoints of up to 2 GiB");
            }

            buffer.Write(chunk, 0, n);
        }

        return buffer.ToArray();
    }
}

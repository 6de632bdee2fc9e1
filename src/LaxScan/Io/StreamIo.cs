using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LaxScan.Io;

/// <summary>
/// The stream reads and writes behind both the synchronous and the asynchronous readers and writers. Each reader is
/// written once, as an async method taking <c>useAsync</c>: with false, every call here runs synchronously on the
/// stream's synchronous methods and the returned task is already complete (<see cref="Sync{T}(ValueTask{T})"/> takes
/// its result), so the parsing and checking code exists once and the synchronous path never blocks on a task.
/// </summary>
internal static class StreamIo
{
    /// <summary>The name a stream goes by in error messages: the caller's, else a file stream's path, else <c>&lt;stream&gt;</c>.</summary>
    internal static string NameOf(Stream stream, string? name) => name ?? (stream as FileStream)?.Name ?? "<stream>";

    /// <summary>How much one read or write hands the stream at most, and how often cancellation is checked.</summary>
    internal const int ChunkBytes = 1 << 20;

    /// <summary>The result of a task run with <c>useAsync: false</c>, which completed synchronously.</summary>
    internal static T Sync<T>(ValueTask<T> task)
    {
        Debug.Assert(task.IsCompleted, "a reader run with useAsync: false must complete synchronously");
        return task.GetAwaiter().GetResult();
    }

    /// <summary>Waits for nothing: completes a task run with <c>useAsync: false</c>, rethrowing its exception.</summary>
    internal static void Sync(ValueTask task)
    {
        Debug.Assert(task.IsCompleted, "a writer run with useAsync: false must complete synchronously");
        task.GetAwaiter().GetResult();
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns how many bytes arrived.</summary>
    internal static async ValueTask<int> ReadFullyAsync(Stream stream, Memory<byte> buffer, bool useAsync, CancellationToken cancellationToken)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Memory<byte> rest = buffer[total..][..Math.Min(buffer.Length - total, ChunkBytes)];
            int read = useAsync
                ? await stream.ReadAsync(rest, cancellationToken).ConfigureAwait(false)
                : stream.Read(rest.Span);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    /// <summary>
    /// Reads the byte range [<paramref name="from"/>, <paramref name="to"/>) of an array's memory from the stream,
    /// returning where it stopped (less than <paramref name="to"/> at the end of the stream). Byte offsets, because a
    /// <typeparamref name="T"/>[] of more than 2 GiB cannot be viewed as one span of bytes.
    /// </summary>
    internal static async ValueTask<long> FillAsync<T>(Stream stream, T[] data, long from, long to, bool useAsync, CancellationToken cancellationToken)
        where T : unmanaged
    {
        if (!useAsync)
        {
            return Fill(stream, data, from, to, cancellationToken);
        }

        // A Memory<byte> cannot view a T[], so asynchronous reads land in a pooled chunk and are copied over: one
        // memory copy per MiB, small beside the read itself.
        byte[] chunk = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(to - from, 1), ChunkBytes));
        try
        {
            long position = from;
            while (position < to)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int length = (int)Math.Min(to - position, chunk.Length);
                int read = await stream.ReadAsync(chunk.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                chunk.AsSpan(0, read).CopyTo(Window(data, position, read));
                position += read;
            }

            return position;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>Writes an array's elements as their bytes, in chunks between which the token is checked.</summary>
    internal static async ValueTask WriteAsync<T>(Stream stream, T[] data, bool useAsync, CancellationToken cancellationToken)
        where T : unmanaged
    {
        if (!useAsync)
        {
            Write(stream, (ReadOnlySpan<T>)data, cancellationToken);
            return;
        }

        cancellationToken.ThrowIfCancellationRequested();
        long total = (long)data.Length * Unsafe.SizeOf<T>();
        byte[] chunk = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(total, 1), ChunkBytes));
        try
        {
            for (long position = 0; position < total;)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int length = (int)Math.Min(total - position, chunk.Length);
                Window(data, position, length).CopyTo(chunk);
                await stream.WriteAsync(chunk.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                position += length;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>Writes elements as their little-endian bytes in chunks, so cancellation is noticed and no span exceeds 2 GiB.</summary>
    internal static void Write<T>(Stream stream, ReadOnlySpan<T> data, CancellationToken cancellationToken)
        where T : unmanaged
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

    private static long Fill<T>(Stream stream, T[] data, long from, long to, CancellationToken cancellationToken)
        where T : unmanaged
    {
        long position = from;
        while (position < to)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int length = (int)Math.Min(to - position, ChunkBytes);
            int read = stream.Read(Window(data, position, length));
            if (read == 0)
            {
                break;
            }

            position += read;
        }

        return position;
    }

    /// <summary>The bytes [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="length"/>) of an array's memory.</summary>
    private static Span<byte> Window<T>(T[] data, long offset, int length)
        where T : unmanaged
    {
        Debug.Assert(offset >= 0 && offset + length <= (long)data.Length * Unsafe.SizeOf<T>());
        ref byte origin = ref Unsafe.As<T, byte>(ref MemoryMarshal.GetArrayDataReference(data));
        return MemoryMarshal.CreateSpan(ref Unsafe.AddByteOffset(ref origin, (nint)offset), length);
    }
}

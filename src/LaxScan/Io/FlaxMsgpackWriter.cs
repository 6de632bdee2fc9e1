using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using LaxScan.Linen;
using MessagePack;

namespace LaxScan.Io;

/// <summary>
/// Encodes <see cref="Variables"/> in the bytes of Flax's <c>to_bytes</c> (flax/serialization.py): <c>msgpack.packb(
/// state_dict, default=_msgpack_ext_pack, strict_types=True)</c> with Python msgpack 1.x's defaults, keys in insertion
/// order, each array an ext 1 whose payload is <c>packb((shape, dtype.name, tobytes('C')), use_bin_type=True)</c>.
/// </summary>
internal static class FlaxMsgpackWriter
{
    /// <summary>Flax's <c>MAX_CHUNK_SIZE</c>: arrays of more bytes are written as chunked dicts.</summary>
    internal const long MaxChunkSize = 1L << 30;

    private const sbyte ExtNdarray = 1;

    // Python's msgpack cannot encode a str with lone surrogates; a replacing encoder would save a different name.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] Write(Variables variables, long maxChunkSize = MaxChunkSize)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        WriteDict(ref writer, variables, maxChunkSize, []);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteDict(ref MessagePackWriter writer, Variables dict, long maxChunkSize, List<string> path)
    {
        writer.WriteMapHeader(dict.Count);
        foreach (VariableEntry entry in dict)
        {
            path.Add(entry.Key);
            WriteKey(ref writer, entry.Key, path);
            if (entry.Leaf is { } leaf)
            {
                long bytes = leaf.Shape.Size * leaf.DType.ItemSize();
                if (bytes > Array.MaxLength)
                {
                    // The whole checkpoint is one byte[]; Flax's chunking exists for files past msgpack's 4 GiB limit.
                    throw new NotSupportedException($"\"{string.Join('/', path)}\" ({leaf.TypeString}) has {ArraySize.FormatBytes(bytes)}; LaxScan writes checkpoints of up to 2 GiB");
                }

                if (bytes > maxChunkSize)
                {
                    WriteChunked(ref writer, leaf, maxChunkSize);
                }
                else
                {
                    WriteArray(ref writer, leaf.DType, leaf.Shape.Dimensions, Bytes(leaf));
                }
            }
            else
            {
                WriteDict(ref writer, entry.Dict!, maxChunkSize, path);
            }

            path.RemoveAt(path.Count - 1);
        }
    }

    private static void WriteKey(ref MessagePackWriter writer, string key, List<string> path)
    {
        byte[] utf8;
        try
        {
            utf8 = StrictUtf8.GetBytes(key);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"the name at \"{string.Join('/', path)}\" is not valid Unicode (it has a lone surrogate), so msgpack cannot store it", nameof(path), e);
        }

        writer.WriteString(utf8);
    }

    // Flax's _chunk: {'__msgpack_chunked_array__': True, 'shape': {'0': d0, ...}, 'chunks': {'0': flat[0:n], ...}}
    // with n = max(1, int(MAX_CHUNK_SIZE / itemsize)) elements per chunk.
    private static void WriteChunked(ref MessagePackWriter writer, INDArray leaf, long maxChunkSize)
    {
        int itemSize = leaf.DType.ItemSize();
        long chunkElements = Math.Max(1, maxChunkSize / itemSize);
        ReadOnlySpan<byte> all = Bytes(leaf);
        long count = leaf.Shape.Size;

        writer.WriteMapHeader(3);
        writer.Write(FlaxMsgpackReader.ChunkedMarker);
        writer.Write(true);
        writer.Write("shape");
        ReadOnlySpan<int> dims = leaf.Shape.Dimensions;
        writer.WriteMapHeader(dims.Length);
        for (int i = 0; i < dims.Length; i++)
        {
            writer.Write(i.ToString(CultureInfo.InvariantCulture));
            writer.Write(dims[i]);
        }

        writer.Write("chunks");
        long chunks = (count + chunkElements - 1) / chunkElements;
        writer.WriteMapHeader(checked((int)chunks));
        for (long c = 0; c < chunks; c++)
        {
            long first = c * chunkElements;
            int n = (int)Math.Min(chunkElements, count - first);
            writer.Write(c.ToString(CultureInfo.InvariantCulture));
            WriteArray(ref writer, leaf.DType, [n], all.Slice(checked((int)(first * itemSize)), n * itemSize));
        }
    }

    private static void WriteArray(ref MessagePackWriter writer, DType dtype, scoped ReadOnlySpan<int> shape, ReadOnlySpan<byte> data)
    {
        // The payload's head (list header, shape, dtype name, bin header) is small; the data follows it unbuffered.
        var head = new ArrayBufferWriter<byte>(64);
        var inner = new MessagePackWriter(head);
        inner.WriteArrayHeader(3);
        inner.WriteArrayHeader(shape.Length);
        foreach (int d in shape)
        {
            inner.Write(d);
        }

        inner.Write(dtype.Name());
        inner.WriteBinHeader(data.Length);
        inner.Flush();

        writer.WriteExtensionFormatHeader(new ExtensionHeader(ExtNdarray, checked((uint)(head.WrittenCount + data.Length))));
        writer.WriteRaw(head.WrittenSpan);
        if (BitConverter.IsLittleEndian)
        {
            writer.WriteRaw(data);
        }
        else
        {
            // NumPy's tobytes() on the x86-64 machines Flax runs on is little-endian; write what they would.
            byte[] copy = data.ToArray();
            FlaxMsgpackReader.ReverseEndianness(copy, dtype.ItemSize());
            writer.WriteRaw(copy);
        }
    }

    private static ReadOnlySpan<byte> Bytes(INDArray leaf) => leaf switch
    {
        NDArray<float> a => MemoryMarshal.AsBytes(a.Span),
        NDArray<byte> a => a.Span,
        NDArray<ushort> a => MemoryMarshal.AsBytes(a.Span),
        NDArray<uint> a => MemoryMarshal.AsBytes(a.Span),
        NDArray<ulong> a => MemoryMarshal.AsBytes(a.Span),
        _ => throw new ArgumentException($"cannot serialize a leaf of type {leaf.GetType().Name} ({leaf.TypeString}); LaxScan writes NDArray<float>, NDArray<byte>, NDArray<ushort>, NDArray<uint> and NDArray<ulong>", nameof(leaf)),
    };
}

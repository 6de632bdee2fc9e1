using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using LaxScan.Linen;
using MessagePack;

namespace LaxScan.Io;

/// <summary>
/// Decodes Flax's <c>msgpack_restore</c> layout (flax/serialization.py) into <see cref="Variables"/>, treating the
/// bytes as untrusted: every length is checked against the bytes that remain before anything is read or allocated,
/// so no array is larger than the input that backs it.
/// </summary>
internal static class FlaxMsgpackReader
{
    /// <summary>How many maps may nest; Flax variable trees are a handful of levels deep.</summary>
    internal const int MaxDepth = 64;

    /// <summary>The most axes an array may have (NumPy 2's limit; NumPy 1 allowed 32).</summary>
    internal const int MaxRank = 64;

    internal const string ChunkedMarker = "__msgpack_chunked_array__";

    private const sbyte ExtNdarray = 1;
    private const sbyte ExtNativeComplex = 2;
    private const sbyte ExtNpScalar = 3;

    // Python's msgpack (raw=False) rejects keys that are not valid UTF-8; a replacing decoder would merge distinct keys.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly Dictionary<string, DType> Supported = new(StringComparer.Ordinal)
    {
        ["float32"] = DType.Float32,
        ["uint8"] = DType.UInt8,
        ["uint16"] = DType.UInt16,
        ["uint32"] = DType.UInt32,
        ["uint64"] = DType.UInt64,
    };

    // NumPy dtype names that Flax can write but LaxScan's arrays cannot hold; told apart from garbage for the message.
    private static readonly HashSet<string> KnownUnsupported = new(StringComparer.Ordinal)
    {
        "float16", "bfloat16", "float64", "float128", "longdouble", "int8", "int16", "int32", "int64", "bool",
        "complex64", "complex128", "complex256", "float8_e4m3fn", "float8_e5m2", "float8_e4m3b11fnuz",
        "float8_e4m3fnuz", "float8_e5m2fnuz", "int4", "uint4", "int2", "uint2", "datetime64", "timedelta64",
    };

    public static unsafe Variables Read(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            throw Fail(0, new PathStack(), "the checkpoint is empty; a Flax checkpoint is a msgpack map such as {\"params\": {...}}");
        }

        fixed (byte* pointer = data)
        {
            using var memory = new PointerMemoryManager(pointer, data.Length);
            var reader = new MessagePackReader(memory.Memory);
            var path = new PathStack();
            try
            {
                if (reader.NextMessagePackType != MessagePackType.Map)
                {
                    throw Fail(0, path, $"the checkpoint starts with {Describe(reader.NextCode)}, not a map; a Flax checkpoint is a msgpack map such as {{\"params\": {{...}}}}");
                }

                DictNode root = ReadMap(ref reader, path);
                if (!reader.End)
                {
                    long extra = reader.Sequence.Length - reader.Consumed;
                    throw Fail(reader.Consumed, path, $"{extra} byte(s) follow the top-level map; a checkpoint holds exactly one msgpack map (Python's msgpack raises ExtraData here)");
                }

                if (root.FindChunkMarker())
                {
                    throw Fail(0, path, $"the top level is a chunked array (it has the key \"{ChunkedMarker}\"), not a variable dict");
                }

                return ToVariables(root, path);
            }
            catch (EndOfStreamException e)
            {
                throw Fail(path.ItemStart, path, $"the item at this offset needs more bytes than the {reader.Sequence.Length - path.ItemStart} that remain: the file is truncated or a length header lies", e);
            }
            catch (MessagePackSerializationException e)
            {
                throw Fail(path.ItemStart, path, $"malformed msgpack: {e.Message}", e);
            }
            catch (InsufficientExecutionStackException e)
            {
                throw Fail(path.ItemStart, path, $"maps nest deeper than {MaxDepth} levels; Flax variable trees are a few levels deep", e);
            }
            catch (OverflowException e)
            {
                throw Fail(path.ItemStart, path, $"a number is out of range: {e.Message}", e);
            }
        }
    }

    private static DictNode ReadMap(ref MessagePackReader reader, PathStack path)
    {
        long start = reader.Consumed;
        CheckClaim(ref reader, start, path, "");
        // MessagePackSecurity.DepthStep's check, without MessagePackSecurity: its hash-flooding comparers reach
        // reflection that Native AOT and trimming reject, and .NET's string hashing is already randomized.
        if (++reader.Depth > MaxDepth)
        {
            throw new InsufficientExecutionStackException($"maps nest deeper than {MaxDepth} levels");
        }

        int count = reader.ReadMapHeader();

        var node = new DictNode(start);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            string key = ReadKey(ref reader, path);
            path.Add(key);
            Node value = ReadValue(ref reader, path);
            path.RemoveAt(path.Count - 1);

            // A Python dict keeps the first position of a repeated key and the last value, and so does msgpack.unpackb.
            if (index.TryGetValue(key, out int at))
            {
                node.Entries[at] = (key, value);
            }
            else
            {
                index.Add(key, node.Entries.Count);
                node.Entries.Add((key, value));
            }
        }

        reader.Depth--;
        return node;
    }

    private static string ReadKey(ref MessagePackReader reader, PathStack path)
    {
        long start = reader.Consumed;
        CheckClaim(ref reader, start, path, "");
        if (reader.NextMessagePackType != MessagePackType.String)
        {
            throw Fail(start, path, $"a map key is {Describe(reader.NextCode)}; Flax's state dicts have string keys only");
        }

        ReadOnlySequence<byte> utf8 = reader.ReadStringSequence() ?? ReadOnlySequence<byte>.Empty;
        try
        {
            return StrictUtf8.GetString(utf8.FirstSpan);
        }
        catch (DecoderFallbackException e)
        {
            throw Fail(start, path, "a map key is not valid UTF-8", e);
        }
    }

    private static Node ReadValue(ref MessagePackReader reader, PathStack path)
    {
        long start = reader.Consumed;
        CheckClaim(ref reader, start, path, "");
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Map:
                return ReadMap(ref reader, path);
            case MessagePackType.Extension:
                return ReadExtension(ref reader, path);
            case MessagePackType.Integer:
                if (reader.NextCode == MessagePackCode.UInt64)
                {
                    ulong big = reader.ReadUInt64();
                    return new OtherNode(start, "an int", big <= long.MaxValue ? (long)big : null);
                }

                return new OtherNode(start, "an int", reader.ReadInt64());
            case MessagePackType.Boolean:
                return new OtherNode(start, reader.ReadBoolean() ? "the bool True" : "the bool False", null);
            case MessagePackType.Nil:
                reader.ReadNil();
                return new OtherNode(start, "None", null);
            case MessagePackType.Float:
                reader.ReadDouble();
                return new OtherNode(start, "a Python float (msgpack float, not an array)", null);
            case MessagePackType.String:
                reader.ReadStringSequence();
                return new OtherNode(start, "a str", null);
            case MessagePackType.Binary:
                reader.ReadBytes();
                return new OtherNode(start, "bytes", null);
            case MessagePackType.Array:
                // Flax's state dicts turn lists and tuples into {"0": ..., "1": ...}; a msgpack array is no variable.
                throw Fail(start, path, "a list (msgpack array) is where an array or a dict should be; Flax's state dicts store lists as dicts with keys \"0\", \"1\", ..., and LaxScan's variables hold arrays and dicts only");
            default:
                throw Fail(start, path, $"{Describe(reader.NextCode)} is not a msgpack value");
        }
    }

    private static ArrayNode ReadExtension(ref MessagePackReader reader, PathStack path)
    {
        long start = reader.Consumed;
        ExtensionHeader header = reader.ReadExtensionFormatHeader();
        ReadOnlySequence<byte> payload = reader.ReadRaw(header.Length);
        switch (header.TypeCode)
        {
            case ExtNdarray:
            case ExtNpScalar:
                // Flax's ext 3 (npscalar) is np.asarray(scalar) in ext 1's layout; ar[()] gives the 0-d value back.
                return ReadArrayPayload(payload, start, header.TypeCode, path);
            case ExtNativeComplex:
                throw Fail(start, path, "a Python complex (ext type 2, native_complex) is no array; LaxScan's variables hold real arrays only");
            default:
                throw Fail(start, path, $"ext type {header.TypeCode} is not one Flax writes (1 = ndarray, 2 = native_complex, 3 = npscalar)");
        }
    }

    // The payload is Flax's _ndarray_to_bytes: msgpack.packb((shape, dtype.name, x.tobytes('C')), use_bin_type=True).
    private static ArrayNode ReadArrayPayload(ReadOnlySequence<byte> payload, long extStart, sbyte code, PathStack path)
    {
        var reader = new MessagePackReader(payload);
        string what = code == ExtNdarray ? "ndarray (ext 1)" : "npscalar (ext 3)";
        try
        {
            CheckClaim(ref reader, extStart, path, $" in the {what} payload");
            int fields = reader.NextMessagePackType == MessagePackType.Array
                ? reader.ReadArrayHeader()
                : throw Fail(extStart, path, $"the {what} payload starts with {Describe(reader.NextCode)}; Flax writes a 3-item list (shape, dtype name, bytes)");
            if (fields != 3)
            {
                throw Fail(extStart, path, $"the {what} payload is a list of {fields} items; Flax writes 3 (shape, dtype name, bytes)");
            }

            CheckClaim(ref reader, extStart, path, $" in the {what} payload");
            int[] shape = ReadShape(ref reader, extStart, what, path);
            CheckClaim(ref reader, extStart, path, $" in the {what} payload");
            string dtypeName = ReadDTypeName(ref reader, extStart, what, path);
            CheckClaim(ref reader, extStart, path, $" in the {what} payload");
            ReadOnlySequence<byte> bytes = reader.NextMessagePackType switch
            {
                // Files from msgpack < 1.0 (use_bin_type off) hold the bytes as raw str; Flax reads both with raw=True.
                MessagePackType.Binary => reader.ReadBytes() ?? default,
                MessagePackType.String => reader.ReadStringSequence() ?? default,
                _ => throw Fail(extStart, path, $"the {what} payload's third item is {Describe(reader.NextCode)}; Flax writes the array's bytes (bin)"),
            };
            if (!reader.End)
            {
                throw Fail(extStart, path, $"{payload.Length - reader.Consumed} byte(s) follow the {what} payload's 3 items");
            }

            if (!Supported.TryGetValue(dtypeName, out DType dtype))
            {
                string shapeText = Shape.Format(shape);
                throw Fail(extStart, path, KnownUnsupported.Contains(dtypeName)
                    ? $"a {dtypeName} array of shape {shapeText}; LaxScan's variables hold float32, uint8, uint16, uint32 and uint64 arrays (LaxScanModule's W is float32), so cast it in Python before saving, e.g. jax.tree_util.tree_map(lambda a: a.astype(np.float32), variables)"
                    : $"unknown dtype name \"{dtypeName}\" in an array of shape {shapeText}; LaxScan reads float32, uint8, uint16, uint32 and uint64");
            }

            int itemSize = dtype.ItemSize();
            if (bytes.Length % itemSize != 0)
            {
                throw Fail(extStart, path, $"a {dtypeName} array holds {bytes.Length} bytes, not a whole number of {itemSize}-byte elements");
            }

            long count = bytes.Length / itemSize;
            long expected = 1;
            foreach (int d in shape)
            {
                // Every dimension is <= int.MaxValue, so the product passes any real count before it can overflow.
                expected = d == 0 || expected == 0 ? 0 : (expected > count ? expected : expected * d);
            }

            if (expected != count)
            {
                throw Fail(extStart, path, $"shape {Shape.Format(shape)} does not match the {dtypeName} data: {bytes.Length} bytes hold {count} elements");
            }

            return new ArrayNode(extStart, dtype, shape, [bytes]);
        }
        catch (EndOfStreamException e)
        {
            throw Fail(extStart, path, $"the {what} payload is cut short: an item in it claims more bytes than the payload's {payload.Length} hold", e);
        }
        catch (MessagePackSerializationException e)
        {
            throw Fail(extStart, path, $"the {what} payload is malformed msgpack: {e.Message}", e);
        }
        catch (OverflowException e)
        {
            throw Fail(extStart, path, $"the {what} payload has a number out of range: {e.Message}", e);
        }
    }

    private static int[] ReadShape(ref MessagePackReader reader, long extStart, string what, PathStack path)
    {
        if (reader.NextMessagePackType != MessagePackType.Array)
        {
            throw Fail(extStart, path, $"the {what} payload's shape is {Describe(reader.NextCode)}; Flax writes a list of ints");
        }

        int rank = reader.ReadArrayHeader();
        if (rank > MaxRank)
        {
            throw Fail(extStart, path, $"the {what} shape has {rank} axes; at most {MaxRank} are allowed");
        }

        int[] shape = new int[rank];
        for (int axis = 0; axis < rank; axis++)
        {
            if (reader.NextMessagePackType != MessagePackType.Integer)
            {
                throw Fail(extStart, path, $"axis {axis} of the {what} shape is {Describe(reader.NextCode)}, not an int");
            }

            // A uint64 above long.MaxValue would overflow ReadInt64; it is out of range either way.
            string text;
            long d;
            if (reader.NextCode == MessagePackCode.UInt64)
            {
                ulong u = reader.ReadUInt64();
                d = u > int.MaxValue ? -1 : (long)u;
                text = u.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                d = reader.ReadInt64();
                text = d.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            if (d < 0 || d > int.MaxValue)
            {
                throw Fail(extStart, path, $"axis {axis} of the {what} shape is {text}; each dimension must be in [0, {int.MaxValue}]");
            }

            shape[axis] = (int)d;
        }

        return shape;
    }

    private static string ReadDTypeName(ref MessagePackReader reader, long extStart, string what, PathStack path)
    {
        ReadOnlySequence<byte>? name = reader.NextMessagePackType switch
        {
            // Flax unpacks the payload with raw=True, so the name may be str or bin.
            MessagePackType.String => reader.ReadStringSequence(),
            MessagePackType.Binary => reader.ReadBytes(),
            _ => throw Fail(extStart, path, $"the {what} payload's dtype name is {Describe(reader.NextCode)}; Flax writes a str such as \"float32\""),
        };
        ReadOnlySpan<byte> bytes = name.HasValue ? name.Value.FirstSpan : default;
        var text = new StringBuilder();
        foreach (byte b in bytes[..Math.Min(bytes.Length, 40)])
        {
            // Shown in messages: printable ASCII as is, anything else escaped so a hostile name cannot garble a log.
            text.Append(b is >= 0x20 and < 0x7F and not (byte)'"' and not (byte)'\\' ? (char)b : $"\\x{b:x2}");
        }

        return bytes.Length > 40 ? text.Append("...").ToString() : text.ToString();
    }

    /// <summary>
    /// Checks the length in the header of the next item (map, list, str, bin or ext) against the bytes that remain,
    /// before MessagePack-CSharp reads it: the library checks too, but says only "end of stream", and turns a str32
    /// length of 2^31 or more into a negative slice length.
    /// </summary>
    private static void CheckClaim(ref MessagePackReader reader, long offset, PathStack path, string where)
    {
        path.ItemStart = offset;

        // The readers here always wrap one contiguous buffer, so the first span is all of it.
        ReadOnlySpan<byte> rest = reader.Sequence.FirstSpan[(int)reader.Consumed..];
        if (rest.IsEmpty)
        {
            throw Fail(offset, path, $"the data ends{where} where a value should start: the file is truncated");
        }

        byte code = rest[0];
        (string kind, int lengthBytes, long fixedLength, long unit, string units) = code switch
        {
            >= 0x80 and <= 0x8F => ("fixmap", 0, code & 0x0F, 2, "entries"),
            >= 0x90 and <= 0x9F => ("fixarray", 0, code & 0x0F, 1, "items"),
            >= 0xA0 and <= 0xBF => ("fixstr", 0, code & 0x1F, 1, "bytes"),
            0xC4 => ("bin8", 1, 0, 1, "bytes"),
            0xC5 => ("bin16", 2, 0, 1, "bytes"),
            0xC6 => ("bin32", 4, 0, 1, "bytes"),
            0xC7 => ("ext8", 1, 0, 1, "payload bytes"),
            0xC8 => ("ext16", 2, 0, 1, "payload bytes"),
            0xC9 => ("ext32", 4, 0, 1, "payload bytes"),
            0xD4 => ("fixext1", 0, 1, 1, "payload bytes"),
            0xD5 => ("fixext2", 0, 2, 1, "payload bytes"),
            0xD6 => ("fixext4", 0, 4, 1, "payload bytes"),
            0xD7 => ("fixext8", 0, 8, 1, "payload bytes"),
            0xD8 => ("fixext16", 0, 16, 1, "payload bytes"),
            0xD9 => ("str8", 1, 0, 1, "bytes"),
            0xDA => ("str16", 2, 0, 1, "bytes"),
            0xDB => ("str32", 4, 0, 1, "bytes"),
            0xDC => ("array16", 2, 0, 1, "items"),
            0xDD => ("array32", 4, 0, 1, "items"),
            0xDE => ("map16", 2, 0, 2, "entries"),
            0xDF => ("map32", 4, 0, 2, "entries"),
            _ => ((string)null!, 0, 0L, 0L, (string)null!),
        };
        if (kind is null)
        {
            return;
        }

        // An ext header also holds its one-byte type code after the length.
        int headerSize = 1 + lengthBytes + (kind.StartsWith("ext", StringComparison.Ordinal) || kind.StartsWith("fixext", StringComparison.Ordinal) ? 1 : 0);
        if (rest.Length < headerSize)
        {
            throw Fail(offset, path, $"the {kind} header{where} is cut short: the file is truncated");
        }

        long claimed = lengthBytes switch
        {
            1 => rest[1],
            2 => BinaryPrimitives.ReadUInt16BigEndian(rest[1..]),
            4 => BinaryPrimitives.ReadUInt32BigEndian(rest[1..]),
            _ => fixedLength,
        };

        // A list item or a map's key and value take at least one byte each, so a count is bounded by the bytes too.
        long remaining = rest.Length - headerSize;
        if (claimed * unit > remaining)
        {
            throw Fail(offset, path, $"the {kind} header{where} claims {claimed} {units} but only {remaining} bytes remain: the file is truncated or the length lies");
        }
    }

    private static Variables ToVariables(DictNode node, PathStack path)
    {
        var entries = new VariableEntry[node.Entries.Count];
        for (int i = 0; i < entries.Length; i++)
        {
            (string key, Node value) = node.Entries[i];
            path.Add(key);
            entries[i] = value switch
            {
                DictNode dict when dict.FindChunkMarker() => new VariableEntry(key, Materialize(Unchunk(dict, path), path), null),
                DictNode dict => new VariableEntry(key, null, ToVariables(dict, path)),
                ArrayNode array => new VariableEntry(key, Materialize(array, path), null),
                OtherNode other => throw Fail(other.Offset, path, $"the value is {other.Description}; LaxScan's variables hold arrays (Flax's ext type 1) and dicts only"),
                _ => throw new InvalidOperationException("unreachable"),
            };
            path.RemoveAt(path.Count - 1);
        }

        return Variables.FromUniqueEntries(entries);
    }

    // Flax's _unchunk: shape = tuple(d['shape'][str(i)] for i in range(len(d['shape']))), the chunks likewise,
    // concatenated and reshaped. Other keys are ignored, as Flax ignores them.
    private static ArrayNode Unchunk(DictNode dict, PathStack path)
    {
        DictNode shapeDict = dict.Get("shape") as DictNode
            ?? throw Fail(dict.Offset, path, "a chunked array (a dict with \"__msgpack_chunked_array__\") has no \"shape\" dict");
        DictNode chunkDict = dict.Get("chunks") as DictNode
            ?? throw Fail(dict.Offset, path, "a chunked array has no \"chunks\" dict");
        if (shapeDict.Entries.Count > MaxRank)
        {
            throw Fail(shapeDict.Offset, path, $"a chunked array's shape has {shapeDict.Entries.Count} axes; at most {MaxRank} are allowed");
        }

        int[] shape = new int[shapeDict.Entries.Count];
        for (int axis = 0; axis < shape.Length; axis++)
        {
            Node? n = shapeDict.Get(axis.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (n is not OtherNode { Integer: long d } || d < 0 || d > int.MaxValue)
            {
                throw Fail(shapeDict.Offset, path, $"a chunked array's shape has no int in [0, {int.MaxValue}] under \"{axis}\"");
            }

            shape[axis] = (int)d;
        }

        if (chunkDict.Entries.Count == 0)
        {
            throw Fail(chunkDict.Offset, path, "a chunked array has no chunks (numpy's concatenate needs at least one)");
        }

        var pieces = new List<ReadOnlySequence<byte>>(chunkDict.Entries.Count);
        DType? dtype = null;
        long total = 0;
        for (int i = 0; i < chunkDict.Entries.Count; i++)
        {
            Node? n = chunkDict.Get(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (n is not ArrayNode chunk)
            {
                throw Fail(chunkDict.Offset, path, $"a chunked array has no array under chunks/\"{i}\"");
            }

            if (chunk.Shape.Length != 1 || (dtype is not null && chunk.DType != dtype))
            {
                throw Fail(chunk.Offset, path, $"chunk {i} is a {chunk.DType.Name()} array of shape {Shape.Format(chunk.Shape)}; Flax writes 1-D chunks of one dtype{(dtype is null ? "" : $" ({dtype.Value.Name()})")}");
            }

            dtype = chunk.DType;
            total += chunk.Shape[0];
            pieces.AddRange(chunk.Pieces);
        }

        long expected = 1;
        foreach (int d in shape)
        {
            expected = d == 0 || expected == 0 ? 0 : (expected > total ? expected : expected * d);
        }

        if (expected != total)
        {
            throw Fail(dict.Offset, path, $"a chunked array's shape {Shape.Format(shape)} does not match its chunks, which hold {total} elements");
        }

        return new ArrayNode(dict.Offset, dtype!.Value, shape, pieces);
    }

    private static INDArray Materialize(ArrayNode node, PathStack path) => node.DType switch
    {
        DType.Float32 => Materialize<float>(node),
        DType.UInt8 => Materialize<byte>(node),
        DType.UInt16 => Materialize<ushort>(node),
        DType.UInt32 => Materialize<uint>(node),
        DType.UInt64 => Materialize<ulong>(node),
        _ => throw Fail(node.Offset, path, $"dtype {node.DType} cannot be read"),
    };

    private static NDArray<T> Materialize<T>(ArrayNode node) where T : unmanaged
    {
        var shape = new Shape(node.Shape);
        var data = new T[shape.Size];
        Span<byte> target = MemoryMarshal.AsBytes(data.AsSpan());
        foreach (ReadOnlySequence<byte> piece in node.Pieces)
        {
            piece.CopyTo(target);
            target = target[(int)piece.Length..];
        }

        // NumPy's tobytes() is in the writer's byte order, and Flax's files come from little-endian machines.
        if (!BitConverter.IsLittleEndian)
        {
            ReverseEndianness(MemoryMarshal.AsBytes(data.AsSpan()), Unsafe.SizeOf<T>());
        }

        return new NDArray<T>(shape, data);
    }

    internal static void ReverseEndianness(Span<byte> bytes, int itemSize)
    {
        switch (itemSize)
        {
            case 2:
                BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ushort>(bytes), MemoryMarshal.Cast<byte, ushort>(bytes));
                break;
            case 4:
                BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, uint>(bytes), MemoryMarshal.Cast<byte, uint>(bytes));
                break;
            case 8:
                BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ulong>(bytes), MemoryMarshal.Cast<byte, ulong>(bytes));
                break;
        }
    }

    private static string Describe(byte code) => MessagePackCode.ToMessagePackType(code) switch
    {
        MessagePackType.Integer => "an int",
        MessagePackType.Nil => "None",
        MessagePackType.Boolean => "a bool",
        MessagePackType.Float => "a float",
        MessagePackType.String => "a str",
        MessagePackType.Binary => "bytes",
        MessagePackType.Array => "a list",
        MessagePackType.Map => "a map",
        MessagePackType.Extension => "an ext value",
        _ => $"the byte 0x{code:X2}, which no msgpack type uses",
    };

    private static FlaxCheckpointException Fail(long offset, PathStack path, string problem, Exception? inner = null)
    {
        string where = string.Join('/', path);
        string location = where.Length == 0 ? $"at byte {offset}" : $"at byte {offset}, under \"{where}\"";
        return new FlaxCheckpointException($"not a loadable Flax checkpoint ({location}): {problem}", offset, where, inner);
    }

    /// <summary>The names leading to the item being read, and where that item starts, for messages.</summary>
    private sealed class PathStack : List<string>
    {
        public long ItemStart { get; set; }
    }

    private abstract class Node(long offset)
    {
        public long Offset { get; } = offset;
    }

    private sealed class DictNode(long offset) : Node(offset)
    {
        public List<(string Key, Node Value)> Entries { get; } = [];

        // Flax's _unchunk_array_leaves_in_place tests only that the key is present, whatever its value.
        public bool FindChunkMarker() => Get(ChunkedMarker) is not null;

        public Node? Get(string key)
        {
            foreach ((string k, Node v) in Entries)
            {
                if (string.Equals(k, key, StringComparison.Ordinal))
                {
                    return v;
                }
            }

            return null;
        }
    }

    private sealed class ArrayNode(long offset, DType dtype, int[] shape, List<ReadOnlySequence<byte>> pieces) : Node(offset)
    {
        public DType DType { get; } = dtype;

        public int[] Shape { get; } = shape;

        // Slices of the input, copied only once the whole file has parsed, so a chunked array is allocated once.
        public List<ReadOnlySequence<byte>> Pieces { get; } = pieces;
    }

    private sealed class OtherNode(long offset, string description, long? integer) : Node(offset)
    {
        public string Description { get; } = description;

        public long? Integer { get; } = integer;
    }

    // MessagePackReader reads ReadOnlyMemory, not spans; this lends it the caller's pinned span without a copy. It
    // lives only inside Read's fixed block, and nothing read from it outlives the call.
    private sealed unsafe class PointerMemoryManager : MemoryManager<byte>
    {
        private readonly byte* _pointer;
        private readonly int _length;

        public PointerMemoryManager(byte* pointer, int length)
        {
            _pointer = pointer;
            _length = length;
        }

        public override Span<byte> GetSpan() => new(_pointer, _length);

        public override MemoryHandle Pin(int elementIndex = 0) => new(_pointer + elementIndex);

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }
}

using System.Diagnostics;
using LaxScan.Io;
using LaxScan.Linen;
using MessagePack;
using static LaxScan.Tests.Io.FlaxMsgpackTestData;

namespace LaxScan.Tests.Io;

/// <summary>Untrusted bytes: each malformed checkpoint throws <see cref="FlaxCheckpointException"/> with a clear message.</summary>
public sealed class FlaxMsgpackHostileTests
{
    private static readonly byte[] F32x4 = Float32Bytes(4);

    public static TheoryData<string, byte[], string> Cases() => new()
    {
        { "empty input", [], "the checkpoint is empty" },
        { "top level is a list", [0x90], "starts with a list, not a map" },
        { "unused type byte 0xC1", [0xC1], "0xC1, which no msgpack type uses" },
        { "bytes after the top-level map", [0x80, 0x00], "1 byte(s) follow the top-level map" },
        { "map32 claiming 2^32-1 entries", [0xDF, 0xFF, 0xFF, 0xFF, 0xFF], "the map32 header claims 4294967295 entries but only 0 bytes remain" },
        { "a list leaf", UnderParamsW([0x92, 0x01, 0x02]), "a list (msgpack array) is where an array or a dict should be" },
        { "truncated inside a key", [0x81, 0xA6, 0x70, 0x61], "the fixstr header claims 6 bytes but only 2 bytes remain" },
        { "truncated float", UnderParamsW([0xCB, 0, 0]), "needs more bytes than the 3 that remain" },
        { "map16 claiming more entries than bytes", [0xDE, 0x10, 0x00, 0xA1, 0x61], "claims 4096 entries but only 2 bytes remain" },
        { "str32 key claiming 2 GiB", [0x81, 0xDB, 0x7F, 0xFF, 0xFF, 0xFF, 0x61], "the str32 header claims 2147483647 bytes but only 1 bytes remain" },
        { "int key", [0x81, 0x01, 0x80], "a map key is an int; Flax's state dicts have string keys only" },
        { "bin key", [0x81, 0xC4, 0x01, 0x61, 0x80], "a map key is bytes" },
        { "invalid UTF-8 key", [0x81, 0xA2, 0xC3, 0x28, 0x80], "not valid UTF-8" },
        { "ext32 claiming 2 GiB", UnderParamsW([0xC9, 0x7F, 0xFF, 0xFF, 0xFF, 0x01, 0x93]), "the ext32 header claims 2147483647 payload bytes but only 1 bytes remain" },
        { "array32 leaf claiming 4G items", UnderParamsW([0xDD, 0xFF, 0xFF, 0xFF, 0xFF]), "the array32 header claims 4294967295 items but only 0 bytes remain" },
        { "ext type 5", UnderParamsW(Ext(5, Payload([4], "float32", F32x4))), "ext type 5 is not one Flax writes" },
        { "ext type -1 (timestamp)", UnderParamsW(Ext(-1, [0, 0, 0, 0])), "ext type -1 is not one Flax writes" },
        { "ext type 2 (complex)", UnderParamsW(Ext(2, [0x92, 0x00, 0x00])), "a Python complex (ext type 2" },
        { "payload bin claiming more than the payload", UnderParamsW(Ext(1, [0x93, 0x91, 0x04, .. Str("float32"), 0xC6, 0x7F, 0xFF, 0xFF, 0xFF, 0x00])), "the bin32 header in the ndarray (ext 1) payload claims 2147483647 bytes but only 1 bytes remain" },
        { "payload not a list", UnderParamsW(Ext(1, [0xC0])), "payload starts with None" },
        { "payload of 2 items", UnderParamsW(Ext(1, [0x92, 0x90, .. Str("float32")])), "a list of 2 items" },
        { "payload with trailing bytes", UnderParamsW(Ext(1, [.. Payload([4], "float32", F32x4), 0x00])), "1 byte(s) follow the ndarray (ext 1) payload" },
        { "shape not a list", UnderParamsW(Ext(1, [0x93, 0x04, .. Str("float32"), 0xC4, 0x00])), "shape is an int; Flax writes a list of ints" },
        { "shape with a str", UnderParamsW(Ext(1, [0x93, 0x91, 0xA1, 0x61, .. Str("float32"), 0xC4, 0x00])), "axis 0 of the ndarray (ext 1) shape is a str" },
        { "negative dimension", UnderParamsW(Ext(1, Payload([-1], "float32", F32x4))), "axis 0 of the ndarray (ext 1) shape is -1" },
        { "dimension over int32", UnderParamsW(Ext(1, Payload([1L << 40], "float32", F32x4))), "shape is 1099511627776; each dimension must be in [0, 2147483647]" },
        { "dimension of uint64 max", UnderParamsW(Ext(1, [0x93, 0x91, 0xCF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, .. Str("float32"), 0xC4, 0x00])), "shape is 18446744073709551615" },
        { "rank 65", UnderParamsW(Ext(1, Payload([.. Enumerable.Repeat(1L, 65)], "float32", F32x4))), "has 65 axes; at most 64" },
        { "shape claims 2^62 elements over 16 bytes", UnderParamsW(Ext(1, Payload([int.MaxValue, int.MaxValue], "float32", F32x4))), "shape (2147483647, 2147483647) does not match the float32 data: 16 bytes hold 4 elements" },
        { "shape (4, 4) over 16 bytes", UnderParamsW(Ext(1, Payload([4, 4], "float32", F32x4))), "shape (4, 4) does not match" },
        { "bytes not a whole number of elements", UnderParamsW(Ext(1, Payload([4], "float32", [.. F32x4, 0]))), "holds 17 bytes, not a whole number of 4-byte elements" },
        { "unknown dtype name", UnderParamsW(Ext(1, Payload([4], "florp32", F32x4))), "unknown dtype name \"florp32\"" },
        { "dtype name with control bytes", UnderParamsW(Ext(1, Payload([4], "f\n\u001b[31m", F32x4))), "unknown dtype name \"f\\x0a\\x1b[31m\"" },
        { "dtype name not a str", UnderParamsW(Ext(1, [0x93, 0x90, 0x01, 0xC4, 0x00])), "dtype name is an int" },
        { "int32 array", UnderParamsW(Ext(1, Payload([4], "int32", F32x4))), "a int32 array of shape (4,)" },
        { "a float leaf", UnderParamsW([0xCB, 0, 0, 0, 0, 0, 0, 0, 0]), "a Python float" },
        { "a None leaf", UnderParamsW([0xC0]), "the value is None" },
        { "a str leaf", UnderParamsW(Str("x")), "the value is a str" },
        { "chunked top level", [0x81, .. Str(FlaxMsgpackReader.ChunkedMarker), 0xC3], "the top level is a chunked array" },
        { "chunked without shape", UnderParamsW([0x81, .. Str(FlaxMsgpackReader.ChunkedMarker), 0xC3]), "has no \"shape\" dict" },
        { "chunked without chunks", UnderParamsW([0x82, .. Str(FlaxMsgpackReader.ChunkedMarker), 0xC3, .. Str("shape"), 0x81, .. Str("0"), 0x04]), "has no \"chunks\" dict" },
        { "chunked shape with a gap", UnderParamsW([0x83, .. Str(FlaxMsgpackReader.ChunkedMarker), 0xC3, .. Str("shape"), 0x81, .. Str("1"), 0x04, .. Str("chunks"), 0x81, .. Str("0"), .. Ext(1, Payload([4], "float32", F32x4))]), "no int in [0, 2147483647] under \"0\"" },
        { "chunked with no chunks", UnderParamsW([0x83, .. Str(FlaxMsgpackReader.ChunkedMarker), 0xC3, .. Str("shape"), 0x81, .. Str("0"), 0x04, .. Str("chunks"), 0x80]), "has no chunks" },
        { "chunked shape and chunks disagree", UnderParamsW([0x83, .. Str(FlaxMsgpackReader.ChunkedMarker), 0xC3, .. Str("shape"), 0x81, .. Str("0"), 0x05, .. Str("chunks"), 0x81, .. Str("0"), .. Ext(1, Payload([4], "float32", F32x4))]), "shape (5,) does not match its chunks, which hold 4 elements" },
        { "chunks of two dtypes", UnderParamsW([0x83, .. Str(FlaxMsgpackReader.ChunkedMarker), 0xC3, .. Str("shape"), 0x81, .. Str("0"), 0x08, .. Str("chunks"), 0x82, .. Str("0"), .. Ext(1, Payload([4], "float32", F32x4)), .. Str("1"), .. Ext(1, Payload([4], "uint32", F32x4))]), "chunk 1 is a uint32 array of shape (4,); Flax writes 1-D chunks of one dtype (float32)" },
        { "2-D chunk", UnderParamsW([0x83, .. Str(FlaxMsgpackReader.ChunkedMarker), 0xC3, .. Str("shape"), 0x81, .. Str("0"), 0x04, .. Str("chunks"), 0x81, .. Str("0"), .. Ext(1, Payload([2, 2], "float32", F32x4))]), "chunk 0 is a float32 array of shape (2, 2)" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Malformed_checkpoints_throw_a_FlaxCheckpointException_saying_what_is_wrong(string what, byte[] data, string message)
    {
        var e = Assert.Throws<FlaxCheckpointException>(() => FlaxSerialization.FromBytes(data));

        Assert.True(e.Message.Contains(message, StringComparison.Ordinal), $"{what}: {e.Message}");
        Assert.StartsWith("not a loadable Flax checkpoint (at byte ", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(65)]
    [InlineData(1_000_000)]
    public void Deep_nesting_stops_at_64_levels_without_overflowing_the_stack(int depth)
    {
        // {"a": {"a": ... {}}}: 3 bytes a level, so a million levels is a 3 MB file.
        byte[] data = new byte[(3 * depth) + 1];
        for (int i = 0; i < depth; i++)
        {
            data[3 * i] = 0x81;
            data[(3 * i) + 1] = 0xA1;
            data[(3 * i) + 2] = (byte)'a';
        }

        data[^1] = 0x80;

        var e = Assert.Throws<FlaxCheckpointException>(() => FlaxSerialization.FromBytes(data));

        Assert.Contains("maps nest deeper than 64 levels", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sixty_four_levels_of_maps_are_allowed()
    {
        byte[] data = [.. Enumerable.Repeat<byte[]>([0x81, 0xA1, (byte)'a'], 63).SelectMany(b => b), 0x80];

        Variables v = FlaxSerialization.FromBytes(data);

        Assert.True(v.TryGetDict([.. Enumerable.Repeat("a", 63)], out Variables? inner) && inner.Count == 0);
    }

    [Fact]
    public void Every_truncation_of_a_valid_checkpoint_is_rejected()
    {
        foreach (string name in new[] { "w4x4", "dense_nested", "chunked", "mixed_dtypes" })
        {
            byte[] file = Fixture(name);
            for (int length = 0; length < file.Length; length++)
            {
                Assert.Throws<FlaxCheckpointException>(() => FlaxSerialization.FromBytes(file.AsSpan(0, length)));
            }
        }
    }

    [Fact]
    public async Task A_map_with_300_thousand_names_reads_well_within_a_generous_timeout()
    {
        // A reader quadratic in the names (say, a duplicate check by list search) needs about 4.5e10 steps here, minutes;
        // a linear one well under a second. The timeout is generous so a loaded machine cannot fail it.
        const int count = 300_000;
        byte[] data = Pack((ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(1);
            w.Write("params");
            w.WriteMapHeader(count);
            for (int i = 0; i < count; i++)
            {
                w.Write($"k{i}");
                w.WriteMapHeader(0);
            }
        });

        Variables v = await Task.Run(() => FlaxSerialization.FromBytes(data)).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(count, v.GetDict("params").Count);
    }

    [Fact]
    public void A_file_over_2_GiB_is_refused_before_reading()
    {
        string path = Path.GetTempFileName();
        try
        {
            using (var f = new FileStream(path, FileMode.Open))
            {
                f.SetLength(Array.MaxLength + 1L); // sparse: no disk is used
            }

            var e = Assert.Throws<FlaxCheckpointException>(() => FlaxSerialization.ReadFile(path));
            Assert.Contains("LaxScan reads checkpoints of up to 2 GiB", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

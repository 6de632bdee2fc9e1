using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using MessagePack;

namespace LaxScan.Tests.Io;

/// <summary>
/// The checkpoint fixtures this project's own script wrote in Flax's layout (ScriptMadeCheckpoints/make_fixtures.py with
/// flax_layout.py and python3-msgpack; not Flax itself, which could not be installed), and a small msgpack builder for
/// hostile bytes.
/// </summary>
internal static class FlaxMsgpackTestData
{
    public static string FixtureDir([CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "ScriptMadeCheckpoints");

    public static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(FixtureDir(), name + ".msgpack"));

    public static JsonElement Expected(string name)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(FixtureDir(), "expected.json")));
        return doc.RootElement.GetProperty("fixtures").GetProperty(name).Clone();
    }

    public static IEnumerable<string> FixtureNames()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(FixtureDir(), "expected.json")));
        return [.. doc.RootElement.GetProperty("fixtures").EnumerateObject().Select(p => p.Name)];
    }

    public delegate void Build(ref MessagePackWriter writer);

    public static byte[] Pack(Build build)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        build(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Flax's ndarray payload, <c>packb((shape, dtype, bytes))</c>, with any shape values.</summary>
    public static byte[] Payload(long[] shape, string dtype, byte[] data) => Pack((ref MessagePackWriter w) =>
    {
        w.WriteArrayHeader(3);
        w.WriteArrayHeader(shape.Length);
        foreach (long d in shape)
        {
            w.Write(d);
        }

        w.Write(dtype);
        w.Write(data);
    });

    public static byte[] Ext(sbyte code, byte[] payload) => Pack((ref MessagePackWriter w) =>
    {
        w.WriteExtensionFormatHeader(new ExtensionHeader(code, (uint)payload.Length));
        w.WriteRaw(payload);
    });

    /// <summary><c>{"params": {"W": value}}</c> with the value's msgpack bytes given raw.</summary>
    public static byte[] UnderParamsW(byte[] value) =>
        [0x81, .. Str("params"), 0x81, .. Str("W"), .. value];

    public static byte[] Str(string s)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(s);
        return [(byte)(0xA0 | utf8.Length), .. utf8];
    }

    public static byte[] Float32Bytes(int count) =>
        [.. Enumerable.Range(0, count).SelectMany(i => BitConverter.GetBytes(i * 0.5f))];
}

using System.Text.Json;

namespace LaxScan.Verification;

/// <summary>
/// One case of a bundle's <c>cases.json</c>: its id, its kind, and its fields as the harness wrote them, with typed
/// readers that name the case and the field when the value is not what the schema says.
/// </summary>
internal sealed class BundleCase
{
    internal BundleCase(string id, string kind, JsonElement fields)
    {
        Id = id;
        Kind = kind;
        Fields = fields;
    }

    /// <summary>The case's id, the key of its result in <c>truth.json</c>.</summary>
    public string Id { get; }

    /// <summary>The case's kind (<c>mission</c>, <c>random</c>, <c>init</c>, <c>math</c>, <c>hlo</c>, <c>dense</c>, ...).</summary>
    public string Kind { get; }

    /// <summary>The whole case object.</summary>
    public JsonElement Fields { get; }

    /// <summary>Whether the case has the field.</summary>
    public bool Has(string name) => Fields.TryGetProperty(name, out JsonElement v) && v.ValueKind != JsonValueKind.Null;

    /// <summary>A required field.</summary>
    /// <exception cref="ReferenceBundleException">The field is missing.</exception>
    public JsonElement Get(string name) =>
        Fields.TryGetProperty(name, out JsonElement v) && v.ValueKind != JsonValueKind.Null
            ? v
            : throw Invalid($"has no \"{name}\"");

    /// <summary>A required string field.</summary>
    public string String(string name) => Get(name) is { ValueKind: JsonValueKind.String } v ? v.GetString()! : throw Invalid($"\"{name}\" is not a string");

    /// <summary>A required integer field that fits an int32.</summary>
    public int Int32(string name) => BundleJson.Int32(Get(name), () => Where(name));

    /// <summary>A required integer field that fits an int64.</summary>
    public long Int64(string name) => BundleJson.Int64(Get(name), () => Where(name));

    /// <summary>A required number field, as a double.</summary>
    public double Double(string name) => BundleJson.Double(Get(name), () => Where(name));

    /// <summary>An optional number field.</summary>
    public double Double(string name, double fallback) => Has(name) ? Double(name) : fallback;

    /// <summary>An optional boolean field (false when missing).</summary>
    public bool Flag(string name) => Has(name) && Get(name).ValueKind == JsonValueKind.True;

    /// <summary>A required list of integers (a shape).</summary>
    public int[] Shape(string name) => BundleJson.Int32Array(Get(name), () => Where(name));

    /// <summary>A required list of float32 bit patterns (uint32 integers).</summary>
    public uint[] Bits(string name) => BundleJson.UInt32Array(Get(name), () => Where(name));

    /// <summary>A required list of float32 bit patterns, as floats.</summary>
    public float[] Floats(string name) => [.. Bits(name).Select(BitConverter.UInt32BitsToSingle)];

    /// <summary>The case's threefry mode: <c>mode</c> is <c>partitionable</c> (the default when missing) or <c>original</c>.</summary>
    public Random.ThreefryMode Mode()
    {
        if (!Has("mode"))
        {
            return Random.ThreefryMode.Partitionable;
        }

        return String("mode") switch
        {
            "partitionable" => Random.ThreefryMode.Partitionable,
            "original" => Random.ThreefryMode.Original,
            string other => throw Invalid($"\"mode\" is '{other}', not partitionable or original"),
        };
    }

    /// <summary>The case's key: <c>key</c> [k0, k1], or <c>PRNGKey(seed)</c> with 64-bit mode off.</summary>
    public Random.PrngKey Key()
    {
        if (Has("key"))
        {
            uint[] words = BundleJson.UInt32Array(Get("key"), () => Where("key"));
            return words.Length == 2 ? new Random.PrngKey(words[0], words[1]) : throw Invalid("\"key\" is not two uint32 words");
        }

        return Random.PrngKey.FromSeed(Int64("seed"));
    }

    /// <summary>An exception that names this case.</summary>
    public ReferenceBundleException Invalid(string what) => new($"case '{Id}' ({Kind}) {what}");

    private string Where(string name) => $"case '{Id}' ({Kind}) field \"{name}\"";
}

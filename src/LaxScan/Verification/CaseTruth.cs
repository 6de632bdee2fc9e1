using System.Text.Json;

namespace LaxScan.Verification;

/// <summary>One case's entry in <c>truth.json</c>'s <c>results</c>: what JAX returned, as bit patterns.</summary>
internal sealed class CaseTruth
{
    private readonly string _caseId;

    internal CaseTruth(string caseId, JsonElement fields)
    {
        _caseId = caseId;
        Fields = fields;
    }

    /// <summary>The whole result object.</summary>
    public JsonElement Fields { get; }

    /// <summary>JAX's own failure on this case (the harness records the traceback), or null.</summary>
    public string? Error => Fields.TryGetProperty("error", out JsonElement e) ? e.ToString() : null;

    /// <summary>Whether the result has the field.</summary>
    public bool Has(string name) => Fields.TryGetProperty(name, out JsonElement v) && v.ValueKind != JsonValueKind.Null;

    /// <summary>A float32 array written as <c>[bits, shape]</c> (bits: uint32 patterns in C order).</summary>
    /// <exception cref="ReferenceBundleException">The field is missing or not that pair.</exception>
    public (uint[] Bits, int[] Shape) Float32Array(string name)
    {
        JsonElement v = Get(name);
        if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() != 2)
        {
            throw new ReferenceBundleException($"{Where(name)} is not a [bits, shape] pair");
        }

        uint[] bits = BundleJson.UInt32Array(v[0], () => Where(name) + " bits");
        int[] shape = BundleJson.Int32Array(v[1], () => Where(name) + " shape");
        long size = 1;
        foreach (int d in shape)
        {
            size *= d;
        }

        return size == bits.Length ? (bits, shape) : throw new ReferenceBundleException($"{Where(name)} has {bits.Length} values for shape ({string.Join(", ", shape)})");
    }

    /// <summary>A flat list of uint32 bit patterns.</summary>
    public uint[] Bits(string name) => BundleJson.UInt32Array(Get(name), () => Where(name));

    /// <summary>A flat list of unsigned integers (random words, up to 64 bits).</summary>
    public ulong[] Unsigned(string name) => BundleJson.UInt64Array(Get(name), () => Where(name));

    /// <summary>A string field.</summary>
    public string String(string name) => Get(name) is { ValueKind: JsonValueKind.String } v ? v.GetString()! : throw new ReferenceBundleException($"{Where(name)} is not a string");

    private JsonElement Get(string name) =>
        Fields.TryGetProperty(name, out JsonElement v) && v.ValueKind != JsonValueKind.Null ? v : throw new ReferenceBundleException($"the result of case '{_caseId}' has no \"{name}\"");

    private string Where(string name) => $"the result of case '{_caseId}' field \"{name}\"";
}

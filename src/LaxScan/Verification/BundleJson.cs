using System.Text.Json;

namespace LaxScan.Verification;

/// <summary>Typed reads of bundle JSON values, each failing with a <see cref="ReferenceBundleException"/> that says where.</summary>
internal static class BundleJson
{
    public static int Int32(JsonElement v, Func<string> where) =>
        v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i) ? i : throw new ReferenceBundleException($"{where()} is not an int32");

    public static long Int64(JsonElement v, Func<string> where) =>
        v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long i) ? i : throw new ReferenceBundleException($"{where()} is not an int64");

    public static double Double(JsonElement v, Func<string> where) =>
        v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double d) ? d : throw new ReferenceBundleException($"{where()} is not a number");

    public static int[] Int32Array(JsonElement v, Func<string> where)
    {
        if (v.ValueKind != JsonValueKind.Array)
        {
            throw new ReferenceBundleException($"{where()} is not a list of integers");
        }

        var result = new int[v.GetArrayLength()];
        int i = 0;
        foreach (JsonElement e in v.EnumerateArray())
        {
            result[i++] = e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int x) ? x : throw new ReferenceBundleException($"{where()} item {i} is not an int32");
        }

        return result;
    }

    public static uint[] UInt32Array(JsonElement v, Func<string> where)
    {
        if (v.ValueKind != JsonValueKind.Array)
        {
            throw new ReferenceBundleException($"{where()} is not a list of uint32 bit patterns");
        }

        var result = new uint[v.GetArrayLength()];
        int i = 0;
        foreach (JsonElement e in v.EnumerateArray())
        {
            result[i++] = e.ValueKind == JsonValueKind.Number && e.TryGetUInt32(out uint x) ? x : throw new ReferenceBundleException($"{where()} item {i} is not a uint32");
        }

        return result;
    }

    public static ulong[] UInt64Array(JsonElement v, Func<string> where)
    {
        if (v.ValueKind != JsonValueKind.Array)
        {
            throw new ReferenceBundleException($"{where()} is not a list of unsigned integers");
        }

        var result = new ulong[v.GetArrayLength()];
        int i = 0;
        foreach (JsonElement e in v.EnumerateArray())
        {
            result[i++] = e.ValueKind == JsonValueKind.Number && e.TryGetUInt64(out ulong x) ? x : throw new ReferenceBundleException($"{where()} item {i} is not an unsigned integer");
        }

        return result;
    }
}

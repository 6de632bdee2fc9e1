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

    public static int[] Int32Array(JsonElement v, Func<string> where) =>
        Array(v, where, "a list of integers", "an int32", static (JsonElement e, out int x) => e.TryGetInt32(out x));

    public static uint[] UInt32Array(JsonElement v, Func<string> where) =>
        Array(v, where, "a list of uint32 bit patterns", "a uint32", static (JsonElement e, out uint x) => e.TryGetUInt32(out x));

    public static long[] Int64Array(JsonElement v, Func<string> where) =>
        Array(v, where, "a list of integers", "an int64", static (JsonElement e, out long x) => e.TryGetInt64(out x));

    public static ulong[] UInt64Array(JsonElement v, Func<string> where) =>
        Array(v, where, "a list of unsigned integers", "an unsigned integer", static (JsonElement e, out ulong x) => e.TryGetUInt64(out x));

    private delegate bool TryRead<T>(JsonElement element, out T value);

    /// <summary>
    /// A JSON list of numbers as an array. A bad item is named by its 0-based index, <c>field[3]</c>, as the mismatch
    /// lines name elements (<c>out[3]: jax ..., laxscan ...</c>).
    /// </summary>
    private static T[] Array<T>(JsonElement v, Func<string> where, string list, string item, TryRead<T> read)
    {
        if (v.ValueKind != JsonValueKind.Array)
        {
            throw new ReferenceBundleException($"{where()} is not {list}");
        }

        var result = new T[v.GetArrayLength()];
        int i = 0;
        foreach (JsonElement e in v.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Number || !read(e, out result[i]))
            {
                throw new ReferenceBundleException($"{where()}[{i}] is {Describe(e)}, not {item}");
            }

            i++;
        }

        return result;
    }

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetRawText(),
        JsonValueKind.String => "a string",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}

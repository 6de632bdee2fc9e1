namespace LaxScan.Verification;

/// <summary>
/// One element where LaxScan's bits differ from JAX's: the result field, the flat index (C order), both values as
/// unsigned integers (float32 bit patterns, random words, or bytes), and for floats the distance in ulps.
/// </summary>
/// <param name="Field">The result field, such as <c>out</c>, <c>W</c>, <c>eager</c>, <c>msgpack_hex</c>.</param>
/// <param name="Index">The flat index of the element (for <c>msgpack_hex</c>, the byte offset; -1 for a length or shape).</param>
/// <param name="Jax">JAX's value.</param>
/// <param name="LaxScan">LaxScan's value.</param>
/// <param name="Ulps">For float32: how many representable floats lie between the two (0 for +0 against -0); null for integers, bytes, or a NaN against a number.</param>
/// <param name="Kind">What the values are: <c>f32</c>, <c>u32</c>, <c>u64</c>, <c>byte</c>, <c>length</c> (the counts of values), or <c>sha256</c> (the first 8 bytes of each digest).</param>
internal sealed record BitMismatch(string Field, long Index, ulong Jax, ulong LaxScan, long? Ulps, string Kind)
{
    /// <summary>The mismatch as one line: <c>out[5]: jax 0x3F800000, laxscan 0x3F7FFFFF (1 ulp)</c>.</summary>
    public override string ToString()
    {
        string where = Index < 0 ? Field : $"{Field}[{Index}]";
        string Show(ulong v) => Kind switch
        {
            "f32" => $"0x{v:X8} ({Format(BitConverter.UInt32BitsToSingle((uint)v))})",
            "u32" or "u64" => v.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "byte" => $"0x{v:X2}",
            _ => v.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        string distance = Kind != "f32" ? string.Empty : Ulps is { } u ? $" ({u} ulp{(u == 1 ? string.Empty : "s")})" : " (NaN against a number)";
        return Kind switch
        {
            "length" => $"{where}: jax has {Jax} values, laxscan {LaxScan}",
            "sha256" => $"{where}: the hashes differ (jax {Jax:x16}..., laxscan {LaxScan:x16}...)",
            _ => $"{where}: jax {Show(Jax)}, laxscan {Show(LaxScan)}{distance}",
        };
    }

    /// <summary>
    /// The ulp distance of two float32 bit patterns: the difference of their positions on the number line of
    /// floats, so 1 between neighbours, across zero too (+0 and -0 share position 0). Null when one is NaN.
    /// </summary>
    public static long? UlpDistance(uint a, uint b)
    {
        float fa = BitConverter.UInt32BitsToSingle(a);
        float fb = BitConverter.UInt32BitsToSingle(b);
        if (float.IsNaN(fa) || float.IsNaN(fb))
        {
            return null;
        }

        return Math.Abs(Position(a) - Position(b));
    }

    private static long Position(uint bits) => (bits & 0x8000_0000u) != 0 ? -(long)(bits & 0x7FFF_FFFFu) : bits;

    private static string Format(float value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}

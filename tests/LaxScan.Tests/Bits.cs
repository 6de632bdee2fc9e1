namespace LaxScan.Tests;

/// <summary>Bit-pattern helpers: the tests compare float32 results as bits, never with a tolerance.</summary>
internal static class Bits
{
    public static uint Of(float x) => BitConverter.SingleToUInt32Bits(x);

    public static float Float(uint bits) => BitConverter.UInt32BitsToSingle(bits);

    /// <summary>Parses a float32 the way JAX prints it (shortest round-trip), so tables can hold JAX's own text.</summary>
    public static uint OfText(string text) => Of(float.Parse(text, System.Globalization.CultureInfo.InvariantCulture));

    public static string Hex(float x) => $"0x{Of(x):X8}";

    /// <summary>Asserts equal bit patterns, reporting both as hex and as numbers.</summary>
    public static void Equal(uint expected, float actual, string? what = null) =>
        Assert.True(expected == Of(actual), $"{what} expected 0x{expected:X8} ({Float(expected):R}) but got {Hex(actual)} ({actual:R})");

    public static void Equal(float expected, float actual, string? what = null) => Equal(Of(expected), actual, what);

    public static void Equal(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string? what = null)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Equal(expected[i], actual[i], $"{what}[{i}]");
        }
    }
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace LaxScan.Cli.Parsing;

/// <summary>
/// Turns option text into values, the way Python would read the same literal for JAX, or explains in one line why it
/// cannot. Every failure here is a usage error (exit 2): the text is not a number of the option's type.
/// </summary>
internal static partial class CliValues
{
    // Python's float() bits for its NaN literals: 'nan' is the positive quiet NaN; .NET's float.NaN has the sign set.
    private static readonly float PositiveNaN = BitConverter.Int32BitsToSingle(0x7FC00000);
    private static readonly float NegativeNaN = BitConverter.Int32BitsToSingle(unchecked((int)0xFFC00000));

    /// <summary>Parses a signed 64-bit integer; digits beyond the range say so instead of "not an integer".</summary>
    public static bool TryParseInt64(string text, string what, out long value, out string? error)
    {
        string t = text.Trim();
        if (!IntegerPattern().IsMatch(t))
        {
            value = 0;
            error = $"{what} expects an integer, but got '{text}'{Grouped(t)}";
            return false;
        }

        if (!long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            error = $"{what} {t} is outside the signed 64-bit range [{long.MinValue}, {long.MaxValue}]";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>Parses an integer in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static bool TryParseInteger(string text, string what, long min, long max, string rangeName, out long value, out string? error)
    {
        if (!TryParseInt64(text, what, out value, out error))
        {
            if (IntegerPattern().IsMatch(text.Trim()))
            {
                error = $"{what} {text.Trim()} is outside the {rangeName} range [{min}, {max}]";
            }

            return false;
        }

        if (value < min || value > max)
        {
            error = $"{what} {value} is outside the {rangeName} range [{min}, {max}]";
            return false;
        }

        return true;
    }

    /// <summary>Parses a signed 32-bit integer.</summary>
    public static bool TryParseInt32(string text, string what, out int value, out string? error)
    {
        bool ok = TryParseInteger(text, what, int.MinValue, int.MaxValue, "int32", out long v, out error);
        value = (int)v;
        return ok;
    }

    /// <summary>Parses an unsigned 32-bit integer.</summary>
    public static bool TryParseUInt32(string text, string what, out uint value, out string? error)
    {
        bool ok = TryParseInteger(text, what, 0, uint.MaxValue, "uint32", out long v, out error);
        value = (uint)v;
        return ok;
    }

    /// <summary>
    /// Parses a float literal as Python's <c>float()</c> reads it (a double, correctly rounded) and then rounds that
    /// double to float32, as JAX does when a Python float meets a float32 array. Parsing straight to float32 would
    /// round once instead of twice and, for rare literals, give a different float32 than JAX.
    /// </summary>
    /// <remarks>Accepts <c>nan</c>, <c>inf</c>, <c>infinity</c> in any case with an optional sign, as Python does.</remarks>
    public static bool TryParseFloat32(string text, string what, out float value, out string? error)
    {
        if (!TryParseFloat64(text, what, out double d, out error))
        {
            value = 0;
            return false;
        }

        value = double.IsNaN(d) ? (BitConverter.DoubleToInt64Bits(d) < 0 ? NegativeNaN : PositiveNaN) : (float)d;
        return true;
    }

    /// <summary>Parses a float literal as Python's <c>float()</c> reads it, into a double.</summary>
    public static bool TryParseFloat64(string text, string what, out double value, out string? error)
    {
        string t = text.Trim();
        error = null;
        Match special = SpecialFloatPattern().Match(t);
        if (special.Success)
        {
            bool negative = special.Groups["sign"].Value == "-";
            if (special.Groups["name"].Value.Equals("nan", StringComparison.OrdinalIgnoreCase))
            {
                // Keep the sign bit of "-nan", as Python does; double.NaN itself has it set on x86.
                value = BitConverter.Int64BitsToDouble(negative ? unchecked((long)0xFFF8000000000000) : 0x7FF8000000000000);
            }
            else
            {
                value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            }

            return true;
        }

        if (FloatPattern().IsMatch(t)
            && double.TryParse(t, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        value = 0;
        error = $"{what} expects a number, but got '{text}'{Grouped(t)}";
        return false;
    }

    // Python reads 1_000 as 1000 (PEP 515); LaxScan takes plain digits only and says so, naming the digits meant.
    private static string Grouped(string t) =>
        t.Contains('_', StringComparison.Ordinal)
            ? $": digit-grouping underscores are not accepted, write the digits alone ('{t.Replace("_", string.Empty, StringComparison.Ordinal)}')"
            : string.Empty;

    /// <summary>
    /// Splits a comma-separated list. An empty item (a doubled or trailing comma) is an error naming its position,
    /// so a typo never silently drops or invents a value.
    /// </summary>
    public static bool TrySplitList(string text, string what, out string[] items, out string? error)
    {
        items = text.Split(',');
        for (int i = 0; i < items.Length; i++)
        {
            if (items[i].Trim().Length == 0)
            {
                error = $"{what} item {i + 1} of {items.Length} is empty in '{text}'; separate values by single commas, with no trailing comma";
                return false;
            }
        }

        error = null;
        return true;
    }

    /// <summary>Parses a shape such as <c>2,3</c>; the empty string is the scalar shape <c>()</c>.</summary>
    /// <remarks>
    /// Negative extents pass through so the library rejects them with its own message (a well-formed number the
    /// computation cannot use is a failure, exit 1); an extent beyond int32 cannot be represented, a usage error.
    /// </remarks>
    public static bool TryParseDimensions(string text, string what, out int[] dimensions, out string? error)
    {
        dimensions = [];
        if (text.Trim().Length == 0)
        {
            error = null;
            return true;
        }

        if (!TrySplitList(text, what, out string[] items, out error))
        {
            return false;
        }

        var dims = new int[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            if (!TryParseInteger(items[i], $"{what} item {i + 1}", int.MinValue, int.MaxValue, "int32", out long d, out error))
            {
                return false;
            }

            dims[i] = (int)d;
        }

        dimensions = dims;
        return true;
    }

    /// <summary>Parses a list of floats such as <c>0.5,-1,nan</c>, each as <see cref="TryParseFloat32"/> does.</summary>
    public static bool TryParseFloat32List(string text, string what, out float[] values, out string? error)
    {
        values = [];
        if (!TrySplitList(text, what, out string[] items, out error))
        {
            return false;
        }

        var result = new float[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            if (!TryParseFloat32(items[i], $"{what} item {i + 1}", out result[i], out error))
            {
                return false;
            }
        }

        values = result;
        return true;
    }

    // Python's int() literal without underscores: optional sign, decimal digits.
    [GeneratedRegex(@"^[+-]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerPattern();

    // Python's float() literal without underscores: digits with an optional point and exponent. Python's digit-grouping
    // underscores (PEP 515, 1_000) are refused with a message of their own (Grouped), never dropped in silence.
    [GeneratedRegex(@"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^(?<sign>[+-]?)(?<name>nan|inf|infinity)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SpecialFloatPattern();
}

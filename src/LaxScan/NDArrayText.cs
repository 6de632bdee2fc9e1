using System.Globalization;
using System.Text;

namespace LaxScan;

/// <summary>
/// The text of <see cref="NDArray{T}.ToString"/>: the type, then the values in nested brackets, each float32 as NumPy
/// prints a float32 scalar (<c>str(np.float32(x))</c>), summarised beyond 1000 elements as NumPy summarises. Not
/// NumPy's array layout: NumPy aligns the columns of an array and gives all its elements one precision (so it prints
/// 1e-05 as <c>9.9999997e-06</c> beside <c>3.4028235e+38</c>); here every element keeps its own shortest form.
/// </summary>
internal static class NDArrayText
{
    // NumPy's default print options: summarise above `threshold` elements, keeping `edgeitems` at each end of an axis.
    private const int Threshold = 1000;
    private const int EdgeItems = 3;

    public static string Format<T>(NDArray<T> array)
        where T : unmanaged
    {
        var text = new StringBuilder(((INDArray)array).TypeString).Append(' ');
        Append(text, array.Shape.Dimensions, array.Span, array.Length > Threshold);
        return text.ToString();
    }

    private static void Append<T>(StringBuilder text, ReadOnlySpan<int> dimensions, ReadOnlySpan<T> data, bool summarise)
        where T : unmanaged
    {
        if (dimensions.IsEmpty)
        {
            AppendElement(text, data[0]);
            return;
        }

        int extent = dimensions[0];
        ReadOnlySpan<int> inner = dimensions[1..];
        int stride = 1;
        foreach (int d in inner)
        {
            stride *= d;
        }

        text.Append('[');
        bool cut = summarise && extent > 2 * EdgeItems;
        for (int i = 0; i < extent; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            if (cut && i == EdgeItems)
            {
                text.Append("..., ");
                i = extent - EdgeItems;
            }

            Append(text, inner, data.Slice(i * stride, stride), summarise);
        }

        text.Append(']');
    }

    private static void AppendElement<T>(StringBuilder text, T value)
        where T : unmanaged
    {
        if (value is not float x)
        {
            text.Append(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture));
            return;
        }

        text.Append(Float32(x));
    }

    /// <summary>
    /// A float32 as NumPy's <c>str(np.float32(x))</c> writes it (numpy/core/src/multiarray/scalartypes.c.src, the
    /// float repr): the shortest digits that read back to the same float32; positional when x is 0 or 1e-4 &lt;= |x|
    /// &lt; 1e16, with at least one digit after the point (<c>2.0</c>, <c>123456790.0</c>); otherwise scientific with
    /// an exponent of at least two digits (<c>1e-05</c>, <c>3.4028235e+38</c>); <c>nan</c>, <c>inf</c>, <c>-inf</c>.
    /// </summary>
    internal static string Float32(float x)
    {
        if (float.IsNaN(x))
        {
            return "nan";
        }

        if (float.IsInfinity(x))
        {
            return x > 0 ? "inf" : "-inf";
        }

        string sign = float.IsNegative(x) ? "-" : string.Empty;
        if (x == 0)
        {
            return sign + "0.0";
        }

        // .NET's "R" gives the same shortest round-trip digits; only its layout differs. Take its digits and the
        // point's place: |x| = 0.DIGITS x 10^point.
        string r = Math.Abs(x).ToString("R", CultureInfo.InvariantCulture);
        int e = r.IndexOf('E', StringComparison.Ordinal);
        int exponent = e >= 0 ? int.Parse(r.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;
        string mantissa = e >= 0 ? r[..e] : r;
        int dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        string all = dot >= 0 ? mantissa.Remove(dot, 1) : mantissa;
        int point = (dot >= 0 ? dot : mantissa.Length) + exponent;
        int leading = all.Length - all.TrimStart('0').Length;
        string digits = all.Trim('0');
        point -= leading;

        double magnitude = Math.Abs((double)x);
        if (magnitude >= 1e-4 && magnitude < 1e16)
        {
            return sign + (point <= 0
                ? "0." + new string('0', -point) + digits
                : point >= digits.Length
                    ? digits + new string('0', point - digits.Length) + ".0"
                    : digits[..point] + "." + digits[point..]);
        }

        int scientific = point - 1;
        string fraction = digits.Length > 1 ? "." + digits[1..] : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{digits[0]}{fraction}e{(scientific < 0 ? '-' : '+')}{Math.Abs(scientific):00}");
    }
}

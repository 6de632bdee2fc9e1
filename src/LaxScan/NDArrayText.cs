using System.Globalization;
using System.Text;

namespace LaxScan;

/// <summary>The text of <see cref="NDArray{T}.ToString"/>: the type, then the values as NumPy prints them, summarised beyond 1000 elements.</summary>
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

        if (float.IsNaN(x))
        {
            text.Append("nan");
        }
        else if (float.IsInfinity(x))
        {
            text.Append(x > 0 ? "inf" : "-inf");
        }
        else
        {
            // "R": the shortest text that reads back as the same float32; NumPy writes 2. and 1e-05 for 2 and 1E-05.
            string shortest = x.ToString("R", CultureInfo.InvariantCulture);
            int e = shortest.IndexOf('E', StringComparison.Ordinal);
            if (e >= 0)
            {
                text.Append(shortest.AsSpan(0, e)).Append('e').Append(shortest.AsSpan(e + 1));
            }
            else
            {
                text.Append(shortest);
                if (!shortest.Contains('.', StringComparison.Ordinal))
                {
                    text.Append('.');
                }
            }
        }
    }
}

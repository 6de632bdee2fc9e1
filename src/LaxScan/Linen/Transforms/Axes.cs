namespace LaxScan.Linen.Transforms;

/// <summary>Moving one axis of an array, as <c>jnp.moveaxis</c> does and <c>axes_scan</c>'s transposes do.</summary>
internal static class Axes
{
    /// <summary>A copy of <paramref name="array"/> with axis <paramref name="from"/> moved to position <paramref name="to"/>.</summary>
    public static NDArray<float> Move(NDArray<float> array, int from, int to)
    {
        Shape shape = array.Shape;
        from = shape.NormalizeAxis(from);
        to = shape.NormalizeAxis(to);
        if (from == to)
        {
            return array;
        }

        int[] dims = shape.Dimensions.ToArray();
        var order = Enumerable.Range(0, dims.Length).Where(a => a != from).ToList();
        order.Insert(to, from);
        int[] newDims = [.. order.Select(a => dims[a])];
        var result = new NDArray<float>(new Shape(newDims));

        // Strides of the source, read in the new axis order.
        long[] strides = new long[dims.Length];
        long stride = 1;
        for (int a = dims.Length - 1; a >= 0; a--)
        {
            strides[a] = stride;
            stride *= dims[a];
        }

        long[] newStrides = [.. order.Select(a => strides[a])];
        int[] index = new int[newDims.Length];
        ReadOnlySpan<float> source = array.Span;
        Span<float> target = result.Span;
        for (long i = 0; i < target.Length; i++)
        {
            long at = 0;
            for (int a = 0; a < index.Length; a++)
            {
                at += index[a] * newStrides[a];
            }

            target[(int)i] = source[(int)at];
            for (int a = index.Length - 1; a >= 0; a--)
            {
                if (++index[a] < newDims[a])
                {
                    break;
                }

                index[a] = 0;
            }
        }

        return result;
    }
}

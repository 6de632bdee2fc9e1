namespace LaxScan.Nn;

/// <summary>
/// jax.nn.initializers' <c>_compute_fans</c>: the fan in and fan out of a weight shape, in float64 as Python computes
/// them.
/// </summary>
public static class Fans
{
    /// <summary>Computes (fan_in, fan_out) for a shape with the given input, output and batch axes.</summary>
    /// <param name="shape">The weight shape; rank at least 2 unless <paramref name="inAxes"/> names an axis other than the default -2.</param>
    /// <param name="inAxes">The input axes (JAX's default: <c>-2</c>); their sizes multiply.</param>
    /// <param name="outAxes">The output axes (default: <c>-1</c>). They may name the same axis as <paramref name="inAxes"/>.</param>
    /// <param name="batchAxes">Axes that count neither as fan nor as receptive field (default: none).</param>
    /// <exception cref="ArgumentException">The rank is below 2 with the default in axis, an axis is out of range, or a size involved is zero.</exception>
    public static (double FanIn, double FanOut) Compute(Shape shape, ReadOnlySpan<int> inAxes, ReadOnlySpan<int> outAxes, ReadOnlySpan<int> batchAxes)
    {
        ArgumentNullException.ThrowIfNull(shape);
        // JAX >= 0.8.1 refuses rank <= 1 only with the default in_axis=-2; an explicit axis makes vectors valid.
        if (shape.Rank <= 1 && inAxes is [-2])
        {
            ThrowHelper.ThrowArgument(
                $"Can't compute input and output sizes of a {shape.Rank}-dimensional weights tensor {shape} with default in_axis. Must be at least 2D or specify in_axis explicitly.",
                nameof(shape));
        }

        double inSize = Product(shape, inAxes, "in_axis");
        double outSize = Product(shape, outAxes, "out_axis");
        double batchSize = Product(shape, batchAxes, "batch_axis");
        if (inSize == 0 || outSize == 0 || batchSize == 0)
        {
            ThrowHelper.ThrowArgument($"cannot compute fans of shape {shape}: an input, output or batch axis has size 0", nameof(shape));
        }

        double receptiveField = shape.Size / inSize / outSize / batchSize;
        return (inSize * receptiveField, outSize * receptiveField);
    }

    private static double Product(Shape shape, ReadOnlySpan<int> axes, string name)
    {
        double product = 1;
        foreach (int axis in axes)
        {
            int a = axis < 0 ? axis + shape.Rank : axis;
            if ((uint)a >= (uint)shape.Rank)
            {
                ThrowHelper.ThrowArgumentOutOfRange($"{name} {axis} is out of range for the rank-{shape.Rank} shape {shape}; use an axis in [{-shape.Rank}, {shape.Rank})", name);
            }

            product *= shape.Dimensions[a];
        }

        return product;
    }
}

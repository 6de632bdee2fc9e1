using System.Collections.Immutable;

namespace LaxScan;

/// <summary>
/// The shape of an array: the extent of each axis, in row-major (C) order as NumPy and JAX use it.
/// A shape of rank 0, <c>()</c>, describes a single value.
/// </summary>
public sealed class Shape : IEquatable<Shape>
{
    private readonly ImmutableArray<int> _dimensions;

    /// <summary>Creates a shape from the extents of its axes.</summary>
    /// <param name="dimensions">The extent of each axis; each must be zero or positive.</param>
    /// <exception cref="ArgumentException">An extent is negative, or the element count overflows a 64-bit integer.</exception>
    public Shape(params ReadOnlySpan<int> dimensions)
    {
        long size = 1;
        foreach (int d in dimensions)
        {
            if (d < 0)
            {
                ThrowHelper.ThrowArgument($"shape {Format(dimensions)} has a negative dimension ({d}); every dimension must be >= 0", nameof(dimensions));
            }

            try
            {
                size = checked(size * d);
            }
            catch (OverflowException)
            {
                ThrowHelper.ThrowArgument($"shape {Format(dimensions)} has more elements than a 64-bit count can hold", nameof(dimensions));
            }
        }

        _dimensions = [.. dimensions];
        Size = size;
    }

    /// <summary>The shape <c>()</c> of a single value.</summary>
    public static Shape Scalar { get; } = new();

    /// <summary>The number of axes.</summary>
    public int Rank => _dimensions.Length;

    /// <summary>The number of elements: the product of the extents (1 for rank 0).</summary>
    public long Size { get; }

    /// <summary>The extents of the axes.</summary>
    public ReadOnlySpan<int> Dimensions => _dimensions.AsSpan();

    /// <summary>The extent of one axis; a negative axis counts from the end, as in NumPy.</summary>
    public int this[int axis] => _dimensions[NormalizeAxis(axis)];

    /// <summary>Maps a possibly negative axis to its index, or throws if it is out of range for this rank.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is not in [-rank, rank).</exception>
    public int NormalizeAxis(int axis)
    {
        int a = axis < 0 ? axis + Rank : axis;
        if ((uint)a >= (uint)Rank)
        {
            ThrowHelper.ThrowArgumentOutOfRange($"axis {axis} is out of range for a shape of rank {Rank} {this}; use an axis in [{-Rank}, {Rank})", nameof(axis));
        }

        return a;
    }

    /// <summary>The shape in Python's tuple notation, as JAX prints it: <c>()</c>, <c>(3,)</c>, <c>(2, 3)</c>.</summary>
    public override string ToString() => Format(Dimensions);

    /// <summary>The dimensions inside JAX's type notation, as in <c>float32[2,3]</c>.</summary>
    internal string ToTypeDimensions() => string.Join(',', _dimensions);

    /// <inheritdoc />
    public bool Equals(Shape? other) => other is not null && Dimensions.SequenceEqual(other.Dimensions);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Shape);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (int d in _dimensions)
        {
            hash.Add(d);
        }

        return hash.ToHashCode();
    }

    /// <summary>Compares two shapes by their extents.</summary>
    public static bool operator ==(Shape? left, Shape? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Compares two shapes by their extents.</summary>
    public static bool operator !=(Shape? left, Shape? right) => !(left == right);

    internal static string Format(ReadOnlySpan<int> dimensions) => dimensions.Length switch
    {
        0 => "()",
        1 => $"({dimensions[0]},)",
        _ => $"({string.Join(", ", dimensions.ToArray())})",
    };
}

namespace LaxScan;

/// <summary>What every LaxScan array tells about itself without its element type: its dtype and shape.</summary>
public interface INDArray
{
    /// <summary>The element type.</summary>
    DType DType { get; }

    /// <summary>The shape.</summary>
    Shape Shape { get; }

    /// <summary>JAX's notation for the array's type, such as <c>float32[2,3]</c> (<c>float32[]</c> for a scalar).</summary>
    string TypeString => $"{DType.Name()}[{Shape.ToTypeDimensions()}]";
}

/// <summary>
/// A dense array: a <see cref="LaxScan.Shape"/> and a contiguous row-major (C order) buffer of its elements.
/// This is the small array type LaxScan needs, not a tensor framework.
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/>, <see cref="byte"/>, <see cref="ushort"/>, <see cref="uint"/> or <see cref="ulong"/>.</typeparam>
public sealed class NDArray<T> : INDArray where T : unmanaged
{
    private readonly T[] _data;

    /// <summary>Creates a zero-filled array of the given shape.</summary>
    /// <exception cref="InsufficientMemoryException">The array cannot be allocated (see <see cref="ArraySize.EnsureAllocatable(Shape, DType, string)"/>).</exception>
    public NDArray(Shape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArraySize.EnsureAllocatable(shape, DTypes.Of<T>());
        Shape = shape;
        _data = new T[shape.Size];
    }

    /// <summary>Wraps an existing buffer (not copied) as an array of the given shape.</summary>
    /// <exception cref="ArgumentException">The buffer's length is not the shape's size.</exception>
    public NDArray(Shape shape, T[] data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        if (data.LongLength != shape.Size)
        {
            ThrowHelper.ThrowArgument($"a buffer of {data.LongLength} elements cannot have shape {shape}, which holds {shape.Size}", nameof(data));
        }

        Shape = shape;
        _data = data;
    }

    /// <inheritdoc />
    public DType DType => DTypes.Of<T>();

    /// <inheritdoc />
    public Shape Shape { get; }

    /// <summary>The number of elements.</summary>
    public int Length => _data.Length;

    /// <summary>The elements in row-major order.</summary>
    public Span<T> Span => _data;

    /// <summary>The underlying buffer, shared with this array.</summary>
    public T[] Data => _data;

    /// <summary>The element at a multi-dimensional index.</summary>
    public ref T this[params ReadOnlySpan<int> index] => ref _data[FlatIndex(index)];

    /// <summary>
    /// This array's elements under another shape of the same size: a view that shares this array's buffer (as
    /// NumPy's <c>reshape</c> of a contiguous array does), so a write through either is seen by both. Copy
    /// <see cref="Data"/> first for an independent array.
    /// </summary>
    /// <exception cref="ArgumentException">The new shape holds a different number of elements.</exception>
    public NDArray<T> Reshape(Shape shape)
    {
        if (shape.Size != Shape.Size)
        {
            ThrowHelper.ThrowArgument($"cannot reshape an array of shape {Shape} ({Shape.Size} elements) to {shape} ({shape.Size} elements)", nameof(shape));
        }

        return new NDArray<T>(shape, _data);
    }

    /// <summary>
    /// The type and the values: <c>float32[2,3] [[0.5, -1.0, 0.25], [2.0, nan, -0.0]]</c>. Each float32 is written as
    /// NumPy writes a float32 scalar (<c>str(np.float32(x))</c>: shortest round-trip digits, <c>2.0</c>, <c>1e-05</c>,
    /// <c>3.4028235e+38</c>, <c>nan</c>, <c>inf</c>); an array of more than 1000 elements shows the first and last 3
    /// entries of each axis around <c>...</c>, as NumPy's default print options (<c>threshold=1000</c>,
    /// <c>edgeitems=3</c>) do. The layout is not NumPy's array printing, which aligns columns and gives every element of
    /// an array one precision (it prints 1e-05 as <c>9.9999997e-06</c> beside <c>3.4028235e+38</c>).
    /// </summary>
    public override string ToString() => NDArrayText.Format(this);

    private int FlatIndex(ReadOnlySpan<int> index)
    {
        if (index.Length != Shape.Rank)
        {
            ThrowHelper.ThrowArgument($"an index of {index.Length} components cannot address an array of shape {Shape}", nameof(index));
        }

        int flat = 0;
        for (int axis = 0; axis < index.Length; axis++)
        {
            int extent = Shape.Dimensions[axis];
            if ((uint)index[axis] >= (uint)extent)
            {
                ThrowHelper.ThrowArgumentOutOfRange($"index {index[axis]} is out of range for axis {axis} of extent {extent}", nameof(index));
            }

            flat = (flat * extent) + index[axis];
        }

        return flat;
    }
}

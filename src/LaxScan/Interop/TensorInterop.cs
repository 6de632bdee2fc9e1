using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LaxScan;

/// <summary>
/// Bridges between <see cref="NDArray{T}"/> and System.Numerics.Tensors' <see cref="Tensor{T}"/>,
/// <see cref="TensorSpan{T}"/> and <see cref="ReadOnlyTensorSpan{T}"/>, so LaxScan's arrays go to libraries that take
/// those without a copy. An <see cref="NDArray{T}"/> is a dense, row-major .NET array; the views share its memory, so a
/// write through either is seen by the other.
/// </summary>
/// <remarks>
/// <para>
/// A scalar (shape <c>()</c>): System.Numerics.Tensors has no rank 0 (empty lengths mean no elements), so its views and
/// its tensor have shape <c>(1,)</c>. <see cref="FromTensor"/> gives a scalar back its shape <c>()</c> when the tensor
/// is the one <see cref="ToTensor"/> made of it; any other one-element tensor or span comes back as shape <c>(1,)</c>,
/// since nothing in it says it was a scalar (a limit of System.Numerics.Tensors, not a choice).
/// </para>
/// <para>
/// ONNX Runtime: <c>OrtValue.CreateTensorValueFromMemory(array.Data, shape)</c> wraps LaxScan's buffer without a copy
/// (tested); ONNX Runtime 1.31.1's own <c>Tensor&lt;T&gt;</c> entry was built against System.Numerics.Tensors 9 and
/// fails with version 10.
/// </para>
/// <para>
/// These are views and copies only: LaxScan never computes through <c>Tensor</c> or <c>TensorPrimitives</c>, whose
/// results are not XLA's bits.
/// </para>
/// </remarks>
public static class TensorInterop
{
    // The arrays ToTensor wrapped, so that FromTensor can give such a tensor back without a copy: Tensor<T> does not
    // expose the array it wraps.
    private static readonly ConditionalWeakTable<object, object> Wrapped = [];

    extension<T>(NDArray<T> array)
        where T : unmanaged
    {
        /// <summary>The array as a writable tensor span over its own memory, with its shape.</summary>
        public TensorSpan<T> AsTensorSpan() => new(array.Data, Lengths(array.Shape));

        /// <summary>The array as a read-only tensor span over its own memory, with its shape.</summary>
        public ReadOnlyTensorSpan<T> AsReadOnlyTensorSpan() => new(array.Data, Lengths(array.Shape));

        /// <summary>
        /// A <see cref="Tensor{T}"/> that wraps the array's buffer (no copy), with its shape: what the tensor's users
        /// write, the array holds, and the other way round.
        /// </summary>
        public Tensor<T> ToTensor()
        {
            Tensor<T> tensor = Tensor.Create(array.Data, Lengths(array.Shape));
            Wrapped.AddOrUpdate(tensor, array);
            return tensor;
        }

        /// <summary>
        /// An <see cref="NDArray{T}"/> with the tensor's shape and values. A tensor that <see cref="ToTensor"/> made
        /// gives back its array's buffer, without a copy. Any other tensor is copied once into a new dense, row-major
        /// buffer, because an <see cref="NDArray{T}"/> owns a .NET array and a <see cref="Tensor{T}"/> does not expose
        /// the one it wraps; a strided (not dense) tensor is gathered into row-major order.
        /// </summary>
        /// <param name="tensor">The tensor.</param>
        /// <exception cref="ArgumentException">An extent does not fit an <see cref="int"/>, or the array would exceed .NET's array limit.</exception>
        public static NDArray<T> FromTensor(Tensor<T> tensor)
        {
            ArgumentNullException.ThrowIfNull(tensor);
            Shape shape = ShapeOf(tensor.Lengths);
            // The same array back, also a scalar, whose tensor could only have shape (1,).
            if (tensor.IsDense && Wrapped.TryGetValue(tensor, out object? wrapped) && wrapped is NDArray<T> same
                && (same.Shape == shape || (same.Shape.Rank == 0 && shape == new Shape(1))))
            {
                return same;
            }

            return FromTensorSpan(tensor.AsReadOnlyTensorSpan());
        }

        /// <summary>A new <see cref="NDArray{T}"/> with the span's shape and a copy of its values in row-major order (a span cannot be kept).</summary>
        /// <param name="span">The tensor span; strided spans are gathered.</param>
        /// <exception cref="ArgumentException">An extent does not fit an <see cref="int"/>, or the array would exceed .NET's array limit.</exception>
        public static NDArray<T> FromTensorSpan(scoped in ReadOnlyTensorSpan<T> span)
        {
            var result = new NDArray<T>(ShapeOf(span.Lengths));
            span.FlattenTo(result.Span);
            return result;
        }
    }

    /// <summary>
    /// The elements of a dense, row-major tensor span as one span over the same memory (no copy), or false for a
    /// strided one (a transposed view, a broadcast, a slice with gaps).
    /// </summary>
    internal static bool TryGetRowMajor<T>(in TensorSpan<T> tensor, out Span<T> span)
    {
        if (!IsRowMajor(tensor.Lengths, tensor.Strides, tensor.FlattenedLength))
        {
            span = default;
            return false;
        }

        span = MemoryMarshal.CreateSpan(ref tensor.GetPinnableReference(), (int)tensor.FlattenedLength);
        return true;
    }

    /// <inheritdoc cref="TryGetRowMajor{T}(in TensorSpan{T}, out Span{T})"/>
    internal static bool TryGetRowMajor<T>(in ReadOnlyTensorSpan<T> tensor, out ReadOnlySpan<T> span)
    {
        if (!IsRowMajor(tensor.Lengths, tensor.Strides, tensor.FlattenedLength))
        {
            span = default;
            return false;
        }

        span = MemoryMarshal.CreateReadOnlySpan(in tensor.GetPinnableReference(), (int)tensor.FlattenedLength);
        return true;
    }

    private static bool IsRowMajor(ReadOnlySpan<nint> lengths, ReadOnlySpan<nint> strides, nint count)
    {
        if (count > Array.MaxLength)
        {
            return false;
        }

        nint expected = 1;
        for (int axis = lengths.Length - 1; axis >= 0; axis--)
        {
            // An axis of one element may have any stride: it is never stepped.
            if (lengths[axis] != 1 && strides[axis] != expected)
            {
                return false;
            }

            expected *= lengths[axis];
        }

        return true;
    }

    private static nint[] Lengths(Shape shape)
    {
        ReadOnlySpan<int> dimensions = shape.Dimensions;
        if (dimensions.IsEmpty)
        {
            // Empty lengths would make a tensor of no elements, not a scalar.
            return [1];
        }

        var lengths = new nint[dimensions.Length];
        for (int axis = 0; axis < lengths.Length; axis++)
        {
            lengths[axis] = dimensions[axis];
        }

        return lengths;
    }

    internal static Shape ShapeOf(ReadOnlySpan<nint> lengths)
    {
        var dimensions = new int[lengths.Length];
        for (int axis = 0; axis < dimensions.Length; axis++)
        {
            if (lengths[axis] > int.MaxValue)
            {
                ThrowHelper.ThrowArgument($"axis {axis} of the tensor has {lengths[axis]} elements; an NDArray extent must fit an int", nameof(lengths));
            }

            dimensions[axis] = (int)lengths[axis];
        }

        return new Shape(dimensions);
    }
}

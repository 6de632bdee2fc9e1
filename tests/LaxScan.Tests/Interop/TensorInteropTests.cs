using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using LaxScan.Models;
using Microsoft.ML.OnnxRuntime;

namespace LaxScan.Tests.Interop;

/// <summary>
/// The bridges to System.Numerics.Tensors share memory with the NDArray (the same address, and a write through one is
/// read through the other), so LaxScan's output reaches ONNX Runtime without a copy; FromTensor copies only what it
/// cannot take back.
/// </summary>
public class TensorInteropTests
{
    private static readonly float[] X = [0.5f, -1f, 0.25f, 2f];

    [Fact]
    public void AsTensorSpan_views_the_arrays_own_memory_with_its_shape()
    {
        var array = new NDArray<float>(new Shape(2, 3), [1, 2, 3, 4, 5, 6]);
        TensorSpan<float> span = array.AsTensorSpan();
        Assert.Equal([2, 3], span.Lengths.ToArray());
        Assert.True(Unsafe.AreSame(ref span.GetPinnableReference(), ref array.Data[0]));

        span[1, 2] = 60;
        Assert.Equal(60, array[1, 2]);
        Assert.Equal([2, 3], array.AsReadOnlyTensorSpan().Lengths.ToArray());
    }

    [Fact]
    public void ToTensor_wraps_the_buffer_and_FromTensor_gives_the_same_array_back()
    {
        var array = new NDArray<float>(new Shape(3, 2), [1, 2, 3, 4, 5, 6]);
        Tensor<float> tensor = array.ToTensor();
        Assert.Equal([3, 2], tensor.Lengths.ToArray());
        Assert.True(tensor.IsDense);
        Assert.True(Unsafe.AreSame(ref tensor.GetPinnableReference(), ref array.Data[0]));

        tensor[2, 0] = 50;
        Assert.Equal(50, array[2, 0]);
        Assert.Same(array, NDArray<float>.FromTensor(tensor));
    }

    [Fact]
    public void FromTensor_copies_a_tensor_it_did_not_make_into_a_buffer_of_its_own()
    {
        float[] values = [1, 2, 3, 4, 5, 6];
        Tensor<float> foreign = Tensor.Create(values, [2, 3]);
        NDArray<float> copy = NDArray<float>.FromTensor(foreign);
        Assert.Equal(new Shape(2, 3), copy.Shape);
        Assert.Equal(values, copy.Data);
        Assert.NotSame(values, copy.Data);
    }

    [Fact]
    public void FromTensorSpan_gathers_a_strided_span_in_row_major_order()
    {
        // The transpose of a 2x3 row-major buffer: lengths (3, 2), strides (1, 3).
        float[] values = [1, 2, 3, 4, 5, 6];
        var transposed = new ReadOnlyTensorSpan<float>(values, [3, 2], [1, 3]);
        Assert.False(transposed.IsDense);
        NDArray<float> gathered = NDArray<float>.FromTensorSpan(transposed);
        Assert.Equal(new Shape(3, 2), gathered.Shape);
        Assert.Equal([1f, 4, 2, 5, 3, 6], gathered.Data);
    }

    // System.Numerics.Tensors has no rank 0: empty lengths mean one axis over the whole buffer.
    [Fact]
    public void A_scalar_becomes_one_element_of_rank_1()
    {
        var scalar = new NDArray<float>(new Shape(), [7]);
        Assert.Equal([1], scalar.AsTensorSpan().Lengths.ToArray());
        Assert.Equal([1], scalar.ToTensor().Lengths.ToArray());
        NDArray<float> back = NDArray<float>.FromTensorSpan(scalar.AsReadOnlyTensorSpan());
        Assert.Equal(new Shape(1), back.Shape);
        Assert.Equal([7f], back.Data);
    }

    [Fact]
    public void A_scalar_s_own_tensor_round_trips_to_a_scalar()
    {
        var scalar = new NDArray<float>(new Shape(), [7]);
        NDArray<float> back = NDArray<float>.FromTensor(scalar.ToTensor());
        Assert.Equal(Shape.Scalar, back.Shape);
        Assert.Same(scalar.Data, back.Data);

        // A one-element tensor that is not a scalar's stays (1,): the same lengths, nothing else to tell them apart.
        var vector = new NDArray<float>(new Shape(1), [7]);
        Assert.Equal(new Shape(1), NDArray<float>.FromTensor(vector.ToTensor()).Shape);
    }

    // The case: LaxScan's output handed to ONNX Runtime. The OrtValue's data is the NDArray's own memory.
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void LaxScans_output_goes_into_an_onnx_runtime_OrtValue_without_a_copy(int batch)
    {
        NDArray<float> x = batch == 1 ? new NDArray<float>(new Shape(4), [.. X]) : new NDArray<float>(new Shape(batch, 4), [.. Enumerable.Repeat(X, batch).SelectMany(r => r)]);
        NDArray<float> h = LaxScanFunctions.LaxScanInModule(LaxScan.Random.PrngKey.FromSeed(0), x, 4, 10);
        float[] bits = [.. h.Data];

        // ONNX Runtime 1.31.1's Tensor<T> entry (CreateTensorValueFromSystemNumericsTensorObject, marked
        // evaluation-only) was built against System.Numerics.Tensors 9 and fails with 10 (MissingMethodException:
        // Tensor.Create(ReadOnlySpan<nint>, bool)); its stable entry takes the buffer and the shape, and pins them.
        long[] shape = [.. h.ToTensor().Lengths.ToArray().Select(l => (long)l)];
        using OrtValue value = OrtValue.CreateTensorValueFromMemory(h.Data, shape);
        Assert.Equal(h.Shape.Dimensions.ToArray().Select(d => (long)d), value.GetTensorTypeAndShape().Shape);
        Span<float> ort = value.GetTensorMutableDataAsSpan<float>();
        Assert.Equal(h.Length, ort.Length);
        Assert.True(Unsafe.AreSame(ref ort[0], ref h.Data[0]), "the OrtValue holds a copy, not LaxScan's buffer");
        Assert.Equal(bits.Select(BitConverter.SingleToUInt32Bits), ort.ToArray().Select(BitConverter.SingleToUInt32Bits));

        ort[^1] = 42;
        Assert.Equal(42, h.Data[^1]);
    }
}

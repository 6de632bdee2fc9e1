namespace LaxScan.Tests;

/// <summary>
/// <see cref="NDArray{T}.ToString"/> shows the values (issue 10 item 17): nested brackets, each float32 as numpy prints
/// a float32 scalar (checked against numpy's own strings below), and beyond 1000 elements the first and last 3 of each
/// axis around <c>...</c> (numpy's <c>threshold</c> and <c>edgeitems</c>). It used to print only <c>float32[4]</c>.
/// </summary>
public class NDArrayTextTests
{
    [Fact]
    public void A_vector_shows_its_type_and_values()
    {
        Assert.Equal("float32[4] [0.5, -1.0, 0.25, 2.0]", new NDArray<float>(new Shape(4), [0.5f, -1f, 0.25f, 2f]).ToString());
    }

    [Fact]
    public void A_matrix_nests_and_special_values_are_spelled_as_numpy_spells_them()
    {
        var a = new NDArray<float>(new Shape(2, 3), [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 1e-5f, 3.4028235e38f]);
        Assert.Equal("float32[2,3] [[nan, inf, -inf], [-0.0, 1e-05, 3.4028235e+38]]", a.ToString());
    }

    /// <summary>
    /// <c>str(np.float32(v))</c> as Debian's numpy 1.24.2 (/usr/bin/python3) printed it when this test was written:
    /// numpy's output, not LaxScan's. The value is the float64 given to np.float32, rounded to float32 as (float)v is.
    /// </summary>
    public static TheoryData<double, string> NumpyScalars => new()
    {
        { 0.5, "0.5" }, { -1.0, "-1.0" }, { 2.0, "2.0" }, { -0.0, "-0.0" }, { 0.0, "0.0" },
        { 1e-5, "1e-05" }, { 1e-4, "1e-04" }, { 0.00011, "0.00011" }, { 9.999e-5, "9.999e-05" },
        { 3.4028235e38, "3.4028235e+38" }, { 1e16, "1e+16" }, { 9.999999e15, "9999999000000000.0" }, { 1e15, "1000000000000000.0" },
        { 123456789.0, "123456790.0" }, { 16777216.0, "16777216.0" }, { 1.0 / 3, "0.33333334" }, { 0.1, "0.1" },
        { 1.5e-5, "1.5e-05" }, { 1e-45, "1e-45" }, { 1.17549435e-38, "1.1754944e-38" }, { -2.5e20, "-2.5e+20" },
        { 1e7, "10000000.0" }, { 12345.678, "12345.678" }, { double.NaN, "nan" }, { double.PositiveInfinity, "inf" }, { double.NegativeInfinity, "-inf" },
    };

    [Theory]
    [MemberData(nameof(NumpyScalars))]
    public void Each_float32_is_written_as_numpy_writes_the_scalar(double value, string numpy)
    {
        Assert.Equal($"float32[] {numpy}", new NDArray<float>(Shape.Scalar, [(float)value]).ToString());
    }

    [Fact]
    public void Integers_scalars_and_empty_arrays()
    {
        Assert.Equal("uint32[2,2] [[1, 2], [3, 4294967295]]", new NDArray<uint>(new Shape(2, 2), [1, 2, 3, uint.MaxValue]).ToString());
        Assert.Equal("float32[] 1.5", new NDArray<float>(new Shape(), [1.5f]).ToString());
        Assert.Equal("float32[0] []", new NDArray<float>(new Shape(0)).ToString());
        Assert.Equal("uint8[2,0] [[], []]", new NDArray<byte>(new Shape(2, 0)).ToString());
    }

    [Fact]
    public void Beyond_1000_elements_each_axis_shows_its_first_and_last_three()
    {
        var vector = new NDArray<float>(new Shape(1001), [.. Enumerable.Range(0, 1001).Select(i => (float)i)]);
        Assert.Equal("float32[1001] [0.0, 1.0, 2.0, ..., 998.0, 999.0, 1000.0]", vector.ToString());

        var matrix = new NDArray<uint>(new Shape(100, 20), [.. Enumerable.Range(0, 2000).Select(i => (uint)i)]);
        Assert.Equal(
            "uint32[100,20] [[0, 1, 2, ..., 17, 18, 19], [20, 21, 22, ..., 37, 38, 39], [40, 41, 42, ..., 57, 58, 59], ..., "
            + "[1940, 1941, 1942, ..., 1957, 1958, 1959], [1960, 1961, 1962, ..., 1977, 1978, 1979], [1980, 1981, 1982, ..., 1997, 1998, 1999]]",
            matrix.ToString());

        // At 1000 elements nothing is left out.
        Assert.DoesNotContain("...", new NDArray<float>(new Shape(1000)).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Reshape_shares_the_buffer_as_its_documentation_now_says()
    {
        var a = new NDArray<float>(new Shape(2, 2), [1f, 2f, 3f, 4f]);
        NDArray<float> b = a.Reshape(new Shape(4));
        b.Span[0] = 9f;
        Assert.Equal(9f, a.Data[0]);
        Assert.Same(a.Data, b.Data);
    }
}

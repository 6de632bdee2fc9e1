namespace LaxScan.Tests;

/// <summary>
/// <see cref="NDArray{T}.ToString"/> shows the values (issue 10 item 17), numpy-style: nested brackets, <c>nan</c> and
/// <c>inf</c>, an integral float with its point (<c>2.</c>), and beyond 1000 elements the first and last 3 of each
/// axis around <c>...</c> (numpy's <c>threshold</c> and <c>edgeitems</c>). It used to print only <c>float32[4]</c>.
/// </summary>
public class NDArrayTextTests
{
    [Fact]
    public void A_vector_shows_its_type_and_values()
    {
        Assert.Equal("float32[4] [0.5, -1., 0.25, 2.]", new NDArray<float>(new Shape(4), [0.5f, -1f, 0.25f, 2f]).ToString());
    }

    [Fact]
    public void A_matrix_nests_and_special_values_are_spelled_as_numpy_spells_them()
    {
        var a = new NDArray<float>(new Shape(2, 3), [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 1e-5f, 3.4028235e38f]);
        Assert.Equal("float32[2,3] [[nan, inf, -inf], [-0., 1e-05, 3.4028235e+38]]", a.ToString());
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
        Assert.Equal("float32[1001] [0., 1., 2., ..., 998., 999., 1000.]", vector.ToString());

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

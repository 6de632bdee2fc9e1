namespace LaxScan.Tests;

public class NumpyTextTests
{
    [Theory]
    [InlineData(0xBCE7DF15u, "-0.02830462")]   // shortest repr -0.028304616: 9 fractional digits, rounded to 8
    [InlineData(0x3FCFB2BDu, "1.6226422")]     // shortest repr already has <= 8
    [InlineData(0x00000000u, "0")]
    [InlineData(0x3F800000u, "1")]
    public void Formats_like_numpy_array_printing(uint bits, string expected) =>
        Assert.Equal(expected, NumpyText.Format(Bits.Float(bits)));
}

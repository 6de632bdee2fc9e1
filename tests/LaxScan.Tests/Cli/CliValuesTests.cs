using LaxScan.Cli.Parsing;

namespace LaxScan.Tests.Cli;

/// <summary>Option text read as Python reads the same literal for JAX.</summary>
public class CliValuesTests
{
    [Theory]
    [InlineData("0", 0f)]
    [InlineData("-1.5", -1.5f)]
    [InlineData("+2", 2f)]
    [InlineData(".5", 0.5f)]
    [InlineData("5.", 5f)]
    [InlineData("1e3", 1000f)]
    [InlineData("1E-3", 0.001f)]
    [InlineData(" 7 ", 7f)]
    [InlineData("1e39", float.PositiveInfinity)]
    [InlineData("-1e400", float.NegativeInfinity)]
    [InlineData("1e-50", 0f)]
    [InlineData("inf", float.PositiveInfinity)]
    [InlineData("INF", float.PositiveInfinity)]
    [InlineData("+inf", float.PositiveInfinity)]
    [InlineData("-inf", float.NegativeInfinity)]
    [InlineData("Infinity", float.PositiveInfinity)]
    [InlineData("-infinity", float.NegativeInfinity)]
    public void Floats_parse_as_Python_float_then_float32(string text, float expected)
    {
        Assert.True(CliValues.TryParseFloat32(text, "--x", out float value, out string? error), error);
        Assert.Equal(BitConverter.SingleToUInt32Bits(expected), BitConverter.SingleToUInt32Bits(value));
    }

    [Theory]
    [InlineData("nan", 0x7FC00000u)]
    [InlineData("NaN", 0x7FC00000u)]
    [InlineData("NAN", 0x7FC00000u)]
    [InlineData("+nan", 0x7FC00000u)]
    [InlineData("-nan", 0xFFC00000u)]
    public void NaN_literals_keep_Pythons_bits(string text, uint bits)
    {
        // float('nan') is the positive quiet NaN, and numpy keeps its sign when it rounds to float32.
        Assert.True(CliValues.TryParseFloat32(text, "--x", out float value, out _));
        Assert.Equal(bits, BitConverter.SingleToUInt32Bits(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("abc")]
    [InlineData("1,5")]
    [InlineData("0x10")]
    [InlineData("1e")]
    [InlineData("--1")]
    [InlineData("1_0")]
    [InlineData("∞")]
    [InlineData("nanx")]
    [InlineData("١")]
    public void Non_numbers_are_rejected_with_their_text(string text)
    {
        Assert.False(CliValues.TryParseFloat32(text, "--x item 2", out _, out string? error));
        Assert.Equal($"--x item 2 expects a number, but got '{text}'" + (text == "1_0" ? ": digit-grouping underscores are not accepted, write the digits alone ('10')" : string.Empty), error);
    }

    [Fact]
    public void Lists_name_the_empty_or_bad_item()
    {
        Assert.True(CliValues.TryParseFloat32List("0.5, -1,nan,inf", "--x", out float[] values, out _));
        Assert.Equal(4, values.Length);

        Assert.False(CliValues.TryParseFloat32List("1,2,", "--x", out _, out string? error));
        Assert.Contains("--x item 3 of 3 is empty", error, StringComparison.Ordinal);
        Assert.False(CliValues.TryParseFloat32List("1,,2", "--x", out _, out error));
        Assert.Contains("--x item 2 of 3 is empty", error, StringComparison.Ordinal);
        Assert.False(CliValues.TryParseFloat32List("", "--x", out _, out error));
        Assert.Contains("--x item 1 of 1 is empty", error, StringComparison.Ordinal);
        Assert.False(CliValues.TryParseFloat32List("1,two,3", "--x", out _, out error));
        Assert.Equal("--x item 2 expects a number, but got 'two'", error);
    }

    [Theory]
    [InlineData("", new int[0])]
    [InlineData("  ", new int[0])]
    [InlineData("3", new[] { 3 })]
    [InlineData("2,3,4", new[] { 2, 3, 4 })]
    [InlineData("0", new[] { 0 })]
    [InlineData("-1", new[] { -1 })]
    public void Dimensions_parse_with_the_empty_string_as_scalar(string text, int[] expected)
    {
        Assert.True(CliValues.TryParseDimensions(text, "--shape", out int[] dims, out _));
        Assert.Equal(expected, dims);
    }

    [Theory]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    [InlineData("+42", 42L)]
    public void Int64_covers_the_signed_range(string text, long expected)
    {
        Assert.True(CliValues.TryParseInt64(text, "--seed", out long value, out _));
        Assert.Equal(expected, value);
    }
}

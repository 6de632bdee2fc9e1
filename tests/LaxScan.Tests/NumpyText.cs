using System.Globalization;
using System.Numerics;

namespace LaxScan.Tests;

/// <summary>
/// How numpy prints a float32 inside an array (default print options: <c>precision=8</c>, <c>floatmode='maxprec'</c>):
/// the shortest round-trip digits, but at most 8 after the decimal point, the exact value rounded there.
/// </summary>
/// <remarks>
/// Published JAX outputs are mostly array reprs, so a value such as <c>-0.02830462</c> is not a float32's shortest
/// repr but its rounding to 8 fractional digits. Comparing our result through this printer tests exactly what was
/// published, no more and no less.
/// </remarks>
internal static class NumpyText
{
    private const int Precision = 8;

    public static string Format(float x)
    {
        string shortest = x.ToString("R", CultureInfo.InvariantCulture);
        if (!float.IsFinite(x) || shortest.Contains('E', StringComparison.Ordinal))
        {
            return shortest;
        }

        int dot = shortest.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0 || shortest.Length - dot - 1 <= Precision)
        {
            return shortest;
        }

        return RoundExact(x, Precision);
    }

    // Rounds the exact binary value of x to `digits` fractional digits (half away from zero) and trims trailing zeros.
    private static string RoundExact(float x, int digits)
    {
        uint bits = BitConverter.SingleToUInt32Bits(x);
        int exponent = (int)((bits >> 23) & 0xFF);
        BigInteger mantissa = exponent == 0 ? bits & 0x7FFFFF : (bits & 0x7FFFFF) | 0x800000;
        int power = (exponent == 0 ? 1 : exponent) - 150;   // x = mantissa * 2^power

        BigInteger scaled = mantissa * BigInteger.Pow(10, digits);
        BigInteger quotient;
        if (power >= 0)
        {
            quotient = scaled << power;
        }
        else
        {
            BigInteger divisor = BigInteger.One << -power;
            quotient = BigInteger.DivRem(scaled, divisor, out BigInteger remainder);
            if (remainder * 2 >= divisor)
            {
                quotient += 1;
            }
        }

        string text = quotient.ToString(CultureInfo.InvariantCulture).PadLeft(digits + 1, '0');
        string result = $"{text[..^digits]}.{text[^digits..]}".TrimEnd('0').TrimEnd('.');
        return (x < 0 ? "-" : string.Empty) + result;
    }
}

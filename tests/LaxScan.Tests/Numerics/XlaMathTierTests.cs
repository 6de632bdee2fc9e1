using LaxScan.Numerics;

namespace LaxScan.Tests.Numerics;

/// <summary>
/// Every span kernel at every tier (forced, whatever the hardware) against the scalar reference, bit for bit:
/// special values and thresholds, millions of pseudo-random bit patterns, dense sweeps of each function's working
/// range, every length 0..257 (every tail path) and in-place. Two NaNs count as equal.
/// </summary>
/// <remarks>The proof over all 2^32 inputs is <c>dotnet run -c Release --project bench/LaxScan.Bench -- exhaustive</c>.</remarks>
public class XlaMathTierTests
{
    public enum Function
    {
        Tanh,
        Erf,
        ErfInv,
        Log,
        Log1p,
        Exp,
        Logistic,
    }

    // The vector tiers only: the scalar tier runs the reference itself, so comparing it with the reference could not fail.
    public static TheoryData<Function, SimdTier> Cases
    {
        get
        {
            var data = new TheoryData<Function, SimdTier>();
            foreach (Function f in Enum.GetValues<Function>())
            {
                foreach (SimdTier tier in (SimdTier[])[SimdTier.Vector128, SimdTier.Vector256, SimdTier.Vector512])
                {
                    data.Add(f, tier);
                }
            }

            return data;
        }
    }

    public static TheoryData<Function, SimdTier> CasesWithScalar
    {
        get
        {
            var data = Cases;
            foreach (Function f in Enum.GetValues<Function>())
            {
                data.Add(f, SimdTier.Scalar);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Special_values_and_thresholds_match_the_reference(Function f, SimdTier tier) =>
        AssertMatchesReference(f, tier, InputSet.Special);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Random_bit_patterns_match_the_reference(Function f, SimdTier tier) =>
        AssertMatchesReference(f, tier, InputSet.Random);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Dense_sweep_of_the_working_range_matches_the_reference(Function f, SimdTier tier) =>
        AssertMatchesReference(f, tier, InputSet.Sweep);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_length_out_of_place_and_in_place_matches_the_reference(Function f, SimdTier tier)
    {
        float[] pool = LengthPool.Value;
        for (int n = 0; n <= 257; n++)
        {
            // Start at an odd element so the vectors are unaligned, and leave sentinels after the end.
            float[] source = new float[n + 1];
            pool.AsSpan(n, n).CopyTo(source.AsSpan(1));
            ReadOnlySpan<float> x = source.AsSpan(1);
            float[] expected = new float[n];
            for (int i = 0; i < n; i++)
            {
                expected[i] = Reference(f)(x[i]);
            }

            float[] destination = new float[n + 5];
            destination.AsSpan().Fill(Sentinel);
            Apply(f, x, destination, tier);
            AssertSameBits(expected, destination.AsSpan(0, n), x, $"{f} {tier} length {n}");
            foreach (float after in destination.AsSpan(n))
            {
                Assert.Equal(Bits.Of(Sentinel), Bits.Of(after));
            }

            float[] inPlace = source.ToArray();
            Span<float> both = inPlace.AsSpan(1);
            Apply(f, both, both, tier);
            AssertSameBits(expected, both, x, $"{f} {tier} length {n} in place");
        }
    }

    [Theory]
    [MemberData(nameof(CasesWithScalar))]
    public void A_short_or_shifted_destination_is_rejected(Function f, SimdTier tier)
    {
        float[] buffer = new float[40];
        Assert.Throws<ArgumentException>(() => Apply(f, buffer.AsSpan(0, 20), buffer.AsSpan(20, 19), tier));
        Assert.Throws<ArgumentException>(() => Apply(f, buffer.AsSpan(0, 20), buffer.AsSpan(1, 20), tier));
        Assert.Throws<ArgumentException>(() => Apply(f, buffer.AsSpan(1, 20), buffer.AsSpan(0, 20), tier));
    }

    [Fact]
    public void The_public_overloads_use_a_tier_with_the_same_bits()
    {
        float[] x = SpecialValues.Value;
        float[] destination = new float[x.Length];
        XlaMath.Tanh(x, destination);
        AssertSameBits(ReferenceOf(Function.Tanh, x), destination, x, "Tanh");
        XlaMath.Erf(x, destination);
        AssertSameBits(ReferenceOf(Function.Erf, x), destination, x, "Erf");
        XlaMath.ErfInv(x, destination);
        AssertSameBits(ReferenceOf(Function.ErfInv, x), destination, x, "ErfInv");
        XlaMath.Log(x, destination);
        AssertSameBits(ReferenceOf(Function.Log, x), destination, x, "Log");
        XlaMath.Log1p(x, destination);
        AssertSameBits(ReferenceOf(Function.Log1p, x), destination, x, "Log1p");
        XlaMath.Exp(x, destination);
        AssertSameBits(ReferenceOf(Function.Exp, x), destination, x, "Exp");
        XlaMath.Logistic(x, destination);
        AssertSameBits(ReferenceOf(Function.Logistic, x), destination, x, "Logistic");
    }

    private const float Sentinel = 12345.678f;

    private static Func<float, float> Reference(Function f) => f switch
    {
        Function.Tanh => XlaMath.Tanh,
        Function.Erf => XlaMath.Erf,
        Function.ErfInv => XlaMath.ErfInv,
        Function.Log => XlaMath.Log,
        Function.Log1p => XlaMath.Log1p,
        Function.Exp => XlaMath.Exp,
        Function.Logistic => XlaMath.Logistic,
        _ => throw new ArgumentOutOfRangeException(nameof(f)),
    };

    private static void Apply(Function f, ReadOnlySpan<float> x, Span<float> destination, SimdTier tier)
    {
        switch (f)
        {
            case Function.Tanh: XlaMath.Tanh(x, destination, tier); break;
            case Function.Erf: XlaMath.Erf(x, destination, tier); break;
            case Function.ErfInv: XlaMath.ErfInv(x, destination, tier); break;
            case Function.Log: XlaMath.Log(x, destination, tier); break;
            case Function.Log1p: XlaMath.Log1p(x, destination, tier); break;
            case Function.Exp: XlaMath.Exp(x, destination, tier); break;
            case Function.Logistic: XlaMath.Logistic(x, destination, tier); break;
            default: throw new ArgumentOutOfRangeException(nameof(f));
        }
    }

    private static float[] ReferenceOf(Function f, float[] x)
    {
        Func<float, float> reference = Reference(f);
        float[] expected = new float[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            expected[i] = reference(x[i]);
        }

        return expected;
    }

    public enum InputSet
    {
        Special,
        Random,
        Sweep,
    }

    // The reference output of each (function, input set), computed once for its four tiers: in a Debug test run the
    // scalar reference is by far the slowest part.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Function, InputSet), Lazy<(float[] X, float[] Expected)>> Expected = new();

    private static void AssertMatchesReference(Function f, SimdTier tier, InputSet set)
    {
        var (x, expected) = Expected.GetOrAdd((f, set), key => new Lazy<(float[], float[])>(() =>
        {
            float[] inputs = key.Item2 switch
            {
                InputSet.Special => SpecialValues.Value,
                InputSet.Random => RandomPatterns.Value,
                _ => DenseSweep(key.Item1),
            };
            return (inputs, ReferenceOf(key.Item1, inputs));
        })).Value;
        float[] actual = new float[x.Length];
        Apply(f, x, actual, tier);
        AssertSameBits(expected, actual, x, $"{f} {tier} {set}");
    }

    /// <summary>Counts every mismatch (NaN == NaN) and reports the first few with their inputs, in hex.</summary>
    private static void AssertSameBits(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, ReadOnlySpan<float> x, string what)
    {
        int mismatches = 0;
        var examples = new List<string>();
        for (int i = 0; i < expected.Length; i++)
        {
            bool same = Bits.Of(expected[i]) == Bits.Of(actual[i]) || (float.IsNaN(expected[i]) && float.IsNaN(actual[i]));
            if (!same && mismatches++ < 8)
            {
                examples.Add($"x={Bits.Hex(x[i])} expected {Bits.Hex(expected[i])} got {Bits.Hex(actual[i])}");
            }
        }

        Assert.True(mismatches == 0, $"{what}: {mismatches} of {expected.Length} differ from the scalar reference: {string.Join("; ", examples)}");
    }

    // Every threshold of jax-parity.md section 4, the FTZ boundaries, +-1, +-inf, NaNs with several payloads, each +-2 ulps
    // and with both signs; plus the inputs where ErfInv switches log1p branch and polynomial (found by bisection).
    private static readonly Lazy<float[]> SpecialValues = new(() =>
    {
        var bits = new HashSet<uint>();
        uint[] centres =
        [
            0x0000_0000, 0x0000_0001, 0x0000_0002, 0x007F_FFFF, 0x0080_0000, 0x0080_0001, 0x0100_0000,
            0x3F80_0000, 0x3F00_0000, 0x4000_0000, 0x4120_0000, 0x7F7F_FFFF, 0x7F80_0000,
            XlaMath.TanhSmallBits, XlaMath.TanhClampBits, XlaMath.TanhSaturateBits, XlaMath.ErfSaturateBits,
            XlaMath.Log1pSmallBits, XlaMath.SqrtHalfBits,
            0x1F80_0000, 0x2000_0000, 0x1A00_0000, 0x1A80_0000,   // 2^-64, 2^-63, 2^-75, 2^-74: where x * x leaves / enters the normal range
            0x40A0_0000, 0x4100_0000,                             // 5 and 8
            XlaMath.ExpLowBits, XlaMath.ExpHighBits, 0x42B1_7218,    // exp's clamp bounds and ln(float.MaxValue)
            0x42AE_0000, 0x42AF_0000, 0x42AF_1000,                // 87, 87.5, 87.53: exp(-x) around 2^-126, where it flushes
            FirstBitsWhere(b => ErfInvW(b) >= 5f), FirstBitsWhere(b => XlaMath.FlushToZero(b * b) >= Bits.Float(XlaMath.Log1pSmallBits)),
        ];
        foreach (uint c in centres)
        {
            for (int d = -2; d <= 2; d++)
            {
                bits.Add(unchecked(c + (uint)d));
            }
        }

        // ErfInv's switches are found on a rounded, slightly non-monotone w: take a wider band around them.
        foreach (uint c in centres[^2..])
        {
            for (int d = -64; d <= 64; d++)
            {
                bits.Add(unchecked(c + (uint)d));
            }
        }

        // log's mantissa test m < sqrt(1/2) at every exponent.
        for (uint e = 1; e < 255; e++)
        {
            uint c = (e << 23) | (XlaMath.SqrtHalfBits & 0x007F_FFFF);
            for (int d = -2; d <= 2; d++)
            {
                bits.Add(unchecked(c + (uint)d));
            }
        }

        foreach (uint nan in (uint[])[0x7F80_0001, 0x7FA0_0000, 0x7FC0_0000, 0x7FC0_0001, 0x7FFF_FFFF, 0x7FBF_FFFF])
        {
            bits.Add(nan);
        }

        return bits.SelectMany(b => new[] { b & 0x7FFF_FFFF, b | 0x8000_0000 }).Distinct().Order().Select(Bits.Float).ToArray();
    });

    private static float ErfInvW(float x) => -XlaMath.Log1p(-XlaMath.FlushToZero(x * x));

    private static uint FirstBitsWhere(Func<float, bool> predicate)
    {
        uint lo = 0x3F00_0000, hi = 0x3F80_0000;   // [0.5, 1): predicate false at lo, true at hi
        while (hi - lo > 1)
        {
            uint mid = lo + ((hi - lo) / 2);
            (predicate(Bits.Float(mid)) ? ref hi : ref lo) = mid;
        }

        return hi;
    }

    // 2^21 bit patterns from a fixed-seed xorshift: every sign, exponent and payload, mostly far from any threshold.
    private static readonly Lazy<float[]> RandomPatterns = new(() =>
    {
        float[] x = new float[1 << 21];
        ulong state = 0x9E37_79B9_7F4A_7C15;
        for (int i = 0; i < x.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            x[i] = Bits.Float((uint)(state >> 32));
        }

        return x;
    });

    // Each function's working range with an odd stride (so the low mantissa bits vary), both signs, plus every pattern
    // in the stretch where the function changes fastest.
    private static float[] DenseSweep(Function f) => f switch
    {
        Function.Tanh => [.. Sweep(0, 0x41A0_1000, 2039), .. Sweep(XlaMath.TanhClampBits - 0x8000, XlaMath.TanhClampBits + 0x8000, 1)],
        Function.Erf => [.. Sweep(0, 0x4080_0000, 2039), .. Sweep(XlaMath.ErfSaturateBits - 0x8000, XlaMath.ErfSaturateBits + 0x8000, 1)],
        Function.Log => [.. Sweep(0, 0x7F80_0002, 4093), .. Sweep(0x3F00_0000, 0x4000_0000, 31)],
        Function.Log1p => [.. Sweep(0, 0x3F80_1000, 2039), .. Sweep(0x3F7F_0000, 0x3F80_0001, 1), .. Sweep(XlaMath.Log1pSmallBits - 0x8000, XlaMath.Log1pSmallBits + 0x8000, 1)],
        Function.ErfInv => [.. Sweep(0, 0x3F80_0001, 2039), .. Sweep(0x3F7E_0000, 0x3F80_0001, 1)],
        Function.Exp => [.. Sweep(0, 0x42B4_0000, 2039), .. Sweep(0x42AE_0000, 0x42B2_0000, 3)],
        Function.Logistic => [.. Sweep(0, 0x42B4_0000, 2039), .. Sweep(0x42AE_0000, 0x42B2_0000, 3)],
        _ => throw new ArgumentOutOfRangeException(nameof(f)),
    };

    private static IEnumerable<float> Sweep(uint from, uint to, uint stride)
    {
        for (ulong b = from; b < to; b += stride)
        {
            yield return Bits.Float((uint)b);
            yield return Bits.Float((uint)b | 0x8000_0000);
        }
    }

    // For the length tests: special values interleaved with random inputs, so every tail sees both.
    private static readonly Lazy<float[]> LengthPool = new(() =>
    {
        float[] special = SpecialValues.Value;
        float[] random = RandomPatterns.Value;
        float[] pool = new float[2 * 258];
        for (int i = 0; i < pool.Length; i++)
        {
            pool[i] = i % 3 == 0 ? special[(i * 37) % special.Length] : i % 3 == 1 ? (random[i] % 4f) : random[i];
        }

        return pool;
    });
}

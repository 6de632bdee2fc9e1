using LaxScan.Numerics;

namespace LaxScan.Tests.Numerics;

/// <summary>
/// exp and logistic (jax.nn.sigmoid) as XLA:CPU computes them (polynomial_approximations.cc GenerateVF32Exp at XLA
/// 131bf41; jax/_src/lax/lax.py logistic_impl): the one published check value, the behaviours the source states, and
/// an accuracy property that catches a wrong constant. Every tier is run; the tier tests compare them bit for bit.
/// </summary>
public class XlaExpLogisticTests
{
    public static TheoryData<SimdTier> Tiers => [SimdTier.Scalar, SimdTier.Vector128, SimdTier.Vector256, SimdTier.Vector512];

    private static float[] Run(Action<float[], float[], SimdTier> f, SimdTier tier, params float[] x)
    {
        // Pad past one 512-bit vector so the vector path, not only the scalar tail, sees the inputs.
        float[] input = [.. x, .. Enumerable.Repeat(0.5f, 16)];
        float[] output = new float[input.Length];
        f(input, output, tier);
        return output[..x.Length];
    }

    private static float[] Exp(SimdTier tier, params float[] x) => Run((i, o, t) => XlaMath.Exp(i, o, t), tier, x);

    private static float[] Logistic(SimdTier tier, params float[] x) => Run((i, o, t) => XlaMath.Logistic(i, o, t), tier, x);

    [Theory]
    [MemberData(nameof(Tiers))]
    public void Exp_of_88_7228394_follows_the_contraction_rule_not_the_2019_comment(SimdTier tier)
    {
        // polynomial_approximations.cc:243-245 says "we return exp(88.7228394) = max-float but we should return inf".
        // That comment came with XLA ab3d7d1a23 (2019), when XLA:CPU compiled with fast math, whose reassociation
        // turns the last polynomial step into fma(z, r * r, 1 + r): max-float. Without fast math (JAX 0.11.0) LLVM
        // only contracts one-use products: z = fma(z, r * r, r), then 1 + z, and the product overflows to +inf. Only
        // the unfused rn(rn(z * r * r) + r) would give max-float. Read in the sources; a JAX run decides (docs/parity.md).
        Bits.Equal(0x7F80_0000u, Exp(tier, 88.7228394f)[0]);

        // One float below, e^x = 3.4027985e38 (0x7F7FFF84 correctly rounded) is finite: the same rule must give a finite
        // value there, in the top binade (sign 0, exponent field 0xFE: a wrong clamp of n or a lost 2^n scaling leaves
        // it). No source publishes its exact bits, so they are left to a JAX run, not pinned to what this code prints.
        uint below = Bits.Of(Exp(tier, Bits.Float(0x42B1_7217))[0]);
        Assert.Equal(0xFEu, below >> 23);
    }

    [Fact]
    public void The_constants_are_the_Cephes_literals_of_XLA_s_source_rounded_to_float32()
    {
        // xla/backends/cpu/codegen/polynomial_approximations.cc:182-192, 217 at XLA 131bf41: each constant is
        // GetIeeeF32(double literal), the literal rounded to a double and then to float32, which is what C#'s
        // (float) of a double literal does. A typo in a hex constant (or a coefficient one ulp off) fails here.
        double[] polynomial = [1.9875691500E-4, 1.3981999507E-3, 8.3334519073E-3, 4.1665795894E-2, 1.6666665459E-1, 5.0000001201E-1];
        Assert.Equal(polynomial.Length, XlaMath.ExpPolynomial.Length);
        for (int i = 0; i < polynomial.Length; i++)
        {
            Bits.Equal((float)polynomial[i], XlaMath.ExpPolynomial[i], $"cephes_exp_p{i}");
        }

        Bits.Equal((float)1.44269504088896341, Bits.Float(XlaMath.ExpLog2EBits), "cephes_LOG2EF");
        Bits.Equal((float)0.693359375, Bits.Float(XlaMath.ExpC1Bits), "cephes_exp_C1");
        Bits.Equal((float)-2.12194440e-4, Bits.Float(XlaMath.ExpC2Bits), "cephes_exp_C2");
        Bits.Equal((float)-87.8, Bits.Float(XlaMath.ExpLowBits), "the clamp's lower bound");
        Bits.Equal((float)88.8, Bits.Float(XlaMath.ExpHighBits), "the clamp's upper bound");
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void Exp_clamps_its_input_so_infinities_give_zero_and_infinity(SimdTier tier)
    {
        float[] y = Exp(tier, float.NegativeInfinity, float.PositiveInfinity, -1000f, 1000f, 88.8f, -87.8f);
        Bits.Equal(0u, y[0]);
        Bits.Equal(0x7F80_0000u, y[1]);
        Bits.Equal(0u, y[2]);
        Bits.Equal(0x7F80_0000u, y[3]);
        Bits.Equal(0x7F80_0000u, y[4]);   // z * 2^127 overflows
        Bits.Equal(0u, y[5]);             // n = -127: 2^n is built as +0
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void Exp_flushes_results_below_2_to_the_minus_126_and_reads_subnormal_inputs_as_zero(SimdTier tier)
    {
        // e^-87.5 = 9.9e-39 is subnormal: XLA:CPU runs with FTZ/DAZ, so it is 0; a subnormal input counts as 0, so exp is 1.
        float[] y = Exp(tier, -87.5f, Bits.Float(0x0000_0001), Bits.Float(0x8040_0000), 0f, -0f, float.NaN);
        Bits.Equal(0u, y[0]);
        Bits.Equal(1f, y[1]);
        Bits.Equal(1f, y[2]);
        Bits.Equal(1f, y[3]);
        Bits.Equal(1f, y[4]);
        Assert.True(float.IsNaN(y[5]));
    }

    [Fact]
    public void Exp_is_within_two_ulps_of_e_to_the_x_where_n_is_not_clamped()
    {
        // Cephes' polynomial is accurate to about one ulp; a wrong constant or a lost FMA shows up as a larger error.
        int worst = 0;
        // Above 127.5 ln 2 = 88.376 n is clamped to 127 and the polynomial runs outside its range (a few ulps, as
        // XLA's comment says), so the property is checked below that.
        for (uint b = 0; b < 0x42B0_C000; b += 997)
        {
            CheckUlps(Bits.Float(b), ref worst);
            CheckUlps(-Bits.Float(b), ref worst);
        }

        Assert.True(worst <= 2, $"worst error {worst} ulps");
    }

    private static void CheckUlps(float x, ref int worst)
    {
        double exact = Math.Exp(x);
        if (exact < 1.2e-38 || exact > 3.4e38)
        {
            return;
        }

        float got = XlaMath.Exp(x);
        int ulps = Math.Abs(BitConverter.SingleToInt32Bits(got) - BitConverter.SingleToInt32Bits((float)exact));
        worst = Math.Max(worst, ulps);
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void Logistic_special_values(SimdTier tier)
    {
        float[] y = Logistic(tier, 0f, -0f, float.PositiveInfinity, float.NegativeInfinity, -88f, 88f, Bits.Float(0x0000_0001), float.NaN);
        Bits.Equal(0.5f, y[0]);
        Bits.Equal(0.5f, y[1]);
        Bits.Equal(1f, y[2]);
        Bits.Equal(0u, y[3]);
        Bits.Equal(0u, y[4]);   // 1 / (1 + e^88) = 6e-39 is subnormal and flushes
        Bits.Equal(1f, y[5]);
        Bits.Equal(0.5f, y[6]);
        Assert.True(float.IsNaN(y[7]));
    }

    [Fact]
    public void Logistic_is_one_over_one_plus_exp_of_minus_x()
    {
        // jax/_src/lax/lax.py logistic_impl: div(1, add(1, exp(neg(x)))). The FMA LLVM forms from exp's last multiply and
        // the add rounds the same sum, so the two forms agree on every input.
        for (uint b = 0; b < 0x7F80_0000; b += 4093)
        {
            foreach (float x in (float[])[Bits.Float(b), -Bits.Float(b)])
            {
                float plain = XlaMath.Div(1f, XlaMath.Add(1f, XlaMath.Exp(-x)));
                Bits.Equal(plain, XlaMath.Logistic(x), $"x={Bits.Hex(x)}");
            }
        }
    }
}

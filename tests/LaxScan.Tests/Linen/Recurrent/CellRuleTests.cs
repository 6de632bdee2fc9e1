using LaxScan.Linen.Recurrent.Kernels;
using LaxScan.Numerics;

namespace LaxScan.Tests.Linen.Recurrent;

/// <summary>
/// The fusion and contraction rules of docs/parity.md ("Recurrent family") as they show in each cell's arithmetic. Each
/// test searches inputs where the rule and its alternatives give different floats, then checks that the cell step
/// computes the rule's. The alternatives are what a different reading of the sources would give: an unfused product,
/// the other product contracted, or the bias added in another association.
/// </summary>
public class CellRuleTests
{
    private static float Fma(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b, c);

    /// <summary>Pseudo-random floats in (-range, range), deterministic.</summary>
    private static IEnumerable<float[]> Candidates(int count, float range)
    {
        ulong s = 0x2545_F491_4F6C_DD1D;
        for (int i = 0; i < 200_000; i++)
        {
            float[] v = new float[count];
            for (int k = 0; k < count; k++)
            {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                v[k] = (float)(((s >> 11) * (1.0 / (1UL << 53)) * 2) - 1) * range;
            }

            yield return v;
        }
    }

    [Fact]
    public void LSTM_new_c_is_one_FMA_of_f_times_c_onto_the_rounded_i_times_g()
    {
        // new_c = f * c + i * g: add(mul(f, c), mul(i, g)); LLVM's DAGCombiner contracts the first operand's product.
        foreach (float[] v in Candidates(4, 3f))
        {
            (float xi, float xf, float xg, float c) = (v[0], v[1], v[2], v[3]);
            float i = XlaMath.Logistic(xi), f = XlaMath.Logistic(xf), g = XlaMath.Tanh(xg);
            float rule = Fma(f, c, i * g);
            float unfused = (f * c) + (i * g);
            float other = Fma(i, g, f * c);
            if (rule == unfused || rule == other)
            {
                continue;
            }

            (float cNew, _) = CellMath.Lstm(xi, xf, xg, 0, 0, 0, 0, 0, 0, 0, 0, 0, c);
            Bits.Equal(rule, cNew);
            return;
        }

        Assert.Fail("no input separates the candidates");
    }

    [Fact]
    public void LSTM_gates_add_the_recurrent_bias_to_the_recurrent_dot_first()
    {
        // dense_i(inputs) + dense_h(h), where dense_h = dot + bias: x + (h + b), not (x + h) + b. With g = tanh(30) = 1
        // and c = 0, new_c = i exactly, so the cell shows i.
        foreach (float[] v in Candidates(3, 4f))
        {
            (float x, float h, float b) = (v[0], v[1], v[2]);
            float rule = XlaMath.Logistic(x + (h + b));
            float other = XlaMath.Logistic((x + h) + b);
            if (rule == other)
            {
                continue;
            }

            (float cNew, _) = CellMath.Lstm(x, 0, 30, 0, h, 0, 0, 0, b, 0, 0, 0, 0);
            Bits.Equal(rule, cNew);
            return;
        }

        Assert.Fail("no input separates the candidates");
    }

    [Fact]
    public void GRU_candidate_is_one_FMA_of_r_times_the_biased_recurrent_dot_onto_the_input_projection()
    {
        // n = tanh(dense_i(x) + r * dense_h(h)): the product is the add's second operand, contracted with the first as
        // addend. z = sigmoid(-100) = 0 makes h' = n, and tiny arguments pass tanh unchanged (|x| < 0.0004).
        foreach (float[] v in Candidates(4, 2e-4f))
        {
            (float pn, float hn, float bhn) = (v[0], v[1] * 1000, v[2]);
            float r = XlaMath.Logistic(v[3] * 1000);
            float hnb = hn + bhn;
            float rule = Fma(r, hnb, pn);
            float unfused = pn + (r * hnb);
            if (rule == unfused || MathF.Abs(rule) >= 4e-4f)
            {
                continue;
            }

            Bits.Equal(rule, CellMath.Gru(0, -100, pn, v[3] * 1000, 0, hn, bhn, 0.5f));
            return;
        }

        Assert.Fail("no input separates the candidates");
    }

    [Fact]
    public void GRU_and_MGU_new_h_is_one_FMA_of_one_minus_z_times_n_onto_the_rounded_z_times_h()
    {
        // (1.0 - z) * n + z * h: the first product is contracted.
        foreach (float[] v in Candidates(3, 2f))
        {
            (float pz, float pn, float h) = (v[0], v[1], v[2]);
            float z = XlaMath.Logistic(pz), n = XlaMath.Tanh(pn);
            float rule = Fma(1 - z, n, z * h);
            float unfused = ((1 - z) * n) + (z * h);
            float other = Fma(z, h, (1 - z) * n);
            if (rule == unfused || rule == other)
            {
                continue;
            }

            Bits.Equal(rule, CellMath.Gru(0, pz, pn, 0, 0, 0, 0, h), "GRU");
            Bits.Equal(rule, CellMath.Mgu(pz, pn, 0, 0, 0, resetGate: false, h), "MGU");
            return;
        }

        Assert.Fail("no input separates the candidates");
    }

    [Fact]
    public void MGU_reset_gate_multiplies_the_biased_recurrent_dot_by_f_in_one_FMA()
    {
        // x = dense_h(hn)(h); x *= f; n = tanh(dense_i(in)(inputs) + x). f = sigmoid(pf); tiny values keep tanh exact,
        // and a large pf... is not needed: h' = fma(1 - f, n, f * h) with h = 0 is rn((1 - f) * n), so compare that.
        foreach (float[] v in Candidates(4, 2e-4f))
        {
            (float pn, float hn, float bhn, float pf) = (v[0], v[1] * 1000, v[2], v[3] * 1000);
            float f = XlaMath.Logistic(pf);
            float rule = Fma(hn + bhn, f, pn);
            float unfused = pn + ((hn + bhn) * f);
            if (rule == unfused || MathF.Abs(rule) >= 4e-4f)
            {
                continue;
            }

            float expected = (1 - f) * rule;
            if (expected == (1 - f) * unfused)
            {
                continue;
            }

            Bits.Equal(expected, CellMath.Mgu(pf, pn, 0, hn, bhn, resetGate: true, 0f));
            return;
        }

        Assert.Fail("no input separates the candidates");
    }

    [Fact]
    public void SimpleCell_adds_the_input_bias_before_the_recurrent_dot_and_the_residual_last()
    {
        // dense_i(x) + dense_h(h) with the bias inside dense_i: (x W_i + b_i) + h W_h; residual adds h afterwards. The
        // bias is already in the projection p, so the rule is the order p + hh then + h; tiny values pass tanh.
        foreach (float[] v in Candidates(3, 1e-4f))
        {
            (float p, float hh, float h) = (v[0], v[1], v[2]);
            float rule = (p + hh) + h;
            float other = p + (hh + h);
            if (rule == other)
            {
                continue;
            }

            Bits.Equal(rule, CellMath.Simple(p, hh, residual: true, h));
            Bits.Equal(p + hh, CellMath.Simple(p, hh, residual: false, h));
            return;
        }

        Assert.Fail("no input separates the candidates");
    }

    [Fact]
    public void Subnormal_intermediates_flush_to_zero_as_XLA_CPU_does()
    {
        // All gate pre-activations 0 but g's, which is 2^-126: i = f = o = sigmoid(0) = 0.5 exactly, g = tanh(2^-126) =
        // 2^-126 (tanh returns tiny arguments unchanged). With c = 2^-125: i * g = 2^-127 is subnormal and flushes to +0,
        // so new_c = fma(0.5, 2^-125, +0) = 2^-126; kept, it would give fma(0.5, 2^-125, 2^-127) = 1.5 * 2^-126. Then
        // h' = o * tanh(new_c) = 0.5 * 2^-126 = 2^-127, subnormal again: +0.
        float smallest = BitConverter.UInt32BitsToSingle(0x0080_0000);   // 2^-126
        (float cNew, float hNew) = CellMath.Lstm(0, 0, smallest, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 * smallest);
        Bits.Equal(0x0080_0000u, cNew, "new c");
        Bits.Equal(0u, hNew, "new h");

        // A sum of two normal values that lands in the subnormal range: 2^-126 - 2^-127 flushes before tanh sees it.
        float h = CellMath.Simple(smallest, -smallest * 0.5f, residual: false, 0);
        Bits.Equal(0f, h);
    }
}

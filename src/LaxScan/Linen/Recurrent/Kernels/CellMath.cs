using LaxScan.Numerics;

namespace LaxScan.Linen.Recurrent.Kernels;

/// <summary>
/// The elementwise part of each cell step, one output unit at a time: the scalar reference the vector kernels
/// (<see cref="CellLanes"/>) must match bit for bit. Written from flax/linen/recurrent.py's expressions and XLA:CPU's
/// rules at JAX 0.11.0 (docs/parity.md, "Recurrent family"):
/// <list type="bullet">
/// <item>every Dense bias is added after its dot, in the order Python evaluates the expression (no GEMV output fusion:
/// the GemvRewriter makes every dot rank 2, which <c>CanBeOutputFused</c> refuses);</item>
/// <item>a product whose single use is an add (or subtract) in the same fused loop is contracted by LLVM into one FMA
/// whose addend is the add's other operand; with two such products the add's first operand is the one contracted;</item>
/// <item>every operation rounds to float32 and flushes subnormals (FTZ/DAZ).</item>
/// </list>
/// Inputs: projections and GEMV outputs (already flushed), biases and carries already flushed by the caller.
/// <para>
/// Each cell is written as its first adds (each Dense's bias, <c>dense_i(x) + dense_h(h)</c>) followed by the rest of
/// the step from those sums (<c>...FromSums</c>): the fast path computes the first adds in the recurrent GEMV's
/// <c>AddAfter</c> epilogue, <c>rn(dot + addend)</c>, and the rest in <see cref="CellLanes"/>. Where Python's add has
/// the dot second (<c>px + dense_h(h)</c>) the epilogue adds it first; IEEE addition is commutative (signed zeros and
/// infinities included), so only the payload of a NaN meeting a NaN can differ, which is not promised.
/// </para>
/// </summary>
internal static class CellMath
{
    /// <summary>
    /// LSTMCell (and OptimizedLSTMCell): gate = act(x_g + (h_g + b_g)); c' = fma(f, c, i * g); h' = o * tanh(c').
    /// </summary>
    public static (float C, float H) Lstm(
        float xi, float xf, float xg, float xo,
        float hi, float hf, float hg, float ho,
        float bi, float bf, float bg, float bo,
        float c) =>
        // dense_i(name='ii')(inputs) + dense_h(name='hi')(h), where dense_h adds its bias after its dot.
        LstmFromSums(xi, xf, xg, xo, XlaMath.Add(hi, bi), XlaMath.Add(hf, bf), XlaMath.Add(hg, bg), XlaMath.Add(ho, bo), c);

    /// <summary>LSTM from each recurrent Dense's output <c>s_g = h_g + b_g</c>: gate = act(x_g + s_g), then c' and h'.</summary>
    public static (float C, float H) LstmFromSums(float xi, float xf, float xg, float xo, float si, float sf, float sg, float so, float c)
    {
        float i = XlaMath.Logistic(XlaMath.Add(xi, si));
        float f = XlaMath.Logistic(XlaMath.Add(xf, sf));
        float g = XlaMath.Tanh(XlaMath.Add(xg, sg));
        float o = XlaMath.Logistic(XlaMath.Add(xo, so));

        // new_c = f * c + i * g: add(mul(f, c), mul(i, g)); the first operand's product is the one contracted.
        float cNew = XlaMath.Fma(f, c, XlaMath.Mul(i, g));
        return (cNew, XlaMath.Mul(o, XlaMath.Tanh(cNew)));
    }

    /// <summary>
    /// GRUCell: r = sigmoid(px_r + h_r); z = sigmoid(px_z + h_z); n = tanh(fma(r, h_n + b_hn, px_n));
    /// h' = fma(1 - z, n, z * h). px_g is the input projection with its bias already added.
    /// </summary>
    public static float Gru(float pr, float pz, float pn, float hr, float hz, float hn, float bhn, float h) =>
        // dense_i(name='in')(inputs) + r * dense_h(name='hn', use_bias=True)(h): hn's bias is added after its dot.
        GruFromSums(XlaMath.Add(pr, hr), XlaMath.Add(pz, hz), pn, XlaMath.Add(hn, bhn), h);

    /// <summary>GRU from the sums <c>sr = px_r + h_r</c>, <c>sz = px_z + h_z</c> and <c>sn = h_n + b_hn</c>.</summary>
    public static float GruFromSums(float sr, float sz, float pn, float sn, float h)
    {
        float r = XlaMath.Logistic(sr);
        float z = XlaMath.Logistic(sz);

        // px_n + r * sn: the product is the add's second operand, contracted with the first as addend.
        float n = XlaMath.Tanh(XlaMath.Fma(r, sn, pn));
        return Interpolate(z, n, h);
    }

    /// <summary>
    /// MGUCell: f = sigmoid(px_f + h_f); with the reset gate n = tanh(fma(h_n + b_hn, f, px_n)), without it
    /// n = tanh(px_n + h_n); h' = fma(1 - f, n, f * h).
    /// </summary>
    public static float Mgu(float pf, float pn, float hf, float hn, float bhn, bool resetGate, float h) =>
        // x = dense_h(name='hn', use_bias=reset_gate)(h); x *= f; n = tanh(dense_i(name='in')(inputs) + x)
        resetGate
            ? MguResetFromSums(XlaMath.Add(pf, hf), XlaMath.Add(hn, bhn), pn, h)
            : MguFromSums(XlaMath.Add(pf, hf), XlaMath.Add(pn, hn), h);

    /// <summary>MGU with the reset gate from <c>sf = px_f + h_f</c> and <c>sn = h_n + b_hn</c>: n = tanh(fma(sn, f, px_n)).</summary>
    public static float MguResetFromSums(float sf, float sn, float pn, float h)
    {
        float f = XlaMath.Logistic(sf);
        return Interpolate(f, XlaMath.Tanh(XlaMath.Fma(sn, f, pn)), h);
    }

    /// <summary>MGU without the reset gate from <c>sf = px_f + h_f</c> and <c>sn = px_n + h_n</c>: n = tanh(sn).</summary>
    public static float MguFromSums(float sf, float sn, float h) =>
        Interpolate(XlaMath.Logistic(sf), XlaMath.Tanh(sn), h);

    /// <summary>SimpleCell: h' = tanh(px + h_h), with residual tanh((px + h_h) + h). px has the input bias added.</summary>
    public static float Simple(float p, float hh, bool residual, float h) => SimpleFromSum(XlaMath.Add(p, hh), residual, h);

    /// <summary>SimpleCell from <c>s = px + h_h</c>: tanh(s), with residual tanh(s + h).</summary>
    public static float SimpleFromSum(float s, bool residual, float h) => XlaMath.Tanh(residual ? XlaMath.Add(s, h) : s);

    /// <summary>GRU's and MGU's new carry <c>(1.0 - z) * n + z * h</c>: the first product is contracted, fma(1 - z, n, rn(z * h)).</summary>
    public static float Interpolate(float z, float n, float h) => XlaMath.Fma(XlaMath.Sub(1f, z), n, XlaMath.Mul(z, h));
}

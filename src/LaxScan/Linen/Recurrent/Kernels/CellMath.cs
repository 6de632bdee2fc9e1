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
        float c)
    {
        // dense_i(name='ii')(inputs) + dense_h(name='hi')(h), where dense_h adds its bias after its dot.
        float i = XlaMath.Logistic(XlaMath.Add(xi, XlaMath.Add(hi, bi)));
        float f = XlaMath.Logistic(XlaMath.Add(xf, XlaMath.Add(hf, bf)));
        float g = XlaMath.Tanh(XlaMath.Add(xg, XlaMath.Add(hg, bg)));
        float o = XlaMath.Logistic(XlaMath.Add(xo, XlaMath.Add(ho, bo)));

        // new_c = f * c + i * g: add(mul(f, c), mul(i, g)); the first operand's product is the one contracted.
        float cNew = XlaMath.Fma(f, c, XlaMath.Mul(i, g));
        return (cNew, XlaMath.Mul(o, XlaMath.Tanh(cNew)));
    }

    /// <summary>
    /// GRUCell: r = sigmoid(px_r + h_r); z = sigmoid(px_z + h_z); n = tanh(fma(r, h_n + b_hn, px_n));
    /// h' = fma(1 - z, n, z * h). px_g is the input projection with its bias already added.
    /// </summary>
    public static float Gru(float pr, float pz, float pn, float hr, float hz, float hn, float bhn, float h)
    {
        float r = XlaMath.Logistic(XlaMath.Add(pr, hr));
        float z = XlaMath.Logistic(XlaMath.Add(pz, hz));

        // dense_i(name='in')(inputs) + r * dense_h(name='hn', use_bias=True)(h): the product is the add's second operand.
        float n = XlaMath.Tanh(XlaMath.Fma(r, XlaMath.Add(hn, bhn), pn));

        // (1.0 - z) * n + z * h
        return XlaMath.Fma(XlaMath.Sub(1f, z), n, XlaMath.Mul(z, h));
    }

    /// <summary>
    /// MGUCell: f = sigmoid(px_f + h_f); with the reset gate n = tanh(fma(h_n + b_hn, f, px_n)), without it
    /// n = tanh(px_n + h_n); h' = fma(1 - f, n, f * h).
    /// </summary>
    public static float Mgu(float pf, float pn, float hf, float hn, float bhn, bool resetGate, float h)
    {
        float f = XlaMath.Logistic(XlaMath.Add(pf, hf));

        // x = dense_h(name='hn', use_bias=reset_gate)(h); x *= f; n = tanh(dense_i(name='in')(inputs) + x)
        float n = resetGate
            ? XlaMath.Tanh(XlaMath.Fma(XlaMath.Add(hn, bhn), f, pn))
            : XlaMath.Tanh(XlaMath.Add(pn, hn));
        return XlaMath.Fma(XlaMath.Sub(1f, f), n, XlaMath.Mul(f, h));
    }

    /// <summary>SimpleCell: h' = tanh(px + h_h), with residual tanh((px + h_h) + h). px has the input bias added.</summary>
    public static float Simple(float p, float hh, bool residual, float h)
    {
        float pre = XlaMath.Add(p, hh);
        return XlaMath.Tanh(residual ? XlaMath.Add(pre, h) : pre);
    }
}

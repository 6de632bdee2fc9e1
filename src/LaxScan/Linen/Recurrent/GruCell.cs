using LaxScan.Linen.Recurrent.Kernels;
using LaxScan.Nn;
using LaxScan.Threading;

namespace LaxScan.Linen.Recurrent;

/// <summary>
/// Flax's <c>nn.GRUCell(features)</c>: carry h,
/// <code>
/// r = sigmoid((x @ W_ir + b_ir) + h @ W_hr)
/// z = sigmoid((x @ W_iz + b_iz) + h @ W_hz)
/// n = tanh((x @ W_in + b_in) + r * (h @ W_hn + b_hn))     (one FMA)
/// h' = (1 - z) * n + z * h                                (one FMA: fma(1 - z, n, z * h))
/// </code>
/// Params, in creation order: <c>ir/kernel</c>, <c>ir/bias</c>, <c>hr/kernel</c>, <c>iz/kernel</c>, <c>iz/bias</c>,
/// <c>hz/kernel</c>, <c>in/kernel</c>, <c>in/bias</c>, <c>hn/kernel</c>, <c>hn/bias</c>.
/// </summary>
public sealed class GruCell : RecurrentCell
{
    /// <summary>Creates the cell.</summary>
    /// <param name="features">H, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="features"/> &lt; 1.</exception>
    public GruCell(int features)
        : base(features)
    {
    }

    /// <summary>The biases' initializer; Flax's default is zeros.</summary>
    public Initializer BiasInit { get; init; } = Initializers.Zeros;

    /// <inheritdoc />
    public override int CarryCount => 1;

    internal override string TypeName => "GRUCell";

    internal override CellProgram Bind(Scope scope, int inputFeatures, int hiddenFeatures, RunTeam team)
    {
        (NDArray<float> ir, NDArray<float>? bir) = Dense(scope, "ir", inputFeatures, hiddenFeatures, KernelInit, BiasInit);
        NDArray<float> hr = Dense(scope, "hr", hiddenFeatures, hiddenFeatures, RecurrentKernelInit, null).Kernel;
        (NDArray<float> iz, NDArray<float>? biz) = Dense(scope, "iz", inputFeatures, hiddenFeatures, KernelInit, BiasInit);
        NDArray<float> hz = Dense(scope, "hz", hiddenFeatures, hiddenFeatures, RecurrentKernelInit, null).Kernel;
        (NDArray<float> inK, NDArray<float>? bin) = Dense(scope, "in", inputFeatures, hiddenFeatures, KernelInit, BiasInit);
        (NDArray<float> hn, NDArray<float>? bhn) = Dense(scope, "hn", hiddenFeatures, hiddenFeatures, RecurrentKernelInit, BiasInit);
        return new GruProgram(
            hiddenFeatures,
            InputKernel(team, ir, iz, inK),
            RecurrentKernel(team, GruProgram.RecurrentGroups, hr, hz, hn),
            ConcatenateColumns(bir!, biz!, bin!),
            bhn!.Span,
            Tier);
    }

    internal override void ReferenceStep(Variables cellParams, float[] x, float[][] carry)
    {
        float[] h = carry[0];
        int n = h.Length;
        float[] pr = ReferenceDense(cellParams, "ir", x);
        float[] pz = ReferenceDense(cellParams, "iz", x);
        float[] pn = ReferenceDense(cellParams, "in", x);
        float[] hr = ReferenceDot(cellParams, "hr", h);
        float[] hz = ReferenceDot(cellParams, "hz", h);
        float[] hn = ReferenceDot(cellParams, "hn", h);
        float[] bhn = ReferenceBias(cellParams, "hn", n);
        float[] next = new float[n];
        for (int j = 0; j < n; j++)
        {
            next[j] = CellMath.Gru(pr[j], pz[j], pn[j], hr[j], hz[j], hn[j], bhn[j], Numerics.XlaMath.FlushToZero(h[j]));
        }

        carry[0] = next;
    }
}

using LaxScan.Linen.Recurrent.Kernels;
using LaxScan.Nn;
using LaxScan.Threading;

namespace LaxScan.Linen.Recurrent;

/// <summary>
/// Flax's <c>nn.MGUCell(features)</c>: carry h,
/// <code>
/// f = sigmoid((x @ W_if + b_if) + h @ W_hf)
/// n = tanh((x @ W_in + b_in) + (h @ W_hn + b_hn) * f)     (one FMA; without the reset gate: tanh((x @ W_in + b_in) + h @ W_hn))
/// h' = (1 - f) * n + f * h                                (one FMA)
/// </code>
/// Params, in creation order: <c>if/kernel</c>, <c>if/bias</c> (ones), <c>hf/kernel</c>, <c>hn/kernel</c>,
/// <c>hn/bias</c> (only with the reset gate), <c>in/kernel</c>, <c>in/bias</c>.
/// </summary>
public sealed class MguCell : RecurrentCell
{
    /// <summary>Creates the cell.</summary>
    /// <param name="features">H, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="features"/> &lt; 1.</exception>
    public MguCell(int features)
        : base(features)
    {
    }

    /// <summary>The forget gate's input bias initializer; Flax's default is ones.</summary>
    public Initializer ForgetBiasInit { get; init; } = Initializers.Ones;

    /// <summary>The other biases' initializer (<c>in</c>, and <c>hn</c> with the reset gate); Flax's default is zeros.</summary>
    public Initializer ActivationBiasInit { get; init; } = Initializers.Zeros;

    /// <summary>Flax's <c>reset_gate</c> (default true): whether f gates the recurrent candidate term.</summary>
    public bool ResetGate { get; init; } = true;

    /// <inheritdoc />
    public override int CarryCount => 1;

    internal override string TypeName => "MGUCell";

    internal override CellProgram Bind(Scope scope, int inputFeatures, int hiddenFeatures, RunTeam team)
    {
        (NDArray<float> ifK, NDArray<float>? bif) = Dense(scope, "if", inputFeatures, hiddenFeatures, KernelInit, ForgetBiasInit);
        NDArray<float> hf = Dense(scope, "hf", hiddenFeatures, hiddenFeatures, RecurrentKernelInit, null).Kernel;
        (NDArray<float> hn, NDArray<float>? bhn) = Dense(scope, "hn", hiddenFeatures, hiddenFeatures, RecurrentKernelInit, ResetGate ? ActivationBiasInit : null);
        (NDArray<float> inK, NDArray<float>? bin) = Dense(scope, "in", inputFeatures, hiddenFeatures, KernelInit, ActivationBiasInit);
        return new MguProgram(
            hiddenFeatures,
            InputKernel(team, ifK, inK),
            RecurrentKernel(team, MguProgram.RecurrentGroups(ResetGate), hf, hn),
            ConcatenateColumns(bif!, bin!),
            bhn is null ? [] : bhn.Span,
            ResetGate,
            Tier);
    }

    internal override void ReferenceStep(Variables cellParams, float[] x, float[][] carry)
    {
        float[] h = carry[0];
        int n = h.Length;
        float[] pf = ReferenceDense(cellParams, "if", x);
        float[] pn = ReferenceDense(cellParams, "in", x);
        float[] hf = ReferenceDot(cellParams, "hf", h);
        float[] hn = ReferenceDot(cellParams, "hn", h);
        float[] bhn = ReferenceBias(cellParams, "hn", n);
        float[] next = new float[n];
        for (int j = 0; j < n; j++)
        {
            next[j] = CellMath.Mgu(pf[j], pn[j], hf[j], hn[j], bhn[j], ResetGate, Numerics.XlaMath.FlushToZero(h[j]));
        }

        carry[0] = next;
    }
}

using LaxScan.Linen.Recurrent.Kernels;
using LaxScan.Nn;
using LaxScan.Threading;

namespace LaxScan.Linen.Recurrent;

/// <summary>
/// Flax's <c>nn.SimpleCell(features)</c>: carry h, <c>h' = tanh((x @ W_i + b_i) + h @ W_h)</c>, with
/// <see cref="Residual"/> <c>tanh(((x @ W_i + b_i) + h @ W_h) + h)</c>. Params, in creation order:
/// <c>i/kernel</c>, <c>i/bias</c>, <c>h/kernel</c>.
/// </summary>
public sealed class SimpleCell : RecurrentCell
{
    /// <summary>Creates the cell.</summary>
    /// <param name="features">H, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="features"/> &lt; 1.</exception>
    public SimpleCell(int features)
        : base(features)
    {
    }

    /// <summary>The input bias's initializer; Flax's default is zeros.</summary>
    public Initializer BiasInit { get; init; } = Initializers.Zeros;

    /// <summary>Flax's <c>residual</c> (default false): add h before the activation.</summary>
    public bool Residual { get; init; }

    /// <inheritdoc />
    public override int CarryCount => 1;

    internal override string TypeName => "SimpleCell";

    internal override CellProgram Bind(Scope scope, int inputFeatures, int hiddenFeatures, RunTeam team)
    {
        (NDArray<float> i, NDArray<float>? bi) = Dense(scope, "i", inputFeatures, hiddenFeatures, KernelInit, BiasInit);
        NDArray<float> h = Dense(scope, "h", hiddenFeatures, hiddenFeatures, RecurrentKernelInit, null).Kernel;
        return new SimpleProgram(hiddenFeatures, InputKernel(team, i), RecurrentKernel(team, null, h), bi!.Span.ToArray(), Residual, Tier);
    }

    internal override void ReferenceStep(Variables cellParams, float[] x, float[][] carry)
    {
        float[] h = carry[0];
        float[] p = ReferenceDense(cellParams, "i", x);
        float[] hh = ReferenceDot(cellParams, "h", h);
        float[] next = new float[h.Length];
        for (int j = 0; j < h.Length; j++)
        {
            next[j] = CellMath.Simple(p[j], hh[j], Residual, Numerics.XlaMath.FlushToZero(h[j]));
        }

        carry[0] = next;
    }
}

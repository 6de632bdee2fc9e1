using LaxScan.Linen.Recurrent.Kernels;
using LaxScan.Nn;
using LaxScan.Threading;

namespace LaxScan.Linen.Recurrent;

/// <summary>
/// Flax's <c>nn.LSTMCell(features)</c>: carry <c>(c, h)</c>,
/// <code>
/// i = sigmoid(x @ W_ii + (h @ W_hi + b_hi))    f, o likewise with if/hf, io/ho
/// g = tanh(x @ W_ig + (h @ W_hg + b_hg))
/// c' = f * c + i * g                           (one FMA: fma(f, c, i * g))
/// h' = o * tanh(c')                            y = h'
/// </code>
/// Params, in creation order: <c>ii/kernel</c> (in, H), <c>hi/kernel</c> (H, H), <c>hi/bias</c> (H,), then
/// <c>if</c>, <c>hf</c>, <c>ig</c>, <c>hg</c>, <c>io</c>, <c>ho</c> alike; the input Dense have no bias.
/// </summary>
public class LstmCell : RecurrentCell
{
    private static readonly string[] Gates = ["i", "f", "g", "o"];

    /// <summary>Creates the cell.</summary>
    /// <param name="features">H, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="features"/> &lt; 1.</exception>
    public LstmCell(int features)
        : base(features)
    {
    }

    /// <summary>The recurrent Dense biases' initializer; Flax's default is zeros.</summary>
    public Initializer BiasInit { get; init; } = Initializers.Zeros;

    /// <inheritdoc />
    public override int CarryCount => 2;

    internal override string TypeName => "LSTMCell";

    internal override CellProgram Bind(Scope scope, int inputFeatures, int hiddenFeatures, RunTeam team)
    {
        var inputKernels = new NDArray<float>[4];
        var recurrentKernels = new NDArray<float>[4];
        var biases = new NDArray<float>[4];
        for (int g = 0; g < 4; g++)
        {
            // i = gate_fn(dense_i(name='ii')(inputs) + dense_h(name='hi')(h)): ii first, then hi.
            inputKernels[g] = Dense(scope, $"i{Gates[g]}", inputFeatures, hiddenFeatures, KernelInit, null).Kernel;
            (NDArray<float> kernel, NDArray<float>? bias) = Dense(scope, $"h{Gates[g]}", hiddenFeatures, hiddenFeatures, RecurrentKernelInit, BiasInit);
            recurrentKernels[g] = kernel;
            biases[g] = bias!;
        }

        return CreateProgram(inputKernels, recurrentKernels, ConcatenateColumns(biases), hiddenFeatures, team);
    }

    /// <summary>The program for these params: one Dense dot per gate (OptimizedLSTMCell overrides with concatenated dots).</summary>
    private protected virtual CellProgram CreateProgram(NDArray<float>[] inputKernels, NDArray<float>[] recurrentKernels, float[] bias, int hidden, RunTeam team) =>
        new LstmProgram(hidden, InputKernel(team, inputKernels), RecurrentKernel(team, null, recurrentKernels), bias, Tier);

    internal override void ReferenceStep(Variables cellParams, float[] x, float[][] carry)
    {
        float[] c = carry[0];
        float[] h = carry[1];
        int n = h.Length;
        float[][] xs = ReferenceDots(cellParams, "i", x);
        float[][] hs = ReferenceDots(cellParams, "h", h);
        float[][] bs = [.. Gates.Select(g => ReferenceBias(cellParams, $"h{g}", n))];
        float[] cNew = new float[n];
        float[] hNew = new float[n];
        for (int j = 0; j < n; j++)
        {
            (cNew[j], hNew[j]) = CellMath.Lstm(
                xs[0][j], xs[1][j], xs[2][j], xs[3][j],
                hs[0][j], hs[1][j], hs[2][j], hs[3][j],
                bs[0][j], bs[1][j], bs[2][j], bs[3][j],
                Numerics.XlaMath.FlushToZero(c[j]));
        }

        carry[0] = cNew;
        carry[1] = hNew;
    }

    /// <summary>The reference dots of the four gates' Dense on one side (<c>i</c>: input, <c>h</c>: recurrent), without bias.</summary>
    private protected virtual float[][] ReferenceDots(Variables cellParams, string side, float[] v) =>
        [.. Gates.Select(g => ReferenceDot(cellParams, $"{side}{g}", v))];
}

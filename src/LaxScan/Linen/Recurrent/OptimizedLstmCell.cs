using LaxScan.Kernels;
using LaxScan.Linen.Recurrent.Kernels;
using LaxScan.Threading;

namespace LaxScan.Linen.Recurrent;

/// <summary>
/// Flax's <c>nn.OptimizedLSTMCell(features)</c>: the params of <see cref="LstmCell"/> (same names, shapes, order and
/// keys, made by Flax's <c>DenseParams</c>), computed as two dots over concatenated kernels: <c>h @ [W_hi W_hf W_hg
/// W_ho] + [b_hi b_hf b_hg b_ho]</c> of width 4H and <c>x @ [W_ii W_if W_ig W_io]</c>, split back into the gates
/// (flax/linen/recurrent.py <c>_concat_dense</c>). Each gate adds the same numbers in the same order as LSTMCell;
/// the dots differ in which outputs XLA's GEMV computes in its scalar epilogue (the last 4H mod 8 instead of the
/// last H mod 8 of every gate), so for odd H some outputs can differ in the sign of an exact zero.
/// </summary>
public sealed class OptimizedLstmCell : LstmCell
{
    /// <summary>Creates the cell.</summary>
    /// <param name="features">H, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="features"/> &lt; 1.</exception>
    public OptimizedLstmCell(int features)
        : base(features)
    {
    }

    internal override string TypeName => "OptimizedLSTMCell";

    private protected override CellProgram CreateProgram(NDArray<float>[] inputKernels, NDArray<float>[] recurrentKernels, float[] bias, int hidden, RunTeam team)
    {
        var input = new NDArray<float>(new Shape(inputKernels[0].Shape[0], 4 * hidden), ConcatenateColumns(inputKernels));
        var recurrent = new NDArray<float>(new Shape(hidden, 4 * hidden), ConcatenateColumns(recurrentKernels));
        // One (H, 4H) GEMV per step for all four gates, the recurrent biases added in its epilogue.
        return new LstmProgram(hidden, InputKernel(team, input), RecurrentKernel(team, null, recurrent), bias, Tier);
    }

    private protected override float[][] ReferenceDots(Variables cellParams, string side, float[] v)
    {
        // One dot of width 4H over the concatenated kernels, split into the four gates.
        NDArray<float>[] kernels = [.. new[] { "i", "f", "g", "o" }.Select(g => cellParams.GetFloat32($"{side}{g}", "kernel"))];
        int hidden = kernels[0].Shape[1];
        float[] y = new float[4 * hidden];
        Gemv.Reference(v, ConcatenateColumns(kernels), y);
        return [.. Enumerable.Range(0, 4).Select(g => y[(g * hidden)..((g + 1) * hidden)])];
    }
}

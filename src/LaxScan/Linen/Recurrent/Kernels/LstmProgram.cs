using LaxScan.Kernels;
using LaxScan.Numerics;

namespace LaxScan.Linen.Recurrent.Kernels;

/// <summary>
/// LSTMCell and OptimizedLSTMCell. Both have the same params and the same elementwise step; they differ in their dots:
/// LSTMCell has eight Dense dots of width H, OptimizedLSTMCell two of width 4H (flax/linen/recurrent.py
/// <c>_concat_dense</c>), whose XLA GEMV epilogue covers other outputs when H is odd. The recurrent GEMV adds the
/// recurrent biases in its epilogue (<c>AddAfter</c>): one call of width 4H for OptimizedLSTMCell (and for LSTMCell
/// when H is a multiple of 8, with the same bits), one per gate otherwise.
/// </summary>
internal sealed class LstmProgram : CellProgram
{
    private readonly float[] _bias;

    /// <param name="features">H.</param>
    /// <param name="input">The input dots, gates i, f, g, o.</param>
    /// <param name="recurrent">The recurrent dots, gates i, f, g, o, one group.</param>
    /// <param name="recurrentBias">The recurrent biases b_hi, b_hf, b_hg, b_ho, 4H.</param>
    /// <param name="tier">The widest SIMD tier to use.</param>
    public LstmProgram(int features, DenseKernel input, DenseKernel recurrent, ReadOnlySpan<float> recurrentBias, SimdTier tier)
        : base(features, input, recurrent, [], tier) => _bias = Flushed(recurrentBias);

    public override int CarryCount => 2;

    public override void Step(float[] p, int offset, CellState state)
    {
        int h = Features;
        Recurrent.Multiply<GemvEpilogues.AddAfter>(0, state.H, state.HClean, _bias, 0);
        state.NextHTiny = CellLanes.Lstm(
            p.AsSpan(offset, 4 * h), Recurrent.Output(0, h), Recurrent.Output(h, h), Recurrent.Output(2 * h, h), Recurrent.Output(3 * h, h),
            state.C, state.NextC, state.NextH, Tier);
    }
}

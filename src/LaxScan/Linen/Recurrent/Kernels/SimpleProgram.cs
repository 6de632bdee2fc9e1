using LaxScan.Kernels;
using LaxScan.Numerics;

namespace LaxScan.Linen.Recurrent.Kernels;

/// <summary>
/// SimpleCell: input Dense i with a bias, recurrent h without. The step <c>tanh(px + h @ W_h)</c> is the recurrent
/// GEMV alone, with the <c>AddAfterTanh</c> epilogue on this step's projection; with <c>residual</c> the GEMV adds
/// the projection (<c>AddAfter</c>) and the elementwise pass adds h and takes tanh.
/// </summary>
internal sealed class SimpleProgram : CellProgram
{
    private readonly bool _residual;

    public SimpleProgram(int features, DenseKernel input, DenseKernel recurrent, float[] inputBias, bool residual, SimdTier tier)
        : base(features, input, recurrent, inputBias, tier) => _residual = residual;

    public override int CarryCount => 1;

    public override void Step(float[] p, int offset, CellState state)
    {
        if (_residual)
        {
            Recurrent.Multiply<GemvEpilogues.AddAfter>(0, state.H, state.HClean, p, offset);
            state.NextHTiny = CellLanes.SimpleResidual(Recurrent.Output(0, Features), state.H, state.NextH, Tier);
        }
        else
        {
            state.NextHTiny = Recurrent.Multiply<GemvEpilogues.AddAfterTanh>(0, state.H, state.HClean, p, offset, into: state.NextH);
        }
    }
}

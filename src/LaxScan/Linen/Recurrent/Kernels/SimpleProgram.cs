using LaxScan.Numerics;

namespace LaxScan.Linen.Recurrent.Kernels;

/// <summary>SimpleCell: input Dense i with a bias, recurrent h without.</summary>
internal sealed class SimpleProgram : CellProgram
{
    private readonly bool _residual;

    public SimpleProgram(int features, DenseKernel input, DenseKernel recurrent, float[] inputBias, bool residual, SimdTier tier)
        : base(features, input, recurrent, inputBias, tier) => _residual = residual;

    public override int CarryCount => 1;

    public override void Step(ReadOnlySpan<float> p, CellState state)
    {
        Recurrent.Multiply(state.H);
        CellLanes.Simple(p, Recurrent.Output(0, Features), _residual, state.H, state.NextH, Tier);
    }
}

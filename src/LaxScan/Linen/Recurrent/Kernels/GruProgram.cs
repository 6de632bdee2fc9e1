using LaxScan.Numerics;

namespace LaxScan.Linen.Recurrent.Kernels;

/// <summary>GRUCell: input Dense ir, iz, in with biases; recurrent hr, hz without, hn with its own bias.</summary>
internal sealed class GruProgram : CellProgram
{
    private readonly float[] _bhn;

    public GruProgram(int features, DenseKernel input, DenseKernel recurrent, float[] inputBias, ReadOnlySpan<float> bhn, SimdTier tier)
        : base(features, input, recurrent, inputBias, tier) => _bhn = Flushed(bhn);

    public override int CarryCount => 1;

    public override void Step(ReadOnlySpan<float> p, CellState state)
    {
        int h = Features;
        Recurrent.Multiply(state.H);
        CellLanes.Gru(p, Recurrent.Output(0, h), Recurrent.Output(h, h), Recurrent.Output(2 * h, h), _bhn, state.H, state.NextH, Tier);
    }
}

using LaxScan.Kernels;
using LaxScan.Numerics;

namespace LaxScan.Linen.Recurrent.Kernels;

/// <summary>
/// GRUCell: input Dense ir, iz, in with biases; recurrent hr, hz without, hn with its own bias. The recurrent GEMVs
/// add in their epilogue what follows each dot: hr and hz the projections px_r, px_z (one call, the two side by side
/// as px is), hn its bias.
/// </summary>
internal sealed class GruProgram : CellProgram
{
    /// <summary>The recurrent Dense in groups by addend: (hr, hz) then hn.</summary>
    public static readonly int[] RecurrentGroups = [2, 1];

    private readonly float[] _bhn;

    public GruProgram(int features, DenseKernel input, DenseKernel recurrent, float[] inputBias, ReadOnlySpan<float> bhn, SimdTier tier)
        : base(features, input, recurrent, inputBias, tier) => _bhn = Flushed(bhn);

    public override int CarryCount => 1;

    public override void Step(float[] p, int offset, CellState state)
    {
        int h = Features;
        Recurrent.Multiply<GemvEpilogues.AddAfter>(0, state.H, state.HClean, p, offset);
        Recurrent.Multiply<GemvEpilogues.AddAfter>(1, state.H, state.HClean, _bhn, 0);
        state.NextHTiny = CellLanes.Gru(Recurrent.Output(0, h), Recurrent.Output(h, h), p.AsSpan(offset + (2 * h), h), Recurrent.Output(2 * h, h), state.H, state.NextH, Tier);
    }
}

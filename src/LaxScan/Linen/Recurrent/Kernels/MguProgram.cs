using LaxScan.Kernels;
using LaxScan.Numerics;

namespace LaxScan.Linen.Recurrent.Kernels;

/// <summary>
/// MGUCell: input Dense if, in with biases; recurrent hf without, hn with a bias only with the reset gate. The
/// recurrent GEMVs add in their epilogue what follows each dot: hf the projection px_f; hn its bias with the reset
/// gate, the projection px_n without it (then hf and hn are one call, as px_f and px_n lie side by side).
/// </summary>
internal sealed class MguProgram : CellProgram
{
    private readonly float[] _bhn;
    private readonly bool _resetGate;

    public MguProgram(int features, DenseKernel input, DenseKernel recurrent, float[] inputBias, ReadOnlySpan<float> bhn, bool resetGate, SimdTier tier)
        : base(features, input, recurrent, inputBias, tier)
    {
        _bhn = resetGate ? Flushed(bhn) : [];
        _resetGate = resetGate;
    }

    public override int CarryCount => 1;

    /// <summary>The recurrent Dense (hf, hn) in groups by addend.</summary>
    public static int[] RecurrentGroups(bool resetGate) => resetGate ? [1, 1] : [2];

    public override void Step(float[] p, int offset, CellState state)
    {
        int h = Features;
        Recurrent.Multiply<GemvEpilogues.AddAfter>(0, state.H, state.HClean, p, offset);
        if (_resetGate)
        {
            Recurrent.Multiply<GemvEpilogues.AddAfter>(1, state.H, state.HClean, _bhn, 0);
        }

        state.NextHTiny = CellLanes.Mgu(Recurrent.Output(0, h), Recurrent.Output(h, h), p.AsSpan(offset + h, h), _resetGate, state.H, state.NextH, Tier);
    }
}

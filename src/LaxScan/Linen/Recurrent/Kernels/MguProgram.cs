using LaxScan.Numerics;

namespace LaxScan.Linen.Recurrent.Kernels;

/// <summary>MGUCell: input Dense if, in with biases; recurrent hf without, hn with a bias only with the reset gate.</summary>
internal sealed class MguProgram : CellProgram
{
    private readonly float[] _bhn;
    private readonly bool _resetGate;

    public MguProgram(int features, DenseKernel input, DenseKernel recurrent, float[] inputBias, ReadOnlySpan<float> bhn, bool resetGate, SimdTier tier)
        : base(features, input, recurrent, inputBias, tier)
    {
        _bhn = resetGate ? Flushed(bhn) : new float[features];
        _resetGate = resetGate;
    }

    public override int CarryCount => 1;

    public override void Step(ReadOnlySpan<float> p, CellState state)
    {
        int h = Features;
        Recurrent.Multiply(state.H);
        CellLanes.Mgu(p, Recurrent.Output(0, h), Recurrent.Output(h, h), _bhn, _resetGate, state.H, state.NextH, Tier);
    }
}

using LaxScan.Linen;
using LaxScan.Linen.Recurrent;
using LaxScan.Numerics;
using LaxScan.Random;

namespace LaxScan.Tests.Linen.Recurrent;

/// <summary>
/// The fast cell kernels (GEMVs behind DenseKernel, vector elementwise steps, chunked input projections) against each
/// cell's scalar reference step, bit for bit, at every SIMD tier, for hidden sizes around the GEMV's tiles of 8 (where
/// the epilogue starts) and the vector widths.
/// </summary>
public class CellKernelTests
{
    public static TheoryData<string, int, SimdTier> Cases()
    {
        var data = new TheoryData<string, int, SimdTier>();
        foreach (string kind in RecurrentTestCells.Kinds)
        {
            foreach (int h in (int[])[1, 3, 8, 9, 16, 17, 35])
            {
                foreach (SimdTier tier in (SimdTier[])[SimdTier.Scalar, SimdTier.Vector128, SimdTier.Vector256, SimdTier.Vector512])
                {
                    data.Add(kind, h, tier);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void An_RNN_over_a_sequence_matches_the_scalar_reference_step_by_step(string kind, int hidden, SimdTier tier)
    {
        TestTiers.Require(tier);
        RecurrentCell cell = RecurrentTestCells.Create(kind, hidden, tier);
        NDArray<float> xs = RecurrentTestCells.Sequence(hidden, steps: 40, features: 5);
        var rnn = new Rnn(cell) { ReturnCarry = true };
        Variables variables = rnn.Init(PrngKey.FromSeed(7), xs);
        RnnOutput output = rnn.Apply(variables, xs);
        (float[] ys, float[][] carry) = RecurrentTestCells.Reference(cell, RecurrentTestCells.CellParams(variables), xs, hidden);
        Bits.Equal(ys, output.Outputs.Span, $"{kind} H={hidden} {tier} outputs");
        for (int p = 0; p < carry.Length; p++)
        {
            Bits.Equal(carry[p], output.Carry![p].Span, $"{kind} H={hidden} {tier} carry[{p}]");
        }
    }
}

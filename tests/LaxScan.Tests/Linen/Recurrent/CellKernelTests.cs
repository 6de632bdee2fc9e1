using LaxScan.Linen;
using LaxScan.Linen.Recurrent;
using LaxScan.Numerics;
using LaxScan.Random;

namespace LaxScan.Tests.Linen.Recurrent;

/// <summary>
/// The fast cell kernels (GEMVs behind DenseKernel with the bias and projection adds in their epilogues, vector
/// elementwise steps, chunked input projections) against each cell's scalar reference step (Gemv.Reference, then
/// CellMath), bit for bit: at every SIMD tier (GEMVs and elementwise alike), for hidden sizes around the GEMV's tiles
/// of 8 (where XLA's scalar epilogue starts, and where the Dense dots are joined or kept apart) and the vector widths;
/// at one and two threads over batches; and for inputs tiny enough that every product meets flush-to-zero.
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

    public static TheoryData<string, int, int> ThreadCases()
    {
        var data = new TheoryData<string, int, int>();
        foreach (string kind in RecurrentTestCells.Kinds)
        {
            // 131: each Dense its own GEMV (131 mod 8 = 3), two 128-column panels each; 136: the Dense joined.
            foreach (int h in (int[])[131, 136])
            {
                foreach (int threads in (int[])[1, 2])
                {
                    data.Add(kind, h, threads);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ThreadCases))]
    public void Every_row_of_a_batch_matches_the_reference_at_one_and_two_threads(string kind, int hidden, int threads)
    {
        Assert.SkipWhen(threads > Environment.ProcessorCount, "needs two CPUs for a team of two");
        RecurrentCell cell = RecurrentTestCells.Create(kind, hidden, threads: threads);
        NDArray<float> batch = RecurrentTestCells.Batch(21, rows: 3, steps: 9, features: 5);
        var rnn = new Rnn(cell) { ReturnCarry = true };
        Variables variables = rnn.Init(PrngKey.FromSeed(8), RecurrentTestCells.Row(batch, 0));
        RnnOutput output = rnn.Apply(variables, batch);
        for (int b = 0; b < 3; b++)
        {
            (float[] ys, float[][] carry) = RecurrentTestCells.Reference(cell, RecurrentTestCells.CellParams(variables), RecurrentTestCells.Row(batch, b), hidden);
            Bits.Equal(ys, output.Outputs.Span.Slice(b * ys.Length, ys.Length), $"{kind} H={hidden} threads={threads} row {b} outputs");
            for (int p = 0; p < carry.Length; p++)
            {
                Bits.Equal(carry[p], output.Carry![p].Span.Slice(b * hidden, hidden), $"{kind} H={hidden} threads={threads} row {b} carry[{p}]");
            }
        }
    }

    public static TheoryData<string, int, SimdTier> TinyCases()
    {
        var data = new TheoryData<string, int, SimdTier>();
        foreach (string kind in RecurrentTestCells.Kinds)
        {
            foreach (int h in (int[])[9, 16])
            {
                foreach (SimdTier tier in (SimdTier[])[SimdTier.Scalar, SimdTier.Vector512])
                {
                    data.Add(kind, h, tier);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TinyCases))]
    public void Tiny_inputs_whose_products_are_subnormal_flush_as_the_reference_does(string kind, int hidden, SimdTier tier)
    {
        // Zero biases and inputs near 1e-37 keep every h near the subnormal range, so h @ W_h's products are subnormal:
        // the GEMVs must know h is tiny (from the step that made it) and flush, as XLA:CPU does.
        RecurrentCell cell = RecurrentTestCells.Create(kind, hidden, tier, randomBiases: false);
        NDArray<float> xs = RecurrentTestCells.Sequence(hidden + 3, steps: 40, features: 5, scale: 3e-37f);
        var rnn = new Rnn(cell) { ReturnCarry = true };
        Variables variables = rnn.Init(PrngKey.FromSeed(9), xs);
        RnnOutput output = rnn.Apply(variables, xs);
        (float[] ys, float[][] carry) = RecurrentTestCells.Reference(cell, RecurrentTestCells.CellParams(variables), xs, hidden);
        Assert.Contains(ys, y => y != 0 && MathF.Abs(y) < 1e-36f);
        Bits.Equal(ys, output.Outputs.Span, $"{kind} H={hidden} {tier} outputs");
        for (int p = 0; p < carry.Length; p++)
        {
            Bits.Equal(carry[p], output.Carry![p].Span, $"{kind} H={hidden} {tier} carry[{p}]");
        }
    }
}

using LaxScan.Linen;
using LaxScan.Linen.Recurrent;
using LaxScan.Numerics;
using LaxScan.Random;
using LaxScan.Threading;

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
            // 1, 7: a GEMV all scalar epilogue; 8, 16, 64: whole tiles (the Dense joined into one call); 9, 17, 35: tiles
            // and an epilogue (each Dense its own call); 64: every SIMD width's full vectors in the elementwise pass.
            foreach (int h in (int[])[1, 7, 8, 9, 16, 17, 35, 64])
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
    public void An_RNN_over_a_batch_matches_the_scalar_reference_step_by_step(string kind, int hidden, SimdTier tier)
    {
        // Two rows of 40 steps: full 32-step chunks of projections and a short one, and the carry reloaded between rows.
        TestTiers.Require(tier);
        RecurrentCell cell = RecurrentTestCells.Create(kind, hidden, tier);
        NDArray<float> batch = RecurrentTestCells.Batch(hidden, rows: 2, steps: 40, features: 5);
        var rnn = new Rnn(cell) { ReturnCarry = true };
        Variables variables = rnn.Init(PrngKey.FromSeed(7), RecurrentTestCells.Row(batch, 0));
        RnnOutput output = rnn.Apply(variables, batch);
        for (int b = 0; b < 2; b++)
        {
            (float[] ys, float[][] carry) = RecurrentTestCells.Reference(cell, RecurrentTestCells.CellParams(variables), RecurrentTestCells.Row(batch, b), hidden);
            Bits.Equal(ys, output.Outputs.Span.Slice(b * ys.Length, ys.Length), $"{kind} H={hidden} {tier} row {b} outputs");
            for (int p = 0; p < carry.Length; p++)
            {
                Bits.Equal(carry[p], output.Carry![p].Span.Slice(b * hidden, hidden), $"{kind} H={hidden} {tier} row {b} carry[{p}]");
            }
        }
    }

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(64)]
    public void OptimizedLSTMCell_in_one_pass_gives_LSTMCells_reference_bits_when_H_is_a_multiple_of_8(int hidden)
    {
        // Flax's OptimizedLSTMCell computes each gate as LSTMCell does, from one (H, 4H) dot per side: with no scalar
        // epilogue (4H and H multiples of 8) every output's FMA chain is LSTMCell's, so its one-call 4H GEMV must give
        // the bits of LSTMCell's reference, four separate (H, H) dots (same params: the two cells name them alike).
        RecurrentCell optimized = RecurrentTestCells.Create("optimized-lstm", hidden);
        RecurrentCell lstm = RecurrentTestCells.Create("lstm", hidden, SimdTier.Scalar);
        NDArray<float> batch = RecurrentTestCells.Batch(hidden + 50, rows: 2, steps: 35, features: 6);
        var rnn = new Rnn(optimized) { ReturnCarry = true };
        Variables variables = rnn.Init(PrngKey.FromSeed(10), RecurrentTestCells.Row(batch, 0));
        RnnOutput output = rnn.Apply(variables, batch);
        for (int b = 0; b < 2; b++)
        {
            (float[] ys, float[][] carry) = RecurrentTestCells.Reference(lstm, RecurrentTestCells.CellParams(variables), RecurrentTestCells.Row(batch, b), hidden);
            Bits.Equal(ys, output.Outputs.Span.Slice(b * ys.Length, ys.Length), $"H={hidden} row {b} outputs");
            Bits.Equal(carry[0], output.Carry![0].Span.Slice(b * hidden, hidden), $"H={hidden} row {b} c");
            Bits.Equal(carry[1], output.Carry![1].Span.Slice(b * hidden, hidden), $"H={hidden} row {b} h");
        }
    }

    public static TheoryData<string, int, int> ThreadCases()
    {
        var data = new TheoryData<string, int, int>();
        foreach (string kind in RecurrentTestCells.Kinds)
        {
            // 131: each Dense its own GEMV (131 mod 8 = 3), two 128-column panels each; 136: the Dense joined; 256: the
            // size from which the automatic choice (0) splits the recurrent dots too.
            foreach ((int h, int threads) in (ReadOnlySpan<(int, int)>)[(131, 1), (131, 2), (136, 1), (136, 2), (256, 1), (256, 2), (256, 0)])
            {
                data.Add(kind, h, threads);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ThreadCases))]
    public void Every_row_of_a_batch_matches_the_reference_at_one_two_and_automatic_threads(string kind, int hidden, int threads)
    {
        Assert.SkipWhen(threads != 1 && Environment.ProcessorCount < 2, "needs two CPUs for a team of two");
        RecurrentCell cell = RecurrentTestCells.Create(kind, hidden, threads: threads);
        NDArray<float> batch = RecurrentTestCells.Batch(21, rows: 3, steps: 9, features: 5);
        var rnn = new Rnn(cell) { ReturnCarry = true };
        Variables variables = rnn.Init(PrngKey.FromSeed(8), RecurrentTestCells.Row(batch, 0));
        int teams = StepTeam.CreatedOnThisThread;
        RnnOutput output = rnn.Apply(variables, batch);

        // Not a one-thread run in disguise: every setting but 1 starts the run's team at these sizes.
        Assert.Equal(threads == 1 ? 0 : 1, StepTeam.CreatedOnThisThread - teams);
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
        TestTiers.Require(tier);
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

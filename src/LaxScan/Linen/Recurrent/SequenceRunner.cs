using LaxScan.Linen.Recurrent.Kernels;

namespace LaxScan.Linen.Recurrent;

/// <summary>
/// Runs a bound cell over a time-major sequence, row after row of the batch, with no allocation per step: the input
/// dots of <see cref="DenseKernel.ChunkRows"/> steps at a time (each row with the bits of its own step), then the
/// recurrent steps. The bits are those of calling the cell once per step.
/// </summary>
internal static class SequenceRunner
{
    /// <param name="program">The bound cell.</param>
    /// <param name="init">The initial carry, parts of shape (*batch, H).</param>
    /// <param name="xs">The inputs, (T, *batch, F).</param>
    /// <param name="reverse">Run t = T-1 down to 0 (outputs keep their positions), as <c>lax.scan(reverse=True)</c>.</param>
    /// <param name="hooks">Cancellation, observer, kept carries.</param>
    public static SequenceRun Run(CellProgram program, RnnCarry init, NDArray<float> xs, bool reverse, SequenceHooks hooks)
    {
        int steps = xs.Shape[0];
        int h = program.Features;
        int f = program.InputFeatures;
        int rows = checked((int)(init.Shape.Size / h));
        int width = program.ProjectionWidth;
        int carryCount = program.CarryCount;

        var ys = new NDArray<float>(new Shape([steps, .. init.Shape.Dimensions]));
        var final = new RnnCarry([.. Enumerable.Range(0, carryCount).Select(_ => new NDArray<float>(init.Shape))]);
        RnnCarry? kept = hooks.KeepCarryAt is null ? null : new RnnCarry([.. Enumerable.Range(0, carryCount).Select(_ => new NDArray<float>(init.Shape))]);

        // Full chunks and, when T is not a multiple of the chunk, one shorter last chunk, each in buffers of its exact size.
        int chunk = Math.Min(DenseKernel.ChunkRows, Math.Max(1, steps));
        int tail = steps % chunk;
        float[] xChunk = new float[chunk * f];
        float[] pChunk = new float[chunk * width];
        float[] xTail = new float[tail * f];
        float[] pTail = new float[tail * width];
        var state = new CellState(h, carryCount);
        ReadOnlySpan<float> x = xs.Span;
        Span<float> y = ys.Span;
        for (int row = 0; row < rows; row++)
        {
            state.Load(init, row);
            long keepAt = hooks.KeepCarryAt?[row] ?? long.MinValue;
            if (kept is not null && keepAt < 0)
            {
                FillNaN(kept, row, h);
            }

            for (int start = 0; start < steps; start += chunk)
            {
                int count = Math.Min(chunk, steps - start);
                (float[] inputs, float[] projections) = count == chunk ? (xChunk, pChunk) : (xTail, pTail);
                for (int i = 0; i < count; i++)
                {
                    int t = reverse ? steps - 1 - (start + i) : start + i;
                    x.Slice(((t * rows) + row) * f, f).CopyTo(inputs.AsSpan(i * f, f));
                }

                program.Project(inputs, count, projections, hooks.Cancellation);
                for (int i = 0; i < count; i++)
                {
                    hooks.Cancellation.ThrowIfCancellationRequested();
                    int t = reverse ? steps - 1 - (start + i) : start + i;
                    program.Step(projections, i * width, state);
                    state.Advance();
                    state.H.CopyTo(y.Slice(((t * rows) + row) * h, h));
                    if (t == keepAt)
                    {
                        state.Store(kept!, row);
                    }

                    hooks.Steps++;
                    hooks.OnStep?.Invoke(hooks.Steps, state.C, state.H);
                }
            }

            state.Store(final, row);
        }

        return new SequenceRun(final, ys, kept);
    }

    private static void FillNaN(RnnCarry carry, int row, int h)
    {
        foreach (NDArray<float> part in carry)
        {
            part.Span.Slice(row * h, h).Fill(float.NaN);
        }
    }
}

using LaxScan.Linen.Transforms;

namespace LaxScan.Linen.Recurrent;

/// <summary>
/// flax/linen/recurrent.py's sequence bookkeeping: <c>flip_sequences</c> and <c>_select_last_carry</c>'s index rule.
/// </summary>
public static class FlipSequences
{
    /// <summary>
    /// <c>flip_sequences(inputs, seq_lengths, num_batch_dims, time_major)</c>: reverses the time axis; with lengths,
    /// row b's step t takes step <c>(T - 1 - t + len_b) mod T</c>, so the first len_b steps are reversed and the
    /// padding after them is reversed among itself (for lengths [4, 2] and T = 5: 3 2 1 0 4 and 1 0 4 3 2).
    /// </summary>
    /// <param name="inputs">The array, <c>(*batch, T, ...)</c> or time-major <c>(T, *batch, ...)</c>.</param>
    /// <param name="seqLengths">One length per batch row (row-major over the batch axes), or null.</param>
    /// <param name="numBatchDims">How many batch axes there are.</param>
    /// <param name="timeMajor">Whether time is the first axis.</param>
    /// <exception cref="ArgumentException">The lengths do not match the batch axes.</exception>
    public static NDArray<float> Flip(NDArray<float> inputs, long[]? seqLengths, int numBatchDims, bool timeMajor)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        int timeAxis = timeMajor ? 0 : numBatchDims;
        NDArray<float> front = Axes.Move(inputs, timeAxis, 0);
        int steps = front.Shape[0];
        long batch = 1;
        for (int a = 1; a <= numBatchDims; a++)
        {
            batch *= front.Shape[a];
        }

        int rowSize = steps == 0 || batch == 0 ? 0 : checked((int)(front.Shape.Size / steps / batch));
        long[] lengths = LengthsPerRow(seqLengths, batch);
        var flipped = new NDArray<float>(front.Shape);
        ReadOnlySpan<float> source = front.Span;
        Span<float> target = flipped.Span;
        for (int t = 0; t < steps; t++)
        {
            for (long b = 0; b < batch; b++)
            {
                long from = seqLengths is null ? steps - 1 - t : FloorMod(steps - 1 - t + lengths[b], steps);
                source.Slice((int)(((from * batch) + b) * rowSize), rowSize).CopyTo(target.Slice((int)(((t * batch) + b) * rowSize), rowSize));
            }
        }

        return Axes.Move(flipped, 0, timeAxis);
    }

    /// <summary>
    /// The step whose carry <c>_select_last_carry</c> returns for a row of length <paramref name="length"/>:
    /// <c>carries[length - 1]</c> with JAX's indexing (a negative index counts from the end), or -1 where the index is
    /// out of range and JAX's gather fills the carry with NaN.
    /// </summary>
    internal static long LastCarryStep(long length, int steps)
    {
        long index = length - 1;
        if (index < 0)
        {
            index += steps;
        }

        return index >= 0 && index < steps ? index : -1;
    }

    internal static long[] LengthsPerRow(long[]? seqLengths, long batch)
    {
        if (seqLengths is null)
        {
            return [];
        }

        if (seqLengths.LongLength != batch)
        {
            ThrowHelper.ThrowArgument($"seq_lengths has {seqLengths.Length} value(s) but the inputs have {batch} sequence(s); give one length per batch row", "seqLengths");
        }

        return seqLengths;
    }

    private static long FloorMod(long a, long n) => ((a % n) + n) % n;
}

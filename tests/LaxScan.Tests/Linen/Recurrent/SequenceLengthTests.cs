using LaxScan.Linen;
using LaxScan.Linen.Recurrent;
using LaxScan.Random;

namespace LaxScan.Tests.Linen.Recurrent;

/// <summary>
/// seq_lengths in nn.RNN: flip_sequences keeps each row's padding at the end (values from Flax's own tests and
/// docstring), padded steps are still computed, and the returned carry is the one after each row's last valid step.
/// </summary>
public class SequenceLengthTests
{
    private static NDArray<float> Arange(params int[] dims)
    {
        var a = new NDArray<float>(new Shape(dims));
        for (int i = 0; i < a.Length; i++)
        {
            a.Span[i] = i;
        }

        return a;
    }

    [Fact]
    public void Flip_sequences_as_Flaxs_test_flip_sequence()
    {
        // tests/linen/linen_recurrent_test.py: x = arange(10).reshape(2, 5), lengths [4, 2].
        NDArray<float> f = FlipSequences.Flip(Arange(2, 5), [4, 2], numBatchDims: 1, timeMajor: false);
        Assert.Equal([3f, 2f, 1f, 0f], f.Span[..4].ToArray());
        Assert.Equal([6f, 5f], f.Span.Slice(5, 2).ToArray());
    }

    [Fact]
    public void Flip_sequences_time_major_and_with_more_feature_axes()
    {
        // test_flip_sequence_time_major: x = arange(10).reshape(5, 2); flipped[:4, 0] == x[:4, 0][::-1], [:2, 1] likewise.
        NDArray<float> tm = FlipSequences.Flip(Arange(5, 2), [4, 2], 1, timeMajor: true);
        Assert.Equal([6f, 4f, 2f, 0f], new[] { tm[0, 0], tm[1, 0], tm[2, 0], tm[3, 0] });
        Assert.Equal([3f, 1f], new[] { tm[0, 1], tm[1, 1] });

        // test_flip_sequence_more_feature_dims: (2, 5, 3), row 0's first 4 steps reversed whole.
        NDArray<float> x = Arange(2, 5, 3);
        NDArray<float> f = FlipSequences.Flip(x, [4, 2], 1, timeMajor: false);
        for (int t = 0; t < 4; t++)
        {
            Assert.Equal(x.Span.Slice((3 - t) * 3, 3).ToArray(), f.Span.Slice(t * 3, 3).ToArray());
        }
    }

    [Fact]
    public void Flip_sequences_as_its_docstring_keeps_the_padding_at_the_end()
    {
        // flip_sequences' docstring: [[1,0,0],[2,3,0],[4,5,6]] with lengths [1,2,3] -> [[1,0,0],[3,2,0],[6,5,4]].
        var x = new NDArray<float>(new Shape(3, 3), [1, 0, 0, 2, 3, 0, 4, 5, 6]);
        Assert.Equal([1f, 0, 0, 3, 2, 0, 6, 5, 4], FlipSequences.Flip(x, [1, 2, 3], 1, false).Data);
    }

    [Fact]
    public void The_padding_itself_is_reversed_by_the_modulo_index()
    {
        // idxs = (arange(T-1, -1, -1) + len) % T: for T = 5 and len = 2 the order is 1 0 4 3 2.
        NDArray<float> f = FlipSequences.Flip(Arange(1, 5), [2], 1, false);
        Assert.Equal([1f, 0, 4, 3, 2], f.Data);
    }

    [Fact]
    public void The_last_carry_index_follows_JAXs_gather_negative_indices_wrap_and_out_of_range_is_NaN()
    {
        Assert.Equal(2, FlipSequences.LastCarryStep(3, 5));
        Assert.Equal(4, FlipSequences.LastCarryStep(0, 5));   // index -1 counts from the end
        Assert.Equal(-1, FlipSequences.LastCarryStep(6, 5));  // out of range: filled with NaN
        Assert.Equal(0, FlipSequences.LastCarryStep(-4, 5));  // index -5 + 5
        Assert.Equal(-1, FlipSequences.LastCarryStep(-5, 5));
    }

    [Fact]
    public void With_lengths_and_return_carry_each_row_gets_its_carry_after_its_last_valid_step()
    {
        // flax test_numerical_equivalence_with_mask: carries[len - 1] per row; the outputs are all T steps, padding included.
        RecurrentCell cell = RecurrentTestCells.Create("lstm", 4);
        NDArray<float> a = RecurrentTestCells.Sequence(21, 6, 3);
        NDArray<float> b = RecurrentTestCells.Sequence(22, 6, 3);
        var batch = new NDArray<float>(new Shape(2, 6, 3), [.. a.Data, .. b.Data]);
        var rnn = new Rnn(cell);
        Variables v = rnn.Init(PrngKey.FromSeed(0), batch);
        RnnOutput masked = rnn.Apply(v, new RnnInput(batch) { SeqLengths = [3, 6], ReturnCarry = true });
        RnnOutput plain = rnn.Apply(v, batch);
        Bits.Equal(plain.Outputs.Span, masked.Outputs.Span);

        (_, float[][] three) = RecurrentTestCells.Reference(cell, RecurrentTestCells.CellParams(v), Slice(a, 3), 4);
        (_, float[][] six) = RecurrentTestCells.Reference(cell, RecurrentTestCells.CellParams(v), b, 4);
        Bits.Equal(three[0], masked.Carry![0].Span[..4]);
        Bits.Equal(three[1], masked.Carry![1].Span[..4]);
        Bits.Equal(six[1], masked.Carry![1].Span.Slice(4, 4));
    }

    [Fact]
    public void Reverse_with_lengths_flips_only_the_valid_steps_and_keep_order_flips_back()
    {
        RecurrentCell cell = RecurrentTestCells.Create("gru", 3);
        NDArray<float> x = RecurrentTestCells.Sequence(31, 5, 2).Reshape(new Shape(1, 5, 2));
        var rnn = new Rnn(cell) { Reverse = true };
        Variables v = rnn.Init(PrngKey.FromSeed(0), x);
        NDArray<float> processed = rnn.Apply(v, new RnnInput(x) { SeqLengths = [2] }).Outputs;
        NDArray<float> flipped = FlipSequences.Flip(x, [2], 1, false);
        NDArray<float> forwardOverFlipped = new Rnn(cell).Apply(v, flipped).Outputs;
        Bits.Equal(forwardOverFlipped.Span, processed.Span);
        NDArray<float> kept = rnn.Apply(v, new RnnInput(x) { SeqLengths = [2], KeepOrder = true }).Outputs;
        Bits.Equal(FlipSequences.Flip(processed, [2], 1, false).Span, kept.Span);
    }

    [Fact]
    public void A_row_whose_length_points_past_the_end_gets_a_NaN_carry_and_a_wrong_count_is_refused()
    {
        RecurrentCell cell = RecurrentTestCells.Create("simple", 2);
        var x = new NDArray<float>(new Shape(2, 3, 2));
        var rnn = new Rnn(cell) { ReturnCarry = true };
        Variables v = rnn.Init(PrngKey.FromSeed(0), x);
        RnnOutput o = rnn.Apply(v, new RnnInput(x) { SeqLengths = [7, 1] });
        Assert.All(o.Carry!.H.Span[..2].ToArray(), c => Assert.True(float.IsNaN(c)));
        Assert.False(float.IsNaN(o.Carry.H.Span[2]));
        Assert.Throws<ArgumentException>(() => rnn.Apply(v, new RnnInput(x) { SeqLengths = [1, 2, 3] }));
    }

    private static NDArray<float> Slice(NDArray<float> x, int steps) =>
        new(new Shape(steps, x.Shape[1]), x.Span[..(steps * x.Shape[1])].ToArray());
}

using LaxScan.Linen;
using LaxScan.Linen.Recurrent;
using LaxScan.Linen.Transforms;
using LaxScan.Nn;
using LaxScan.Random;
using static LaxScan.Tests.Linen.HandDerived;

namespace LaxScan.Tests.Linen.Recurrent;

/// <summary>
/// nn.RNN and nn.Bidirectional as flax/linen/recurrent.py and flax/core/lift.py make them: where the params live, in
/// what order a checkpoint lists them, which keys they are drawn with, and that scanning equals stepping the cell.
/// </summary>
public class RnnStructureTests
{
    private static readonly PrngKey Root = PrngKey.FromSeed(0);

    [Fact]
    public void An_RNNs_cell_params_live_under_cell_and_come_back_sorted_as_from_a_JAX_pytree()
    {
        // Flax's docs/linen_intro.ipynb prints the params of nn.scan(nn.LSTMCell) in this order:
        // 'hf', 'hg', 'hi', 'ho', 'if', 'ig', 'ii', 'io', each {'bias', 'kernel'}.
        var rnn = new Rnn(new LstmCell(3));
        Variables v = rnn.Init(Root, new NDArray<float>(new Shape(5, 2)));
        Assert.Equal(["params"], v.Keys);
        Assert.Equal(["cell"], v.GetDict("params").Keys);
        Assert.Equal(["hf", "hg", "hi", "ho", "if", "ig", "ii", "io"], v.GetDict("params", "cell").Keys);
        Assert.Equal(["bias", "kernel"], v.GetDict("params", "cell", "hi").Keys);
    }

    [Fact]
    public void A_bare_cell_keeps_creation_order_since_no_scan_round_trips_its_params()
    {
        var cell = new LstmCell(3);
        Variables v = cell.Init(Root, (cell.InitializeCarry(Root, new Shape(2)), new NDArray<float>(new Shape(2))));
        Assert.Equal(["ii", "hi", "if", "hf", "ig", "hg", "io", "ho"], v.GetDict("params").Keys);
        Assert.Equal(["kernel", "bias"], v.GetDict("params", "hi").Keys);
    }

    [Fact]
    public void An_RNNs_keys_hash_the_cell_path_and_each_dense_scope()
    {
        var keys = new List<PrngKey>();
        Initializer recording = (key, shape, _) =>
        {
            keys.Add(key);
            return new NDArray<float>(shape);
        };
        var rnn = new Rnn(new SimpleCell(2) { KernelInit = recording, RecurrentKernelInit = recording, BiasInit = recording });
        rnn.Init(Root, new NDArray<float>(new Shape(4, 3)));
        Assert.Equal([Key(Root, 1, "cell", "i"), Key(Root, 2, "cell", "i"), Key(Root, 1, "cell", "h")], keys);
    }

    [Fact]
    public void Bidirectional_puts_forward_rnn_then_backward_rnn_and_concatenates_outputs()
    {
        var keys = new List<PrngKey>();
        Initializer recording = (key, shape, _) =>
        {
            keys.Add(key);
            return Initializers.Normal(0.5f)(key, shape);
        };
        var bi = new Bidirectional(new Rnn(new GruCell(3) { KernelInit = recording }), new Rnn(new GruCell(3) { KernelInit = recording }));
        NDArray<float> x = RecurrentTestCells.Sequence(1, 6, 2);
        Variables v = bi.Init(Root, x);
        Assert.Equal(["forward_rnn", "backward_rnn"], v.GetDict("params").Keys);
        Assert.Equal(["hn", "hr", "hz", "in", "ir", "iz"], v.GetDict("params", "forward_rnn", "cell").Keys);
        Assert.Equal(Key(Root, 1, "forward_rnn", "cell", "ir"), keys[0]);
        Assert.Equal(Key(Root, 1, "backward_rnn", "cell", "ir"), keys[3]);

        BidirectionalOutput both = bi.Apply(v, new RnnInput(x) { ReturnCarry = true });
        RnnOutput forward = new Rnn(new GruCell(3)) { ReturnCarry = true }.Apply(Sub(v, "forward_rnn"), x);
        RnnOutput backward = new Rnn(new GruCell(3)) { ReturnCarry = true, Reverse = true, KeepOrder = true }.Apply(Sub(v, "backward_rnn"), x);
        Assert.Equal(new Shape(6, 6), both.Outputs.Shape);
        for (int t = 0; t < 6; t++)
        {
            Bits.Equal(forward.Outputs.Span.Slice(t * 3, 3), both.Outputs.Span.Slice(t * 6, 3), $"t={t} forward");
            Bits.Equal(backward.Outputs.Span.Slice(t * 3, 3), both.Outputs.Span.Slice((t * 6) + 3, 3), $"t={t} backward");
        }

        Bits.Equal(forward.Carry!.H.Span, both.ForwardCarry!.H.Span);
        Bits.Equal(backward.Carry!.H.Span, both.BackwardCarry!.H.Span);
    }

    [Fact]
    public void Scanning_equals_applying_the_cell_once_per_step_as_Flaxs_numerical_equivalence_test()
    {
        // flax tests/linen/linen_recurrent_test.py test_numerical_equivalence: rnn.cell.apply per step gives the RNN's ys.
        foreach (string kind in RecurrentTestCells.Kinds)
        {
            RecurrentCell cell = RecurrentTestCells.Create(kind, 5);
            var rnn = new Rnn(cell) { ReturnCarry = true };
            NDArray<float> xs = RecurrentTestCells.Sequence(3, 7, 4).Reshape(new Shape(1, 7, 4));
            Variables v = rnn.Init(Root, xs);
            RnnOutput output = rnn.Apply(v, xs);
            var cellVariables = Variables.Empty.With("params", v.GetDict("params", "cell"));
            RnnCarry carry = cell.InitializeCarry(Root, new Shape(1, 4));
            for (int t = 0; t < 7; t++)
            {
                var x = new NDArray<float>(new Shape(1, 4), xs.Span.Slice(t * 4, 4).ToArray());
                (carry, NDArray<float> y) = cell.Apply(cellVariables, (carry, x));
                Bits.Equal(y.Span, output.Outputs.Span.Slice(t * 5, 5), $"{kind} t={t}");
            }

            Bits.Equal(carry.H.Span, output.Carry!.H.Span, kind);
        }
    }

    [Fact]
    public void Batch_rows_get_the_bits_of_their_own_sequence_in_both_layouts()
    {
        RecurrentCell cell = RecurrentTestCells.Create("lstm", 6);
        NDArray<float> a = RecurrentTestCells.Sequence(11, 9, 3);
        NDArray<float> b = RecurrentTestCells.Sequence(12, 9, 3);
        var batch = new NDArray<float>(new Shape(2, 9, 3), [.. a.Data, .. b.Data]);
        var rnn = new Rnn(cell);
        Variables v = rnn.Init(Root, a);
        NDArray<float> ya = rnn.Apply(v, a).Outputs;
        NDArray<float> yb = rnn.Apply(v, b).Outputs;
        NDArray<float> both = rnn.Apply(v, batch).Outputs;
        Bits.Equal([.. ya.Data, .. yb.Data], both.Span);

        NDArray<float> timeMajor = Axes.Move(batch, 1, 0);
        NDArray<float> bothTm = new Rnn(cell) { TimeMajor = true }.Apply(v, timeMajor).Outputs;
        Bits.Equal(Axes.Move(both, 1, 0).Span, bothTm.Span);
    }

    [Fact]
    public void Reverse_processes_from_the_end_and_returns_outputs_in_processed_order_unless_keep_order()
    {
        // flax test_reverse / test_reverse_but_keep_order: the cell stepped over x[T-1], ..., x[0].
        RecurrentCell cell = RecurrentTestCells.Create("gru", 4);
        NDArray<float> xs = RecurrentTestCells.Sequence(5, 6, 3);
        var rnn = new Rnn(cell) { Reverse = true, ReturnCarry = true };
        Variables v = rnn.Init(Root, xs);
        RnnOutput reversed = rnn.Apply(v, xs);
        RnnOutput kept = rnn.Apply(v, new RnnInput(xs) { KeepOrder = true });
        (float[] ys, float[][] carry) = RecurrentTestCells.Reference(cell, RecurrentTestCells.CellParams(v), xs, 4, reverse: true);
        for (int i = 0; i < 6; i++)
        {
            int t = 5 - i;
            Bits.Equal(ys.AsSpan(t * 4, 4), reversed.Outputs.Span.Slice(i * 4, 4), $"processed step {i}");
            Bits.Equal(ys.AsSpan(t * 4, 4), kept.Outputs.Span.Slice(t * 4, 4), $"kept order t={t}");
        }

        Bits.Equal(carry[0], reversed.Carry!.H.Span);
    }

    [Fact]
    public void nn_scan_of_a_cell_with_in_and_out_axes_1_equals_the_RNN()
    {
        // The test_numerical_equivalence_single_batch_nn_scan form: nn.scan(nn.LSTMCell, in_axes=1, out_axes=1) as the root.
        RecurrentCell cell = RecurrentTestCells.Create("lstm", 5);
        ScanModule<RnnCarry> scan = LinenTransforms.Scan(cell, ScanOptions.Default with { InAxes = 1, OutAxes = 1 });
        NDArray<float> xs = RecurrentTestCells.Sequence(8, 14, 3).Reshape(new Shape(2, 7, 3));
        RnnCarry carry = cell.InitializeCarry(Root, new Shape(2, 3));
        Variables v = scan.Init(Root, (carry, xs));
        Assert.Equal(["hf", "hg", "hi", "ho", "if", "ig", "ii", "io"], v.GetDict("params").Keys);
        (RnnCarry final, NDArray<float>? ys) = scan.Apply(v, (carry, xs));
        var rnn = new Rnn(cell) { ReturnCarry = true };
        RnnOutput expected = rnn.Apply(Variables.Empty.With("params", Variables.Empty.With("cell", v.GetDict("params"))), xs);
        Bits.Equal(expected.Outputs.Span, ys!.Span);
        Bits.Equal(expected.Carry![0].Span, final[0].Span);
    }

    [Fact]
    public void A_scan_of_a_cell_and_its_generic_step_by_step_form_agree()
    {
        // ScanModule runs a cell with its sequence kernels; wrapping the cell in a plain module forces the generic
        // Lax.Scan path, one Linen call per step. Same params, same bits.
        RecurrentCell cell = RecurrentTestCells.Create("mgu", 7);
        NDArray<float> xs = RecurrentTestCells.Sequence(4, 5, 2);
        RnnCarry carry = cell.InitializeCarry(Root, new Shape(2));
        ScanModule<RnnCarry> fast = LinenTransforms.Scan(cell);
        ScanModule<RnnCarry> generic = LinenTransforms.Scan<RnnCarry>(new Wrapped(cell));
        Variables v = fast.Init(Root, (carry, xs));
        Variables w = generic.Init(Root, (carry, xs));
        Assert.Equal(v.Leaves().Select(l => l.PathText), w.Leaves().Select(l => l.PathText));
        (RnnCarry fc, NDArray<float>? fy) = fast.Apply(v, (carry, xs));
        (RnnCarry gc, NDArray<float>? gy) = generic.Apply(v, (carry, xs));
        Bits.Equal(fy!.Span, gy!.Span);
        Bits.Equal(fc.H.Span, gc.H.Span);
    }

    private sealed class Wrapped(RecurrentCell cell) : Module<(RnnCarry Carry, NDArray<float>? X), (RnnCarry Carry, NDArray<float>? Y)>
    {
        // Runs the cell in this very scope, as a lifted body would, under the cell's class name.
        internal override string TypeName => cell.ClassName;

        protected override (RnnCarry Carry, NDArray<float>? Y) Call(Scope scope, (RnnCarry Carry, NDArray<float>? X) input) =>
            cell.Invoke(scope, (input.Carry, input.X!));
    }

    private static Variables Sub(Variables v, string name) => Variables.Empty.With("params", v.GetDict("params", name));
}

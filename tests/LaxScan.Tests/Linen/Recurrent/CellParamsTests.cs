using LaxScan.Linen;
using LaxScan.Linen.Recurrent;
using LaxScan.Nn;
using LaxScan.Random;
using static LaxScan.Tests.Linen.HandDerived;

namespace LaxScan.Tests.Linen.Recurrent;

/// <summary>
/// Each cell's params as flax/linen/recurrent.py (Flax 0.12.7) makes them: names, shapes, creation order, default
/// initializers, and the key each param is drawn with (Flax's rule: SHA-1 of the scope path and the per-scope counter,
/// built here by <see cref="HandDerived"/>, independently of Linen).
/// </summary>
public class CellParamsTests
{
    private static readonly PrngKey Root = PrngKey.FromSeed(0);

    private static (RnnCarry, NDArray<float>) StepInput(RecurrentCell cell, int inFeatures) =>
        (cell.InitializeCarry(Root, new Shape(inFeatures)), new NDArray<float>(new Shape(inFeatures)));

    private static string[] Layout(Variables variables) =>
        [.. variables.Leaves().Select(l => $"{l.PathText}{l.Value.TypeString[7..]}")];

    [Fact]
    public void LSTMCell_makes_ii_hi_if_hf_ig_hg_io_ho_in_that_order()
    {
        var cell = new LstmCell(4);
        Assert.Equal(
            [
                "params/ii/kernel[3,4]", "params/hi/kernel[4,4]", "params/hi/bias[4]",
                "params/if/kernel[3,4]", "params/hf/kernel[4,4]", "params/hf/bias[4]",
                "params/ig/kernel[3,4]", "params/hg/kernel[4,4]", "params/hg/bias[4]",
                "params/io/kernel[3,4]", "params/ho/kernel[4,4]", "params/ho/bias[4]",
            ],
            Layout(cell.Init(Root, StepInput(cell, 3))));
    }

    [Fact]
    public void OptimizedLSTMCell_makes_the_same_params_as_LSTMCell()
    {
        var plain = new LstmCell(5) { RecurrentKernelInit = Initializers.LecunNormal() };
        var optimized = new OptimizedLstmCell(5) { RecurrentKernelInit = Initializers.LecunNormal() };
        Variables a = plain.Init(Root, StepInput(plain, 2));
        Variables b = optimized.Init(Root, StepInput(optimized, 2));
        Assert.Equal(Layout(a), Layout(b));
        foreach (VariableLeaf leaf in a.Leaves())
        {
            Bits.Equal(((NDArray<float>)leaf.Value).Span, b.GetFloat32([.. leaf.Path]).Span, leaf.PathText);
        }
    }

    [Fact]
    public void GRUCell_makes_ir_hr_iz_hz_in_hn_with_hn_biased()
    {
        var cell = new GruCell(4);
        Assert.Equal(
            [
                "params/ir/kernel[3,4]", "params/ir/bias[4]", "params/hr/kernel[4,4]",
                "params/iz/kernel[3,4]", "params/iz/bias[4]", "params/hz/kernel[4,4]",
                "params/in/kernel[3,4]", "params/in/bias[4]", "params/hn/kernel[4,4]", "params/hn/bias[4]",
            ],
            Layout(cell.Init(Root, StepInput(cell, 3))));
    }

    [Fact]
    public void MGUCell_makes_if_hf_hn_in_and_hn_bias_only_with_the_reset_gate()
    {
        var cell = new MguCell(4);
        Assert.Equal(
            ["params/if/kernel[3,4]", "params/if/bias[4]", "params/hf/kernel[4,4]", "params/hn/kernel[4,4]", "params/hn/bias[4]", "params/in/kernel[3,4]", "params/in/bias[4]"],
            Layout(cell.Init(Root, StepInput(cell, 3))));
        var noReset = new MguCell(4) { ResetGate = false };
        Assert.Equal(
            ["params/if/kernel[3,4]", "params/if/bias[4]", "params/hf/kernel[4,4]", "params/hn/kernel[4,4]", "params/in/kernel[3,4]", "params/in/bias[4]"],
            Layout(noReset.Init(Root, StepInput(noReset, 3))));
    }

    [Fact]
    public void SimpleCell_makes_i_then_h()
    {
        var cell = new SimpleCell(4);
        Assert.Equal(["params/i/kernel[3,4]", "params/i/bias[4]", "params/h/kernel[4,4]"], Layout(cell.Init(Root, StepInput(cell, 3))));
    }

    [Fact]
    public void Every_param_is_drawn_with_the_key_of_its_dense_scope_and_its_counter()
    {
        // Each Dense is a scope of its own: its kernel takes count 1, its bias count 2 (Dense makes the kernel first).
        var keys = new List<(string Path, PrngKey Key)>();
        var cell = new GruCell(3) { KernelInit = Recording("i", keys), RecurrentKernelInit = Recording("h", keys), BiasInit = Recording("b", keys) };
        cell.Init(Root, StepInput(cell, 2));
        Assert.Equal(
            [
                ("i", Key(Root, 1, "ir")), ("b", Key(Root, 2, "ir")), ("h", Key(Root, 1, "hr")),
                ("i", Key(Root, 1, "iz")), ("b", Key(Root, 2, "iz")), ("h", Key(Root, 1, "hz")),
                ("i", Key(Root, 1, "in")), ("b", Key(Root, 2, "in")), ("h", Key(Root, 1, "hn")), ("b", Key(Root, 2, "hn")),
            ],
            keys);
    }

    [Fact]
    public void The_defaults_are_lecun_normal_kernels_zero_biases_ones_for_MGUs_forget_bias_and_orthogonal_recurrent_kernels()
    {
        var lstm = new LstmCell(3);
        InitReport<(RnnCarry, NDArray<float>)> report = lstm.InitWithReport(Root, StepInput(lstm, 2));
        Bits.Equal(Initializers.LecunNormal()(Key(Root, 1, "ii"), new Shape(2, 3)).Span, report.Variables.GetFloat32("params", "ii", "kernel").Span);
        Assert.All(report.Variables.GetFloat32("params", "hi", "bias").Data, b => Bits.Equal(0f, b));
        Assert.Equal(["params/hi/kernel", "params/hf/kernel", "params/hg/kernel", "params/ho/kernel"], report.NotJaxBits);

        var mgu = new MguCell(3);
        Variables m = mgu.Init(Root, StepInput(mgu, 2));
        Assert.All(m.GetFloat32("params", "if", "bias").Data, b => Bits.Equal(1f, b));
        Assert.All(m.GetFloat32("params", "in", "bias").Data, b => Bits.Equal(0f, b));

        var chosen = new LstmCell(3) { RecurrentKernelInit = Initializers.LecunNormal() };
        Assert.Empty(chosen.InitWithReport(Root, StepInput(chosen, 2)).NotJaxBits);
    }

    [Fact]
    public void The_hidden_size_comes_from_the_carry_as_in_Flax()
    {
        // LSTMCell uses h.shape[-1], not self.features, for its Dense: a carry of 5 makes (5, 5) recurrent kernels.
        var cell = new LstmCell(3);
        var carry = new RnnCarry(new NDArray<float>(new Shape(5)), new NDArray<float>(new Shape(5)));
        Variables v = cell.Init(Root, (carry, new NDArray<float>(new Shape(2))));
        Assert.Equal(new Shape(5, 5), v.GetLeaf("params", "hi", "kernel").Shape);
    }

    [Fact]
    public void Class_names_are_Flaxs_so_autonames_and_scan_class_names_match()
    {
        Assert.Equal("LSTMCell", new LstmCell(1).ClassName);
        Assert.Equal("OptimizedLSTMCell", new OptimizedLstmCell(1).ClassName);
        Assert.Equal("GRUCell", new GruCell(1).ClassName);
        Assert.Equal("MGUCell", new MguCell(1).ClassName);
        Assert.Equal("SimpleCell", new SimpleCell(1).ClassName);
        Assert.Equal("RNN", new Rnn(new GruCell(1)).ClassName);
        Assert.Equal("Bidirectional", new Bidirectional(new Rnn(new GruCell(1)), new Rnn(new GruCell(1))).ClassName);
        Assert.Equal("ScanLSTMCell", LaxScan.Linen.Transforms.LinenTransforms.Scan(new LstmCell(1)).ClassName);
    }

    [Fact]
    public void InitializeCarry_splits_the_key_for_the_LSTMs_and_shapes_each_part_batch_then_features()
    {
        var seen = new List<PrngKey>();
        Initializer recording = (key, shape, _) =>
        {
            seen.Add(key);
            return new NDArray<float>(shape);
        };
        PrngKey key = PrngKey.FromSeed(9);
        RnnCarry lstm = new LstmCell(4) { CarryInit = recording }.InitializeCarry(key, new Shape(2, 3));
        Assert.Equal(key.Split(2).ToArray(), seen.ToArray());
        Assert.Equal(new Shape(2, 4), lstm.Shape);
        Assert.Equal(2, lstm.Count);
        seen.Clear();
        RnnCarry gru = new GruCell(4) { CarryInit = recording }.InitializeCarry(key, new Shape(3));
        Assert.Equal([key], seen);
        Assert.Equal(new Shape(4), gru.Shape);
    }

    private static Initializer Recording(string tag, List<(string, PrngKey)> keys) => (key, shape, _) =>
    {
        keys.Add((tag, key));
        return new NDArray<float>(shape);
    };
}

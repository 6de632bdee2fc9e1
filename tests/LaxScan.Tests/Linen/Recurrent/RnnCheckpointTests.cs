using LaxScan.Io;
using LaxScan.Linen;
using LaxScan.Linen.Recurrent;
using LaxScan.Random;

namespace LaxScan.Tests.Linen.Recurrent;

/// <summary>
/// An RNN's params through a Flax checkpoint (flax.serialization.to_bytes layout): the paths Flax 0.12 gives nn.RNN
/// and nn.Bidirectional, a round trip that applies to the same bits, and Flax's errors for a param of the wrong shape or
/// a missing one.
/// </summary>
public class RnnCheckpointTests
{
    private static readonly PrngKey Key = PrngKey.FromSeed(4);

    [Fact]
    public void An_RNN_checkpoint_holds_params_cell_gate_kernel_and_applies_to_the_same_bits()
    {
        RecurrentCell cell = RecurrentTestCells.Create("lstm", 5);
        var rnn = new Rnn(cell);
        NDArray<float> xs = RecurrentTestCells.Sequence(2, 8, 3);
        Variables v = rnn.Init(Key, xs);
        Variables restored = FlaxSerialization.FromBytes(FlaxSerialization.ToBytes(v));
        Assert.Contains("params/cell/hi/kernel", restored.Leaves().Select(l => l.PathText));
        Assert.Contains("params/cell/ii/kernel", restored.Leaves().Select(l => l.PathText));
        Bits.Equal(rnn.Apply(v, xs).Outputs.Span, rnn.Apply(restored, xs).Outputs.Span);
    }

    [Fact]
    public void A_Bidirectional_checkpoint_holds_forward_rnn_and_backward_rnn()
    {
        var bi = new Bidirectional(new Rnn(RecurrentTestCells.Create("gru", 3)), new Rnn(RecurrentTestCells.Create("gru", 3)));
        NDArray<float> xs = RecurrentTestCells.Sequence(3, 4, 2);
        Variables v = FlaxSerialization.FromBytes(FlaxSerialization.ToBytes(bi.Init(Key, xs)));
        string[] paths = [.. v.Leaves().Select(l => l.PathText)];
        Assert.Contains("params/forward_rnn/cell/hn/bias", paths);
        Assert.Contains("params/backward_rnn/cell/ir/kernel", paths);
        Assert.Equal(20, paths.Length);
    }

    [Fact]
    public void A_kernel_of_another_shape_is_Flaxs_ScopeParamShapeError_naming_the_cell_scope()
    {
        var rnn = new Rnn(new GruCell(4));
        Variables v = rnn.Init(Key, new NDArray<float>(new Shape(3, 2)));
        var e = Assert.Throws<ScopeParamShapeError>(() => rnn.Apply(v, new NDArray<float>(new Shape(3, 5))));
        Assert.StartsWith("For parameter \"kernel\" in \"/cell/ir\", the given initializer is expected to generate shape (5, 4), but the existing parameter it received has shape (2, 4).", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_param_is_Flaxs_ScopeParamNotFoundError()
    {
        var rnn = new Rnn(new LstmCell(4));
        Variables v = rnn.Init(Key, new NDArray<float>(new Shape(3, 2)));
        Variables cell = v.GetDict("params", "cell");
        Variables without = Variables.Empty;
        foreach (VariableEntry e in cell)
        {
            if (e.Key != "hg")
            {
                without = without.With(e.Key, e.Dict!);
            }
        }

        var broken = Variables.Empty.With("params", Variables.Empty.With("cell", without));
        var error = Assert.Throws<ScopeParamNotFoundError>(() => rnn.Apply(broken, new NDArray<float>(new Shape(3, 2))));
        Assert.StartsWith("Could not find parameter named \"kernel\" in scope \"/cell/hg\".", error.Message, StringComparison.Ordinal);

        var wrongRoot = Variables.Empty.With("params", Variables.Empty.With("forward_rnn", v.GetDict("params")));
        Assert.Throws<ScopeParamNotFoundError>(() => rnn.Apply(wrongRoot, new NDArray<float>(new Shape(3, 2))));
    }

    [Fact]
    public void A_checkpoint_of_a_GRU_does_not_apply_to_an_LSTM()
    {
        var gru = new Rnn(new GruCell(4));
        Variables v = gru.Init(Key, new NDArray<float>(new Shape(3, 2)));
        var error = Assert.Throws<ScopeParamNotFoundError>(() => new Rnn(new LstmCell(4)).Apply(v, new NDArray<float>(new Shape(3, 2))));
        Assert.Contains("\"/cell/ii\"", error.Message, StringComparison.Ordinal);
    }
}

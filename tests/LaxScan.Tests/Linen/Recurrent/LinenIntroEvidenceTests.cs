using LaxScan.Linen;
using LaxScan.Linen.Recurrent;
using LaxScan.Linen.Transforms;
using LaxScan.Nn;
using LaxScan.Random;

namespace LaxScan.Tests.Linen.Recurrent;

/// <summary>
/// Flax's docs/linen_intro.ipynb, section "Scan", prints the output of <c>nn.scan(nn.LSTMCell)</c> over a uniform
/// sequence. That output was last computed on 2020-09-18 (google/flax 0cd39d05; later commits edited the cell's
/// source, not its output): JAX 0.2 (it prints <c>DeviceArray</c>; the original threefry), that era's XLA, and Flax's
/// first Linen, whose RNG rule folded each scope name into the key separately and then the counter
/// (flax/core/scope.py at 0cd39d05: <c>push</c> does <c>_fold_in_str(rng, name)</c>, <c>make_rng</c> does
/// <c>fold_in(rng, counter)</c>, and lift.py's <c>pack</c> gave the lifted scope <c>make_rng(kind)</c>), unlike today's single SHA-1 over path and counter. Its recurrent kernels come from
/// LAPACK's QR. So this is evidence, not a reference: with the params drawn by the 2020 rule, it measures how far
/// LaxScan's apply lands from the printed numbers, which checks the module layout, the scan axes, the gate wiring and
/// the LSTM arithmetic up to float32 rounding; bit equality is not expected.
/// </summary>
public class LinenIntroEvidenceTests
{
    private sealed class SimpleScan(int features) : Module<NDArray<float>, (RnnCarry Carry, NDArray<float>? Ys)>
    {
        protected override (RnnCarry Carry, NDArray<float>? Ys) Call(Scope scope, NDArray<float> xs)
        {
            var cell = new LstmCell(features);
            ScanModule<RnnCarry> lstm = LinenTransforms.Scan(cell, ScanOptions.Default with { InAxes = 1, OutAxes = 1 }, name: "lstm_cell");
            RnnCarry carry = cell.InitializeCarry(PrngKey.FromSeed(0), new Shape(xs.Shape[0], xs.Shape[2]), ThreefryMode.Original);
            return scope.Call(lstm, (carry, xs));
        }
    }

    [Fact]
    public void The_printed_nn_scan_LSTMCell_output_is_within_the_measured_distance()
    {
        const ThreefryMode mode = ThreefryMode.Original;
        PrngKey[] keys = PrngKey.FromSeed(0).Split(2, mode);
        NDArray<float> xs = JaxRandom.Uniform(keys[0], new Shape(1, 5, 2), mode: mode);
        var model = new SimpleScan(2);
        var options = new LinenOptions(mode);

        // Today's init puts the same names in the printed (sorted) order...
        Variables today = model.Init(keys[1], xs, options);
        Assert.Equal(["hf", "hg", "hi", "ho", "if", "ig", "ii", "io"], today.GetDict("params", "lstm_cell").Keys);

        // ...but the printed run drew them with the 2020 key rule.
        Variables cell = Variables.Empty;
        foreach (string gate in (string[])["i", "f", "g", "o"])
        {
            cell = cell.With($"i{gate}", Variables.Empty.With("kernel", Initializers.LecunNormal()(Key2020(keys[1], "lstm_cell", 1, $"i{gate}", 1), new Shape(2, 2), mode)));
            cell = cell.With($"h{gate}", Variables.Empty
                .With("kernel", Initializers.Orthogonal()(Key2020(keys[1], "lstm_cell", 1, $"h{gate}", 1), new Shape(2, 2), mode))
                .With("bias", new NDArray<float>(new Shape(2))));
        }

        Variables v = Variables.Empty.With("params", Variables.Empty.With("lstm_cell", cell));
        (RnnCarry carry, NDArray<float>? ys) = model.Apply(v, xs, options);

        float[] printedC = [-0.562219f, 0.92847174f];
        float[] printedH = [-0.31570646f, 0.2885693f];
        float[] printedYs = [-0.08265854f, 0.01302483f, -0.10249066f, 0.21991298f, -0.26609066f, 0.22519003f, -0.27982554f, 0.28393182f, -0.31570646f, 0.2885693f];
        float[] printed = [.. printedC, .. printedH, .. printedYs];
        float[] actual = [.. carry[0].Data, .. carry[1].Data, .. ys!.Data];
        double worst = Distance(printed, actual);
        int exact = printed.Zip(actual).Count(p => p.First == p.Second);
        Assert.True(
            worst <= MeasuredDistance && exact >= MeasuredExact,
            $"largest absolute difference {worst:E3} (measured {MeasuredDistance:E3}), {exact} of {printed.Length} printed values equal (measured {MeasuredExact})");
    }

    // Measured on this code (2026-12): 6 of the 14 printed values equal, the others within 1.19e-7 (two float32 ulps
    // near 1); the QR and 2020's XLA
    // account for it. Anything structural (a swapped gate, a wrong key, a lost bias) moves the output by 1e-2 or more.
    private const double MeasuredDistance = 1.2e-7;

    private const int MeasuredExact = 6;

    /// <summary>
    /// Flax's 2020 key rule: each scope name folds in SHA-1(name)[:4], each make_rng its counter; the 2020 lift's
    /// <c>pack</c> replaced the lifted scope's stream by <c>scope.make_rng(kind)</c> (flax/core/lift.py at 0cd39d05),
    /// one more counter after <c>lstm_cell</c>.
    /// </summary>
    private static PrngKey Key2020(PrngKey root, params object[] items)
    {
        PrngKey key = root;
        foreach (object item in items)
        {
            key = item is string name ? key.FoldIn(HandDerived.Sha1Head(HandDerived.Bytes(name))) : key.FoldIn((uint)(int)item);
        }

        return key;
    }

    private static double Distance(float[] printed, ReadOnlySpan<float> actual)
    {
        double worst = 0;
        for (int i = 0; i < printed.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(printed[i] - actual[i]));
        }

        return worst;
    }
}

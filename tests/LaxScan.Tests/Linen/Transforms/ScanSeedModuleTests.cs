using LaxScan.Kernels;
using LaxScan.Linen;
using LaxScan.Linen.Transforms;
using LaxScan.Models;
using LaxScan.Nn;
using LaxScan.Numerics;
using LaxScan.Random;
using static LaxScan.Tests.Linen.HandDerived;

namespace LaxScan.Tests.Linen.Transforms;

/// <summary>
/// The seed's module written with <c>nn.scan</c> (<see cref="LaxScanScanModule"/>) instead of <c>jax.lax.scan</c>:
/// <code>
/// class Step(nn.Module):
///     hidden: int
///     @nn.compact
///     def __call__(self, carry, _):
///         W = self.param("W", nn.initializers.lecun_normal(), (self.hidden, self.hidden))
///         return jnp.tanh(carry @ W), None
///
/// class LaxScanNnScan(nn.Module):
///     hidden: int
///     T: int
///     @nn.compact
///     def __call__(self, x):
///         ScanStep = nn.scan(Step, variable_broadcast="params", split_rngs={"params": False}, length=self.T + 1)
///         carry, _ = ScanStep(self.hidden)(x, None)     # step 0 is tanh(x @ W), then T more
///         return carry
/// </code>
/// W lives at <c>params/ScanStep_0/W</c> (the transformed class is named "Scan" + "Step", flax/linen/transforms.py
/// <c>module_class_lift_transform</c>), not at the lax.scan version's <c>params/W</c>, so init draws it with another key.
/// </summary>
public class ScanSeedModuleTests
{
    private sealed class Step(int hidden) : Module<(NDArray<float> Carry, NDArray<float>? X), (NDArray<float> Carry, NDArray<float>? Y)>
    {
        protected override (NDArray<float> Carry, NDArray<float>? Y) Call(Scope scope, (NDArray<float> Carry, NDArray<float>? X) input)
        {
            NDArray<float> w = scope.Param("W", Initializers.LecunNormal(), new Shape(hidden, hidden));
            var next = new NDArray<float>(new Shape(hidden));
            Gemv.Multiply(input.Carry.Span, w.Span, next.Span);
            XlaMath.Tanh(next.Span, next.Span);
            return (next, null);
        }
    }

    private static readonly NDArray<float> X = new(new Shape(4), [0.5f, -1f, 0.25f, 2f]);

    [Fact]
    public void W_lives_at_ScanStep_0_and_is_drawn_with_that_paths_first_key()
    {
        PrngKey root = PrngKey.FromSeed(0);
        Variables v = new LaxScanScanModule(4, 10).Init(root, X);
        Assert.Equal(["params/ScanStep_0/W"], v.Leaves().Select(l => l.PathText));
        Bits.Equal(Initializers.LecunNormal()(Key(root, 1, "ScanStep_0"), new Shape(4, 4)).Span, v.GetFloat32("params", "ScanStep_0", "W").Span);

        // The lax.scan version's W is the root's first key (published in Flax's RNG guide): another W.
        Variables seed = LaxScanFunctions.Params(root, 4);
        Assert.NotEqual(v.GetFloat32("params", "ScanStep_0", "W").Data, seed.GetFloat32("params", "W").Data);
    }

    [Fact]
    public void With_the_same_W_the_nn_scan_version_computes_the_seeds_recurrence()
    {
        Variables seed = LaxScanFunctions.Params(PrngKey.FromSeed(3), 4);
        NDArray<float> w = seed.GetFloat32("params", "W");
        Variables moved = Variables.Empty.With("params", Variables.Empty.With("ScanStep_0", Variables.Empty.With("W", w)));
        foreach (long steps in (long[])[0, 1, 10])
        {
            NDArray<float> expected = LaxScanFunctions.Apply(seed, X, 4, steps);
            Bits.Equal(expected.Span, new LaxScanScanModule(4, steps).Apply(moved, X).Span, $"T={steps}");
        }
    }

    [Fact]
    public void A_scan_without_xs_needs_a_length_and_one_with_xs_must_agree_with_it()
    {
        var noLength = new Probe<int, int>((scope, _) =>
        {
            scope.Call(LinenTransforms.Scan<NDArray<float>>(new Step(4)), (X, null));
            return 0;
        });
        var e = Assert.Throws<ArgumentException>(() => noLength.Init(PrngKey.FromSeed(0), 0));
        Assert.Contains("length should be specified manually.", e.Message, StringComparison.Ordinal);

        var mismatch = new Probe<int, int>((scope, _) =>
        {
            scope.Call(LinenTransforms.Scan(new LaxScan.Linen.Recurrent.GruCell(2), ScanOptions.Default with { Length = 3 }), (new LaxScan.Linen.Recurrent.RnnCarry(new NDArray<float>(new Shape(2))), new NDArray<float>(new Shape(5, 1))));
            return 0;
        });
        e = Assert.Throws<ArgumentException>(() => mismatch.Init(PrngKey.FromSeed(0), 0));
        Assert.Contains("Inconsistent scan lengths", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_LaxScan_does_not_implement_are_refused_by_name_and_unroll_changes_nothing()
    {
        Assert.Throws<NotSupportedException>(() => LinenTransforms.Scan<NDArray<float>>(new Step(2), ScanOptions.Default with { VariableBroadcast = "batch_stats" }));
        Assert.Throws<NotSupportedException>(() => LinenTransforms.Scan<NDArray<float>>(new Step(2), ScanOptions.Default with { SplitRngs = new Dictionary<string, bool> { ["params"] = true } }));
        Assert.Throws<ArgumentOutOfRangeException>(() => LinenTransforms.Scan<NDArray<float>>(new Step(2), ScanOptions.Default with { Unroll = 0 }));

        Variables seed = LaxScanFunctions.Params(PrngKey.FromSeed(1), 4);
        Variables moved = Variables.Empty.With("params", Variables.Empty.With("ScanStep_0", Variables.Empty.With("W", seed.GetFloat32("params", "W"))));
        var unrolled = new Probe<NDArray<float>, NDArray<float>>((scope, x) =>
            scope.Call(LinenTransforms.Scan<NDArray<float>>(new Step(4), ScanOptions.Default with { Length = 8, Unroll = 3 }), (x, null)).Carry);
        Bits.Equal(new LaxScanScanModule(4, 7).Apply(moved, X).Span, unrolled.Apply(moved, X).Span);
    }
}

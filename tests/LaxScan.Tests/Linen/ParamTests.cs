using LaxScan.Linen;
using LaxScan.Models;
using LaxScan.Nn;
using LaxScan.Random;
using static LaxScan.Tests.Linen.HandDerived;

namespace LaxScan.Tests.Linen;

public class ParamTests
{
    private static readonly Shape Vec2 = new(2);

    [Fact]
    public void ARootParamGetsTheFirstPublishedKey()
    {
        // jax-parity.md section 6: h = SHA-1(0x01) = 3213575472; the rng guide publishes fold_in(key(0), h).
        var keys = new List<PrngKey>();
        Probes.Of(scope => scope.Param("W", Probes.Recording(keys), Vec2)).Init(PrngKey.FromSeed(0), 0);
        Assert.Equal(PrngKey.FromSeed(0).FoldIn(3213575472), keys[0]);
        Assert.Equal(FlaxPublished.RootKey0[0], keys[0]);
    }

    [Fact]
    public void TheParamNameIsNotHashedOnlyTheOrder()
    {
        var keys = new List<PrngKey>();
        Probes.Of(scope =>
        {
            scope.Param("zeta", Probes.Recording(keys), Vec2);
            scope.Param("alpha", Probes.Recording(keys), Vec2);
        }).Init(PrngKey.FromSeed(1), 0);
        Assert.Equal(FlaxPublished.RootKey1[..2], keys);
    }

    [Fact]
    public void InitReturnsTheParamsCollectionInCreationOrder()
    {
        Variables v = Probes.Of(scope =>
        {
            scope.Param("b", Initializers.Zeros, new Shape(3));
            scope.Call(new Dense(4), new NDArray<float>(new Shape(1, 3)));
            scope.Param("a", Initializers.Ones, new Shape(2, 2));
        }).Init(PrngKey.FromSeed(0), 0);
        Assert.Equal(["params"], v.Keys);
        Assert.Equal(["b", "Dense_0", "a"], v.GetDict("params").Keys);
        Assert.Equal(["kernel", "bias"], v.GetDict("params", "Dense_0").Keys);
        Assert.Equal("float32[3,4]", v.GetLeaf("params", "Dense_0", "kernel").TypeString);
        Assert.Equal([1f, 1f, 1f, 1f], v.GetFloat32("params", "a").Data);
    }

    [Fact]
    public void InitWithoutParamsIsEmpty()
    {
        Assert.Equal(0, Probes.Of(_ => { }).Init(PrngKey.FromSeed(0), 0).Count);
    }

    [Fact]
    public void TheThreefryModeReachesTheInitializer()
    {
        var modes = new List<ThreefryMode>();
        Initializer spy = (key, shape, mode) =>
        {
            modes.Add(mode);
            return new NDArray<float>(shape);
        };
        Probes.Of(scope => scope.Param("W", spy, Vec2)).Init(PrngKey.FromSeed(0), 0, new LinenOptions(ThreefryMode.Original));
        Probes.Of(scope => scope.Param("W", spy, Vec2)).Init(PrngKey.FromSeed(0), 0);
        Assert.Equal([ThreefryMode.Original, ThreefryMode.Partitionable], modes);
    }

    [Fact]
    public void AnInitializerReturningAnotherShapeIsRejected()
    {
        Initializer wrong = (_, _, _) => new NDArray<float>(new Shape(5));
        Assert.Throws<InvalidOperationException>(() => Probes.Of(scope => scope.Param("W", wrong, Vec2)).Init(PrngKey.FromSeed(0), 0));
    }

    [Fact]
    public void TheRngGuideModelWithDenseAndParams()
    {
        // rng guide cell 36: Dense(2, kernel_init=normal, use_bias=False), param model_param (root count 1),
        // make_rng('params') (root count 2), make_rng('other') (count 1), Dense(2, kernel_init=normal, bias_init=normal).
        var model = new Probe<NDArray<float>, NDArray<float>[]>((scope, x) =>
        {
            x = scope.Call(new Dense(2) { KernelInit = Probes.Normal, UseBias = false }, x);
            NDArray<float> modelParam = scope.Param("model_param", Probes.Normal, x.Shape);
            NDArray<float> variable1 = JaxRandom.Normal(scope.MakeRng("params"), x.Shape);
            NDArray<float> variable2 = JaxRandom.Normal(scope.MakeRng("other"), x.Shape);
            scope.Call(new Dense(2) { KernelInit = Probes.Normal, BiasInit = Probes.Normal }, x);
            return [modelParam, variable1, variable2];
        });
        var ones = new NDArray<float>(new Shape(2, 2), [1f, 1f, 1f, 1f]);
        var (outputs, v) = model.InitWithOutput(new Dictionary<string, PrngKey> { ["params"] = PrngKey.FromSeed(0), ["other"] = PrngKey.FromSeed(1) }, ones);

        FlaxPublished.AssertPrinted(v.GetFloat32("params", "Dense_0", "kernel").Span, "-1.6185919", "0.700908", "-1.3146383", "-0.79342234");
        FlaxPublished.AssertPrinted(v.GetFloat32("params", "model_param").Span, "0.0761425", "-1.6157459", "-1.6857724", "0.7126891");
        FlaxPublished.AssertPrinted(outputs[1].Span, "0.60175574", "0.2553228", "0.27367848", "-2.1975214");
        FlaxPublished.AssertPrinted(outputs[2].Span, "1.6249592", "0.30813068", "1.6613585", "1.0404155");
        FlaxPublished.AssertPrinted(v.GetFloat32("params", "Dense_1", "kernel").Span, "0.0030665", "0.29551846", "0.16670242", "-0.78252524");
        FlaxPublished.AssertPrinted(v.GetFloat32("params", "Dense_1", "bias").Span, "1.582462", "0.15216611");
        Assert.Same(v.GetLeaf("params", "model_param"), outputs[0]);
        Assert.Equal(["Dense_0", "model_param", "Dense_1"], v.GetDict("params").Keys);
    }

    [Fact]
    public void NestedSubmoduleParamsHashTheWholePath()
    {
        var keys = new List<PrngKey>();
        var inner = new Probe<int, int>((scope, x) =>
        {
            scope.Param("k", Probes.Recording(keys), Vec2);
            scope.Param("b", Probes.Recording(keys), Vec2);
            return x;
        });
        var outer = new Probe<int, int>((scope, x) => scope.Call(inner, x)) { Name = "outer" };
        Probes.Of(scope => scope.Call(outer, 0)).Init(PrngKey.FromSeed(3), 0);
        PrngKey root = PrngKey.FromSeed(3);
        Assert.Equal([Key(root, 1, "outer", "Probe_0"), Key(root, 2, "outer", "Probe_0")], keys);
    }
}

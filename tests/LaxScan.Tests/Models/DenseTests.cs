using LaxScan.Linen;
using LaxScan.Models;
using LaxScan.Nn;
using LaxScan.Random;
using LaxScan.Tests.Linen;
using static LaxScan.Tests.Linen.HandDerived;

namespace LaxScan.Tests.Models;

public class DenseTests
{
    private static Variables Params(NDArray<float> kernel, NDArray<float>? bias)
    {
        Variables dense = Variables.Empty.With("kernel", kernel);
        return Variables.Empty.With("params", bias is null ? dense : dense.With("bias", bias));
    }

    [Fact]
    public void ForwardIsXTimesKernelPlusBias()
    {
        // Small integers: every product and sum is exact, so the expected values need no rounding argument.
        var kernel = new NDArray<float>(new Shape(2, 3), [1, 2, 3, 4, 5, 6]);
        var bias = new NDArray<float>(new Shape(3), [10, 20, 30]);
        var x = new NDArray<float>(new Shape(2, 2), [1, 1, 2, -1]);
        NDArray<float> y = new Dense(3).Apply(Params(kernel, bias), x);
        Assert.Equal(new Shape(2, 3), y.Shape);
        Assert.Equal([15f, 27f, 39f, 8f, 19f, 30f], y.Data);
    }

    [Fact]
    public void TheDotUsesOneFmaPerTermInXlaOrder()
    {
        // x = [1, 2^-24, -1], W column = [1, 1, 1]: fma order gives ((0 + 1) + 2^-24) rounded to 1, then 1 - 1 = 0;
        // a pairwise or reversed sum would give 2^-24.
        var kernel = new NDArray<float>(new Shape(3, 1), [1, 1, 1]);
        var x = new NDArray<float>(new Shape(3), [1, MathF.Pow(2, -24), -1]);
        Assert.Equal([0f], new Dense(1) { UseBias = false }.Apply(Params(kernel, null), x).Data);
    }

    [Fact]
    public void TheBiasAddIsASeparateRoundedAdd()
    {
        // Eager apply (no transform body): JAX runs the dot and the add as two computations.
        // x = W = 1 + 2^-12: the product 1 + 2^-11 + 2^-24 is a tie that rounds to even, 1 + 2^-11, in the dot; the bias
        // -1 then gives 2^-11, whereas fusing the add into the dot, fma(x, W, -1), would keep 2^-11 + 2^-24.
        float a = 1f + MathF.Pow(2, -12);
        var kernel = new NDArray<float>(new Shape(1, 1), [a]);
        var bias = new NDArray<float>(new Shape(1), [-1f]);
        var x = new NDArray<float>(new Shape(1), [a]);
        Assert.Equal([MathF.Pow(2, -11)], new Dense(1).Apply(Params(kernel, bias), x).Data);
    }

    private static float[] DenseOut(Variables variables, NDArray<float> x, string jaxVersion, bool insideScan)
    {
        var dense = new Dense(variables.GetFloat32("params", "kernel").Shape[1]);
        var options = new LinenOptions { JaxVersion = JaxVersion.Parse(jaxVersion) };
        if (!insideScan)
        {
            return dense.Apply(variables, x, options).Data;
        }

        (_, NDArray<float>? ys) = LaxScan.Lax.Scan<NDArray<float>>(c => (c, dense.Apply(variables, c, options)), x, 1);
        return ys!.Data;
    }

    [Fact]
    public void InsideATransformBodyJaxBefore0_10_2FusesTheBiasIntoTheDot()
    {
        // x = W = 1 + 2^-12, bias -1: output-fused, the sum starts at the bias and fma(x, W, -1) keeps 2^-11 + 2^-24;
        // as a separate add, the rounded product 1 + 2^-11 minus 1 gives 2^-11.
        float a = 1f + MathF.Pow(2, -12);
        Variables tie = Params(new NDArray<float>(new Shape(1, 1), [a]), new NDArray<float>(new Shape(1), [-1f]));
        var x = new NDArray<float>(new Shape(1), [a]);
        float fused = MathF.Pow(2, -11) + MathF.Pow(2, -24);
        float separate = MathF.Pow(2, -11);
        Assert.Equal([fused], DenseOut(tie, x, "0.10.1", insideScan: true));
        Assert.Equal([fused], DenseOut(tie, x, "0.5.0", insideScan: true));
        Assert.Equal([separate], DenseOut(tie, x, "0.10.2", insideScan: true));
        Assert.Equal([separate], DenseOut(tie, x, "0.11.0", insideScan: true));

        // Eagerly, JAX dispatches the dot and the add as two computations, in every release.
        Assert.Equal([separate], DenseOut(tie, x, "0.10.1", insideScan: false));
    }

    [Fact]
    public void TheFusedSumStartsAtTheBiasAndAddsTheTermsInOrder()
    {
        // x = [1, 2^-24], kernel column [1, 1], bias -1. Fused: -1 + 1 = 0, then + 2^-24 = 2^-24. Separate: the dot
        // 1 + 2^-24 rounds to 1 (a tie, to even), and 1 - 1 = 0.
        Variables v = Params(new NDArray<float>(new Shape(2, 1), [1f, 1f]), new NDArray<float>(new Shape(1), [-1f]));
        var x = new NDArray<float>(new Shape(2), [1f, MathF.Pow(2, -24)]);
        Assert.Equal([MathF.Pow(2, -24)], DenseOut(v, x, "0.10.1", insideScan: true));
        Assert.Equal([0f], DenseOut(v, x, "0.10.2", insideScan: true));
    }

    [Fact]
    public void ABatchIsAMatrixProductAndIsNeverOutputFused()
    {
        float a = 1f + MathF.Pow(2, -12);
        Variables tie = Params(new NDArray<float>(new Shape(1, 1), [a]), new NDArray<float>(new Shape(1), [-1f]));
        var batch = new NDArray<float>(new Shape(1, 1), [a]);
        Assert.Equal([MathF.Pow(2, -11)], DenseOut(tie, batch, "0.10.1", insideScan: true));
    }

    [Fact]
    public void SubnormalsAreFlushedInTheBiasAdd()
    {
        float tiny = BitConverter.UInt32BitsToSingle(0x00000001);
        var kernel = new NDArray<float>(new Shape(1, 1), [0f]);
        var x = new NDArray<float>(new Shape(1), [1f]);
        float y = new Dense(1).Apply(Params(kernel, new NDArray<float>(new Shape(1), [tiny])), x).Data[0];
        Assert.Equal(0u, BitConverter.SingleToUInt32Bits(y));

        // A normal bias minus a nearly equal one leaves a subnormal: flushed to a zero of the same sign.
        float min = BitConverter.UInt32BitsToSingle(0x00800001);
        kernel = new NDArray<float>(new Shape(1, 1), [-BitConverter.UInt32BitsToSingle(0x00800000)]);
        y = new Dense(1).Apply(Params(kernel, new NDArray<float>(new Shape(1), [min])), x).Data[0];
        Assert.Equal(0u, BitConverter.SingleToUInt32Bits(y));
    }

    [Fact]
    public void BatchAxesArePreserved()
    {
        var dense = new Dense(5);
        var x = new NDArray<float>(new Shape(2, 3, 4));
        var (y, v) = dense.InitWithOutput(PrngKey.FromSeed(0), x);
        Assert.Equal(new Shape(2, 3, 5), y.Shape);
        Assert.Equal(new Shape(4, 5), v.GetFloat32("params", "kernel").Shape);
        Assert.Equal(new Shape(5), v.GetFloat32("params", "bias").Shape);
    }

    [Fact]
    public void InitDrawsTheKernelFromTheFirstKeyAndZerosTheBias()
    {
        // Root Dense: kernel = lecun_normal(fold_in(key, SHA-1(0x01))), the rng guide's first key for key(0).
        var x = new NDArray<float>(new Shape(1, 3));
        Variables v = new Dense(4).Init(PrngKey.FromSeed(0), x);
        NDArray<float> expected = Initializers.LecunNormal()(FlaxPublished.RootKey0[0], new Shape(3, 4));
        Assert.Equal(expected.Data, v.GetFloat32("params", "kernel").Data);
        Assert.Equal(new float[4], v.GetFloat32("params", "bias").Data);
    }

    [Fact]
    public void ASubmoduleDenseHashesItsName()
    {
        var x = new NDArray<float>(new Shape(1, 3));
        Variables v = new Probe<NDArray<float>, NDArray<float>>((scope, input) => scope.Call(new Dense(2), scope.Call(new Dense(4), input)))
            .Init(PrngKey.FromSeed(42), x, new LinenOptions(ThreefryMode.Original));
        PrngKey root = PrngKey.FromSeed(42);
        Assert.Equal(
            Initializers.LecunNormal()(Key(root, 1, "Dense_1"), new Shape(4, 2), ThreefryMode.Original).Data,
            v.GetFloat32("params", "Dense_1", "kernel").Data);
        Assert.Equal(
            Initializers.LecunNormal()(Key(root, 1, "Dense_0"), new Shape(3, 4), ThreefryMode.Original).Data,
            v.GetFloat32("params", "Dense_0", "kernel").Data);
    }

    [Fact]
    public void WithoutBiasThereIsNoBiasParam()
    {
        Variables v = new Dense(2) { UseBias = false }.Init(PrngKey.FromSeed(0), new NDArray<float>(new Shape(3)));
        Assert.Equal(["kernel"], v.GetDict("params").Keys);
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dense(-1));
        var error = Assert.Throws<ArgumentException>(() => new Dense(2).Init(PrngKey.FromSeed(0), new NDArray<float>(Shape.Scalar)));
        Assert.Contains("float32[]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ZeroWidthInputsGiveTheBias()
    {
        var bias = new NDArray<float>(new Shape(2), [3, 4]);
        NDArray<float> y = new Dense(2).Apply(Params(new NDArray<float>(new Shape(0, 2)), bias), new NDArray<float>(new Shape(3, 0)));
        Assert.Equal(new Shape(3, 2), y.Shape);
        Assert.Equal([3f, 4f, 3f, 4f, 3f, 4f], y.Data);
    }
}

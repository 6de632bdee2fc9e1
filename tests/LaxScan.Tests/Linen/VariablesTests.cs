using LaxScan.Linen;

namespace LaxScan.Tests.Linen;

public class VariablesTests
{
    private static readonly NDArray<float> A = new(new Shape(3, 4));
    private static readonly NDArray<float> B = new(new Shape(4));

    private static Variables Sample() => Variables.Empty.With("params", Variables.Empty
        .With("Dense_0", Variables.Empty.With("kernel", A).With("bias", B))
        .With("W", B));

    [Fact]
    public void ToStringFollowsFlaxPrettyRepr()
    {
        Assert.Equal(
            "{\n    params: {\n        Dense_0: {\n            kernel: float32[3,4],\n            bias: float32[4],\n        },\n        W: float32[4],\n    },\n}",
            Sample().ToString());
        Assert.Equal("{}", Variables.Empty.ToString());
    }

    [Fact]
    public void LookupByPath()
    {
        Variables v = Sample();
        Assert.Same(A, v.GetLeaf("params", "Dense_0", "kernel"));
        Assert.Same(A, v.GetFloat32("params", "Dense_0", "kernel"));
        Assert.Equal(2, v.GetDict("params", "Dense_0").Count);
        Assert.Same(v, v.GetDict());
        Assert.False(v.TryGetLeaf(["params", "Dense_0"], out _));
        Assert.False(v.TryGetLeaf(["params", "W", "x"], out _));
        Assert.False(v.TryGetDict(["params", "W"], out _));
        Assert.False(v.TryGetLeaf([], out _));
        var error = Assert.Throws<KeyNotFoundException>(() => v.GetLeaf("params", "nope"));
        Assert.Contains("params/nope", error.Message, StringComparison.Ordinal);
        Assert.Throws<KeyNotFoundException>(() => Variables.Empty.With("u", new NDArray<uint>(new Shape(1))).GetFloat32("u"));
    }

    [Fact]
    public void LeavesEnumerateDepthFirstInInsertionOrder()
    {
        Assert.Equal(["params/Dense_0/kernel", "params/Dense_0/bias", "params/W"], Sample().Leaves().Select(l => l.PathText));
        Assert.Equal(["params"], Sample().Select(e => e.Key));
        Assert.False(Sample().Single().IsLeaf);
    }

    [Fact]
    public void WithReplacesInPlaceAndLeavesTheOriginalAlone()
    {
        Variables v = Variables.Empty.With("a", A).With("b", B);
        Variables replaced = v.With("a", B);
        Assert.Equal(["a", "b"], replaced.Keys);
        Assert.Same(B, replaced.GetLeaf("a"));
        Assert.Same(A, v.GetLeaf("a"));
        Assert.True(v.ContainsKey("b"));
        Assert.False(v.ContainsKey("B"));
    }

    [Fact]
    public void SetAtBuildsDictionariesAndRefusesToDescendIntoAnArray()
    {
        Variables v = Variables.Empty.SetAt(["params", "x", "y"], A);
        Assert.Same(A, v.GetLeaf("params", "x", "y"));
        Assert.Throws<ArgumentException>(() => v.SetAt(["params", "x", "y", "z"], A));
    }
}

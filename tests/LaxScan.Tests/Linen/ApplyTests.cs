using LaxScan.Linen;
using LaxScan.Models;
using LaxScan.Nn;
using LaxScan.Random;

namespace LaxScan.Tests.Linen;

public class ApplyTests
{
    private const string Docs = "https://flax.readthedocs.io/en/latest/api_reference/flax.errors.html#flax.errors.";
    private static readonly NDArray<float> X = new(new Shape(2, 3), [1, 2, 3, 4, 5, 6]);

    private static Probe<NDArray<float>, NDArray<float>> TwoLayers() => new((scope, x) => scope.Call(new Dense(2), scope.Call(new Dense(4), x)));

    [Fact]
    public void ApplyReproducesTheInitOutput()
    {
        var model = TwoLayers();
        var (output, variables) = model.InitWithOutput(PrngKey.FromSeed(0), X);
        NDArray<float> applied = model.Apply(variables, X);
        Assert.Equal(output.Shape, applied.Shape);
        Assert.Equal(output.Data, applied.Data);
    }

    [Fact]
    public void ApplyConsumesNoRng()
    {
        // The module makes a param, then one key. In apply the param exists, so the key must be the stream's first.
        var model = Probes.Returning(scope =>
        {
            scope.Param("W", Initializers.Zeros, new Shape(2));
            return scope.MakeRng("params");
        });
        var (initKey, variables) = model.InitWithOutput(PrngKey.FromSeed(0), 0);
        Assert.Equal(FlaxPublished.RootKey0[1], initKey);
        PrngKey applyKey = model.Apply(variables, 0, new Dictionary<string, PrngKey> { ["params"] = PrngKey.FromSeed(0) });
        Assert.Equal(FlaxPublished.RootKey0[0], applyKey);
    }

    [Fact]
    public void ApplyNeverCallsTheInitializer()
    {
        int calls = 0;
        Initializer counting = (_, shape, _) =>
        {
            calls++;
            return new NDArray<float>(shape);
        };
        var model = Probes.Of(scope => scope.Param("W", counting, new Shape(2)));
        Variables v = model.Init(PrngKey.FromSeed(0), 0);
        model.Apply(v, 0);
        Assert.Equal(1, calls);
    }

    [Fact]
    public void ApplyWithAnotherInputWidthIsAShapeError()
    {
        var model = TwoLayers();
        Variables v = model.Init(PrngKey.FromSeed(0), X);
        var error = Assert.Throws<ScopeParamShapeError>(() => model.Apply(v, new NDArray<float>(new Shape(2, 5))));
        Assert.Equal(
            "For parameter \"kernel\" in \"/Dense_0\", the given initializer is expected to generate shape (5, 4), but the existing parameter it received has shape (3, 4). (" + Docs + "ScopeParamShapeError)",
            error.Message);
        Assert.Equal("kernel", error.ParamName);
        Assert.Equal("/Dense_0", error.ScopePath);
    }

    [Fact]
    public void ApplyWithAMissingParamIsANotFoundError()
    {
        var model = TwoLayers();
        Variables v = model.Init(PrngKey.FromSeed(0), X);
        Variables pruned = Variables.Empty.With("params", Variables.Empty
            .With("Dense_0", v.GetDict("params", "Dense_0"))
            .With("Dense_1", Variables.Empty.With("kernel", v.GetLeaf("params", "Dense_1", "kernel"))));
        var error = Assert.Throws<ScopeParamNotFoundError>(() => model.Apply(pruned, X));
        Assert.Equal("Could not find parameter named \"bias\" in scope \"/Dense_1\". (" + Docs + "ScopeParamNotFoundError)", error.Message);
        Assert.Equal("bias", error.ParamName);
        Assert.Equal("/Dense_1", error.ScopePath);
    }

    [Fact]
    public void ApplyWithoutParamsIsACollectionNotFoundError()
    {
        var error = Assert.Throws<ScopeCollectionNotFoundError>(() => TwoLayers().Apply(Variables.Empty, X));
        Assert.Equal("Tried to access \"kernel\" from collection \"params\" in \"/Dense_0\" but the collection is empty. (" + Docs + "ScopeCollectionNotFound)", error.Message);
        Assert.Equal("params", error.Collection);
    }

    [Fact]
    public void ADoubledParamsLevelIsAStructureError()
    {
        var model = TwoLayers();
        Variables v = model.Init(PrngKey.FromSeed(0), X);
        Variables doubled = Variables.Empty.With("params", v);
        var error = Assert.Throws<ApplyScopeInvalidVariablesStructureError>(() => model.Apply(doubled, X));
        Assert.Equal(
            "Expect the `variables` (first argument) passed to apply() to be a dict with the structure {\"params\": ...}, but got a dict with an extra params layer, i.e.  {\"params\": {\"params\": ... } }. You should instead pass in your dict's [\"params\"]. (" + Docs + "ApplyScopeInvalidVariablesStructureError)",
            error.Message);
        Assert.Same(doubled, error.Variables);
    }

    [Fact]
    public void AnArrayAsACollectionIsATypeError()
    {
        var error = Assert.Throws<ApplyScopeInvalidVariablesTypeError>(() => TwoLayers().Apply(Variables.Empty.With("params", X), X));
        Assert.Equal(
            "The first argument passed to an apply function should be a dictionary of collections. Each collection should be a dictionary with string keys. (\"params\" holds an array.) (" + Docs + "ApplyScopeInvalidVariablesTypeError)",
            error.Message);
        Assert.Equal("params", error.Collection);
    }

    [Fact]
    public void ParamsAreImmutableInApply()
    {
        // A module that makes a param only on its second run: apply may not create it.
        var model = Probes.Of(scope =>
        {
            scope.Param("a", Initializers.Zeros, new Shape(1));
            if (!scope.IsInitializing)
            {
                scope.Param("late", Initializers.Zeros, new Shape(1));
            }
        });
        Variables v = model.Init(PrngKey.FromSeed(0), 0);
        Assert.Throws<ScopeParamNotFoundError>(() => model.Apply(v, 0));
        Assert.Equal(["a"], v.GetDict("params").Keys);
    }

    [Fact]
    public void ScopesReportMutabilityAndRngs()
    {
        var seen = new List<string>();
        var model = Probes.Of(scope => seen.Add($"{scope.IsInitializing} {scope.IsMutableCollection("params")} {scope.HasRng("params")} {scope.HasVariable("params", "W")}"));
        Variables v = Variables.Empty.With("params", Variables.Empty.With("W", X));
        model.Init(PrngKey.FromSeed(0), 0);
        model.Apply(v, 0);
        Assert.Equal(["True True True False", "False False False True"], seen);
    }

    [Fact]
    public void ANonFloatOrNestedParamIsATypeError()
    {
        var model = Probes.Of(scope => scope.Param("W", Initializers.Zeros, new Shape(2)));
        var ints = Variables.Empty.With("params", Variables.Empty.With("W", new NDArray<uint>(new Shape(2))));
        var error = Assert.Throws<ScopeParamTypeError>(() => model.Apply(ints, 0));
        Assert.Equal("For parameter \"W\" in \"/\", a float32 array was expected, but the variables hold uint32[2]. Pass the variables that Init returned for this module.", error.Message);
        var nested = Variables.Empty.With("params", Variables.Empty.With("W", Variables.Empty));
        Assert.Contains("a nested dict", Assert.Throws<ScopeParamTypeError>(() => model.Apply(nested, 0)).Message, StringComparison.Ordinal);
    }
}

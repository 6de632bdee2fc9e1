using LaxScan.Linen;
using LaxScan.Models;
using LaxScan.Nn;
using LaxScan.Random;

namespace LaxScan.Tests.Linen;

public class NamingTests
{
    private static readonly NDArray<float> X = new(new Shape(1, 3));

    private static Variables Init(Action<Scope> body) => Probes.Of(body).Init(PrngKey.FromSeed(0), 0);

    [Fact]
    public void UnnamedSubmodulesCountPerClass()
    {
        Variables v = Init(scope =>
        {
            scope.Call(new Dense(2), X);
            scope.Call(Probes.Of(s => s.Param("p", Initializers.Zeros, new Shape(1))), 0);
            scope.Call(new Dense(2), X);
            scope.Call(Probes.Of(s => s.Param("p", Initializers.Zeros, new Shape(1))), 0);
        });
        Assert.Equal(["Dense_0", "Probe_0", "Dense_1", "Probe_1"], v.GetDict("params").Keys);
    }

    [Fact]
    public void ExplicitNamesAreUsedAndDoNotAdvanceTheCounter()
    {
        Variables v = Init(scope =>
        {
            scope.Call(new Dense(2) { Name = "encoder" }, X);
            scope.Call(new Dense(2), X);
        });
        Assert.Equal(["encoder", "Dense_0"], v.GetDict("params").Keys);
    }

    [Fact]
    public void TheSameInstanceCalledTwiceSharesItsParams()
    {
        var shared = new Dense(3);
        Variables v = Init(scope =>
        {
            NDArray<float> y = scope.Call(shared, X);
            scope.Call(shared, y);
        });
        Assert.Equal(["Dense_0"], v.GetDict("params").Keys);
    }

    [Fact]
    public void ASharedInstanceCalledWithAnotherShapeFailsTheShapeCheck()
    {
        var shared = new Dense(2);
        var error = Assert.Throws<ScopeParamShapeError>(() => Init(scope => scope.Call(shared, scope.Call(shared, X))));
        Assert.Equal("/Dense_0", error.ScopePath);
        Assert.Equal(new Shape(3, 2), error.ValueShape);
        Assert.Equal(new Shape(2, 2), error.InitShape);
    }

    [Fact]
    public void TwoParamsWithOneNameAreANameInUseError()
    {
        var error = Assert.Throws<NameInUseError>(() => Init(scope =>
        {
            scope.Param("W", Initializers.Zeros, new Shape(1));
            scope.Param("W", Initializers.Zeros, new Shape(1));
        }));
        Assert.Equal("Could not create param \"W\" in Module Probe: Name in use. (https://flax.readthedocs.io/en/latest/api_reference/flax.errors.html#flax.errors.NameInUseError)", error.Message);
        Assert.Equal(NameKind.Param, error.Kind);
        Assert.Equal("W", error.Name);
        Assert.Equal("Probe", error.ModuleName);
    }

    [Fact]
    public void TwoSubmodulesWithOneExplicitNameAreANameInUseError()
    {
        var error = Assert.Throws<NameInUseError>(() => Init(scope =>
        {
            scope.Call(new Dense(2) { Name = "bar" }, X);
            scope.Call(new Dense(2) { Name = "bar" }, X);
        }));
        Assert.Equal("Could not create submodule \"bar\" in Module Probe: Name in use. (https://flax.readthedocs.io/en/latest/api_reference/flax.errors.html#flax.errors.NameInUseError)", error.Message);
    }

    [Fact]
    public void AParamAndASubmoduleShareOneNamespace()
    {
        Assert.Throws<NameInUseError>(() => Init(scope =>
        {
            scope.Param("bar", Initializers.Zeros, new Shape(1));
            scope.Call(new Dense(2) { Name = "bar" }, X);
        }));
        var error = Assert.Throws<NameInUseError>(() => Init(scope =>
        {
            scope.Call(new Dense(2), X);
            scope.Param("Dense_0", Initializers.Zeros, new Shape(1));
        }));
        Assert.Equal(NameKind.Param, error.Kind);
    }

    [Fact]
    public void AnAutonameDoesNotSkipAnExplicitlyTakenName()
    {
        // Flax's autoname cursor counts per class and does not look at reservations.
        var error = Assert.Throws<NameInUseError>(() => Init(scope =>
        {
            scope.Call(new Dense(2) { Name = "Dense_0" }, X);
            scope.Call(new Dense(2), X);
        }));
        Assert.Equal("Dense_0", error.Name);
        Assert.Equal(NameKind.Submodule, error.Kind);
    }

    [Fact]
    public void TheModuleThatClashesIsTheOneNamed()
    {
        var error = Assert.Throws<NameInUseError>(() => Init(scope => scope.Call(new DoubleParam(), 0)));
        Assert.Equal("Could not create param \"x\" in Module DoubleParam: Name in use. (https://flax.readthedocs.io/en/latest/api_reference/flax.errors.html#flax.errors.NameInUseError)", error.Message);
    }

    [Fact]
    public void GenericClassNamesLoseTheirArity()
    {
        Assert.Equal("Probe", Probes.Of(_ => { }).ClassName);
    }

    [Fact]
    public void ScopesKnowTheirPath()
    {
        var paths = new List<string>();
        var leaf = Probes.Of(s => paths.Add(s.PathText + "|" + s.Name + "|" + string.Join(',', s.Path)));
        Init(scope =>
        {
            paths.Add(scope.PathText + "|" + scope.Name);
            scope.Call(new RNGModule([], 0, leaf) { Name = "outer" }, 0);
        });
        Assert.Equal(["/|", "/outer/Probe_0|Probe_0|outer,Probe_0"], paths);
    }
}

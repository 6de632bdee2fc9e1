using LaxScan.Linen;
using LaxScan.Models;
using LaxScan.Nn;
using LaxScan.Random;

namespace LaxScan.Tests.Linen;

public class TraceDepthTests
{
    private static readonly Shape Vec2 = new(2);

    [Fact]
    public void CreatingAParamInsideAScanBodyIsAJaxTransformError()
    {
        var model = Probes.Of(scope =>
        {
            using (TraceContext.Enter())
            {
                scope.Param("W", Initializers.Zeros, Vec2);
            }
        });
        var error = Assert.Throws<JaxTransformError>(() => model.Init(PrngKey.FromSeed(0), 0));
        Assert.Equal(
            "Jax transforms and Flax models cannot be mixed. Tried to create param \"W\" in scope \"/\" inside a transform body " +
            "(a Lax.Scan body: transform depth 1, but the scope was made at depth 0). Create params and submodules outside the scan body " +
            "and pass the arrays in, as Flax's lifted transforms (nn.scan) do. (https://flax.readthedocs.io/en/latest/api_reference/flax.errors.html#flax.errors.JaxTransformError)",
            error.Message);
        Assert.Equal(0, error.ScopeDepth);
        Assert.Equal(1, error.CurrentDepth);
        Assert.Equal(0, TraceContext.Depth);
    }

    [Fact]
    public void AModelInitialisedInsideABodyMayCreateParamsThereButNotDeeper()
    {
        using (TraceContext.Enter())
        {
            Variables v = Probes.Of(scope => scope.Param("W", Initializers.Zeros, Vec2)).Init(PrngKey.FromSeed(0), 0);
            Assert.Equal(["W"], v.GetDict("params").Keys);

            var deeper = Probes.Of(scope =>
            {
                using (TraceContext.Enter())
                {
                    using (TraceContext.Enter())
                    {
                        scope.Param("W", Initializers.Zeros, Vec2);
                    }
                }
            });
            var error = Assert.Throws<JaxTransformError>(() => deeper.Init(PrngKey.FromSeed(0), 0));
            Assert.Equal(1, error.ScopeDepth);
            Assert.Equal(3, error.CurrentDepth);
        }
    }

    [Fact]
    public void CreatingASubmoduleInsideABodyIsAJaxTransformError()
    {
        var model = Probes.Of(scope =>
        {
            using (TraceContext.Enter())
            {
                scope.Call(new Dense(2), new NDArray<float>(new Shape(1, 2)));
            }
        });
        var error = Assert.Throws<JaxTransformError>(() => model.Init(PrngKey.FromSeed(0), 0));
        Assert.Equal("create submodule Dense", error.Action);
        Assert.Throws<JaxTransformError>(() => model.Apply(Variables.Empty, 0));
    }

    [Fact]
    public void ASubmoduleScopeKeepsItsParentsDepth()
    {
        // The child is made at depth 0; its params may not be created in a body it is later run inside.
        var child = Probes.Of(scope =>
        {
            using (TraceContext.Enter())
            {
                scope.Param("W", Initializers.Zeros, Vec2);
            }
        });
        var error = Assert.Throws<JaxTransformError>(() => Probes.Of(scope => scope.Call(child, 0)).Init(PrngKey.FromSeed(0), 0));
        Assert.Equal("/Probe_0", error.ScopePath);
    }

    [Fact]
    public void MakingAKeyInsideABodyIsAJaxTransformError()
    {
        var model = Probes.Of(scope =>
        {
            using (TraceContext.Enter())
            {
                scope.MakeRng("params");
            }
        });
        Assert.Throws<JaxTransformError>(() => model.Init(PrngKey.FromSeed(0), 0));
    }

    [Fact]
    public void ReadingAnExistingParamInsideABodyIsAllowed()
    {
        // Flax checks the trace level when creating, never when reading (flax/core/scope.py param).
        var model = Probes.Returning(scope =>
        {
            scope.Param("W", Initializers.Ones, Vec2);
            using (TraceContext.Enter())
            {
                return scope.Param("W2", Initializers.Ones, Vec2).Data[0];
            }
        });
        var v = Variables.Empty.With("params", Variables.Empty.With("W", new NDArray<float>(Vec2)).With("W2", new NDArray<float>(Vec2, [7f, 8f])));
        Assert.Equal(7f, model.Apply(v, 0));
        Assert.Throws<JaxTransformError>(() => model.Init(PrngKey.FromSeed(0), 0));
    }
}
